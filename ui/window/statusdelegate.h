#pragma once

#include <QStyledItemDelegate>

namespace procdeck {

// The color of a JobTableModel::OutcomeClass, shared by the table and the
// timeline so both read alike; invalid for a job still waiting.
QColor outcomeColor(int outcomeClass);

// Colors a job's status and exit code by outcome, so a failure stands out
// in a long table: red for failures, green for success, blue while running.
class StatusDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};

// Elides commands in the middle: they differ at the end (the argument), so
// both ends stay visible in a narrow column.
class CommandDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        option->textElideMode = Qt::ElideMiddle;
    }
};

} // namespace procdeck
