#pragma once

#include "app/core/jobresult.h"
#include "app/core/jobspec.h"
#include "app/history/historycodec.h"
#include "app/history/historydatabase.h"

#include <QMutex>
#include <QObject>
#include <QThread>

#include <memory>
#include <vector>

namespace procdeck {

// What a job left in its stream, as history keeps it: the last bytes, up
// to HistoryLimits::streamBytes, and how much there was in all.
struct KeptOutput
{
    QByteArray bytes;
    qint64 totalBytes = 0;
    qint64 keptFrom() const { return totalBytes - bytes.size(); } // > 0: cut
};

// One thing to record. Jobs are named by their session's batch key (the
// Scheduler's batch id) and their seq within it; the writer maps keys to
// the database's own batch ids.
struct HistoryEvent
{
    enum Kind : quint8 { BatchSubmitted, JobStarted, JobFinished, BatchFinished };
    Kind kind = JobStarted;
    int batchKey = 0;
    int seq = 0;
    qint64 atMs = 0; // wall clock: submitted, started or finished
    // BatchSubmitted: the batch and its jobs, or more jobs of one already
    // submitted whose input was still open
    std::shared_ptr<const BatchSettings> settings;
    std::shared_ptr<const std::vector<JobSpec>> specs; // seq 1, 2, ... in order
    bool moreJobs = false;                             // more jobs of a batch submitted before
    std::shared_ptr<const std::vector<int>> seqs;      // the specs' seqs, when not 1, 2, ...
    // JobStarted / JobFinished
    int attempt = 0;
    int slot = 0;
    qint64 pid = 0;
    // JobFinished
    QString command;  // as it ran ({%} filled in)
    QString lastLine; // its output's last line, for the table's Output column
    JobResult result;
    KeptOutput stdoutKept;
    KeptOutput stderrKept;
};

// Writes history on a thread of its own, so the GUI thread never waits for
// the disk. post() only queues; the thread takes everything queued at once
// and commits it as one transaction, at most every kCommitIntervalMs:
// a job's row is committed within that time of its end (kill -9 of
// procdeck loses at most what ended in the last moment), and a flood of
// short jobs costs one commit per interval, not one per job.
class HistoryWriter : public QObject
{
    Q_OBJECT
public:
    static constexpr int kCommitIntervalMs = 20;

    // Opens the database on the writer's thread; opened() or failed() says
    // how that went. `origin`: "window" or "run", for the session's row.
    HistoryWriter(const QString &path, const QString &origin,
                  const HistoryLimits &limits = HistoryLimits::fromEnvironment(),
                  QObject *parent = nullptr);
    // Commits what is still queued, ends the session and closes: nothing
    // posted is lost (this waits for the thread).
    ~HistoryWriter() override;

    void post(HistoryEvent event);
    // False once the database failed to open or a commit failed (see
    // failed()); posts are then dropped.
    bool isUsable() const;
    // Why it is not (what failed() said); empty while it is.
    QString errorString() const;
    QString path() const { return m_path; }
    // How many events the thread has committed so far (tests wait on it).
    qint64 committedEvents() const;

signals:
    void opened();
    // The message names the file and the problem; sent once, from the
    // writer's thread: connect before the event loop runs, or read
    // errorString() after connecting.
    void failed(const QString &message);
    void committed(qint64 totalEvents);

private:
    class Worker;
    QString m_path;
    QThread m_thread;
    Worker *m_worker; // lives on m_thread
};

} // namespace procdeck
