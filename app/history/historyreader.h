#pragma once

#include "app/core/expected.h"
#include "app/history/historydatabase.h"
#include "app/history/storedjobs.h"

#include <QList>

#include <memory>

namespace procdeck {

// Reads history back: the list of past batches, one batch's jobs, a job's
// output. Blocking calls on its own connection: the command line calls it
// directly, the window from a worker thread (one reader per thread).
class HistoryReader
{
public:
    // Opens for writing when it can (migrating and sweeping dead sessions,
    // so crashed runs read as Interrupted), else for reading only (a
    // read-only file still lists). The error names the file and the problem.
    Expected<void> open(const QString &path = HistoryDatabase::defaultPath());
    HistoryDatabase &database() { return m_db; }
    bool isReadOnly() const { return m_readOnly; }

    // Newest first. `search` matches the batch's command template or any of
    // its jobs' commands (case-insensitive, as a substring); limit 0: all.
    Expected<QList<StoredBatchSummary>> listBatches(const QString &search = {}, int limit = 0);
    Expected<StoredBatchSummary> batchSummary(qint64 batchId);
    // The newest batch's id; 0 when history is empty.
    Expected<qint64> latestBatchId();
    // The batch's jobs, in seq order; with every job's output when
    // withOutput (exports), else none (load it with loadOutput()).
    Expected<std::unique_ptr<StoredJobs>> loadBatch(qint64 batchId, bool withOutput);
    Expected<StoredOutput> loadOutput(qint64 batchId, int seq);
    // Fills in the output of every job of `jobs` that has some.
    Expected<void> loadAllOutput(StoredJobs *jobs);

private:
    HistoryDatabase m_db;
    bool m_readOnly = false;
};

} // namespace procdeck
