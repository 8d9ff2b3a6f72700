#pragma once

#include "app/export/logexporter.h"
#include "app/history/storedjobs.h"

#include <QList>
#include <QObject>
#include <QThread>

#include <memory>

namespace procdeck {

// The window's way into history: every read, export and clear runs on a
// thread of its own (with its own connection), so a large batch, a slow
// disk or a locked database never holds up the GUI thread. Each request
// returns a ticket; its answer comes back as a signal with the same
// ticket, on the thread that made the browser. Answers to requests made
// before the browser is destroyed are dropped with it.
class HistoryBrowser : public QObject
{
    Q_OBJECT
public:
    explicit HistoryBrowser(const QString &path, QObject *parent = nullptr);
    // Finishes the request in progress (if any), drops the rest, and joins
    // the thread.
    ~HistoryBrowser() override;

    QString path() const { return m_path; }

    // Past batches, newest first (see HistoryReader::listBatches).
    int listBatches(const QString &search, int limit = 0);
    // A batch's jobs without their output (loadOutput() gets one job's).
    int openBatch(qint64 batchId);
    int loadOutput(qint64 batchId, int seq);
    // Writes jobs of a batch (their indices in seq order; empty: every job)
    // in `format` to `path`, output included.
    int exportBatch(qint64 batchId, const QList<int> &jobs, ExportFormat format,
                    const QString &path);
    // Deletes every finished batch.
    int clear();

signals:
    void batchesListed(int ticket, const QList<procdeck::StoredBatchSummary> &batches);
    // `jobs` now belongs to the receiver's thread; nobody else holds it.
    void batchOpened(int ticket, std::shared_ptr<procdeck::StoredJobs> jobs);
    void outputLoaded(int ticket, qint64 batchId, int seq, const procdeck::StoredOutput &output);
    void exported(int ticket, const QString &path);
    void cleared(int ticket, int batches);
    // Any request that failed; the message names the file and the problem.
    void failed(int ticket, const QString &message);

private:
    class Worker;
    // Runs `task` on the worker's thread with its (opened) reader.
    template <typename Task> int post(Task task);

    QString m_path;
    QThread m_thread;
    Worker *m_worker; // lives on m_thread
    int m_lastTicket = 0;
};

} // namespace procdeck
