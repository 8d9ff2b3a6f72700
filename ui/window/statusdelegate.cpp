#include "ui/window/statusdelegate.h"

#include "app/models/jobtablemodel.h"

namespace procdeck {

void StatusDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    QColor color;
    switch (index.data(JobTableModel::OutcomeClassRole).toInt()) {
    case JobTableModel::Working:
        color = QColor(0x15, 0x65, 0xc0);
        break;
    case JobTableModel::Succeeded:
        color = QColor(0x2e, 0x7d, 0x32);
        break;
    case JobTableModel::Failed:
        color = QColor(0xc6, 0x28, 0x28);
        option->font.setBold(true);
        break;
    case JobTableModel::Canceled:
        color = QColor(0x75, 0x75, 0x75);
        break;
    default:
        return;
    }
    option->palette.setColor(QPalette::Text, color);
    option->palette.setColor(QPalette::HighlightedText, color.lighter(170));
}

} // namespace procdeck
