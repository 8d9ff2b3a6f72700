#include "app/models/jobfilterproxy.h"

#include "app/models/jobtablemodel.h"

namespace procdeck {

JobFilterProxy::JobFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(JobTableModel::RawValueRole);
}

void JobFilterProxy::setBatchFilter(int batchId)
{
    if (batchId == m_batchId)
        return;
    m_batchId = batchId;
    invalidateFilter();
}

bool JobFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_batchId == 0)
        return true;
    const QModelIndex idx = sourceModel()->index(sourceRow, 0, sourceParent);
    return idx.data(JobTableModel::BatchIdRole).toInt() == m_batchId;
}

bool JobFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    // Numeric columns compare straight from the job records: sorting
    // 100,000 rows makes some 3 million comparisons, and two QVariants
    // each were most of the time. Empty cells go last, as
    // QSortFilterProxyModel puts invalid values.
    const auto *model = qobject_cast<const JobTableModel *>(sourceModel());
    if (!model || !JobTableModel::isNumericColumn(left.column()))
        return QSortFilterProxyModel::lessThan(left, right);
    qint64 a = 0;
    qint64 b = 0;
    if (!model->numericKey(left.row(), left.column(), &a))
        return false;
    if (!model->numericKey(right.row(), right.column(), &b))
        return true;
    return a < b;
}

} // namespace procdeck
