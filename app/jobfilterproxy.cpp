#include "jobfilterproxy.h"

#include "jobtablemodel.h"

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

} // namespace procdeck
