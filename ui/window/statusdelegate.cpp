#include "ui/window/statusdelegate.h"

#include "app/models/jobtablemodel.h"

namespace procdeck {

QColor outcomeColor(int outcomeClass)
{
    switch (outcomeClass) {
    case JobTableModel::Working:
        return QColor(0x15, 0x65, 0xc0);
    case JobTableModel::Succeeded:
        return QColor(0x2e, 0x7d, 0x32);
    case JobTableModel::Failed:
        return QColor(0xc6, 0x28, 0x28);
    case JobTableModel::Canceled:
        return QColor(0x75, 0x75, 0x75);
    default:
        return {};
    }
}

void StatusDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const int outcome = index.data(JobTableModel::OutcomeClassRole).toInt();
    const QColor color = outcomeColor(outcome);
    if (!color.isValid())
        return;
    if (outcome == JobTableModel::Failed)
        option->font.setBold(true);
    option->palette.setColor(QPalette::Text, color);
    option->palette.setColor(QPalette::HighlightedText, color.lighter(170));
}

} // namespace procdeck
