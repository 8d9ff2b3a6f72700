#pragma once

#include <QSortFilterProxyModel>

namespace procdeck {

// Sorts the job table by raw values (numbers and times, not their text) and
// shows either every batch or one.
class JobFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit JobFilterProxy(QObject *parent = nullptr);

    // 0 shows every batch.
    void setBatchFilter(int batchId);
    int batchFilter() const { return m_batchId; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    int m_batchId = 0;
};

} // namespace procdeck
