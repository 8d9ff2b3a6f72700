#pragma once

#include "app/history/storedjobs.h"

#include <QAbstractTableModel>
#include <QList>

namespace procdeck {

// The window's list of past batches, newest first: one row per batch with
// when it started, its command, its counts and its wall time. Filled from
// HistoryBrowser::batchesListed; refilling keeps rows that did not change
// (so a selection survives the refresh after every committed batch).
class HistoryListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Id, Started, Command, Jobs, Succeeded, Failed, Wall, Origin, ColumnCount };
    enum Role {
        BatchIdRole = Qt::UserRole + 1, // qint64: the database's batch id
        FailedCountRole,                // int: what Rerun Failed would run
    };

    using QAbstractTableModel::QAbstractTableModel;

    void setBatches(const QList<StoredBatchSummary> &batches);
    const QList<StoredBatchSummary> &batches() const { return m_batches; }
    // -1 when the batch is not listed.
    int rowOf(qint64 batchId) const;
    const StoredBatchSummary &batch(int row) const { return m_batches[row]; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // "12.3 s", "4 min 05 s", "2 h 03 min": a wall time as the list shows it.
    static QString formatWall(qint64 ms);
    // A tooltip showing `text` as it is (Qt renders one that looks like
    // HTML as HTML).
    static QString plainToolTip(const QString &text);

private:
    QList<StoredBatchSummary> m_batches;
};

} // namespace procdeck
