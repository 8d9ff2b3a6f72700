#pragma once

#include <QStyledItemDelegate>

namespace procdeck {

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

} // namespace procdeck
