#pragma once

#include "jobstore.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

#include <deque>

namespace procdeck {

class JobRunner;

// Owns the job store, the queue and the parallel limit. It starts the next
// queued job as soon as a slot frees up and never runs more than the limit.
// A JobRunner (and its QProcess) exists only while its job runs, so a batch
// of 100,000 queued jobs is 100,000 plain records, not 100,000 QObjects.
class Scheduler : public QObject
{
    Q_OBJECT
public:
    explicit Scheduler(QObject *parent = nullptr);
    ~Scheduler() override;

    const JobStore &store() const { return m_store; }

    // Queues a batch and starts what the limit allows. Returns its id, or 0
    // when there is nothing to run.
    int submit(const QString &label, std::vector<JobSpec> specs, const BatchOptions &options = {});
    // Runs the given jobs again as a new batch; their old results stay.
    int rerun(const QList<int> &jobIndices);

    // 0 means no limit. Raising it starts queued jobs at once; lowering it
    // lets running jobs finish and starts no new ones until below the limit.
    void setMaxParallel(int limit);
    int maxParallel() const { return m_maxParallel; }
    // Time between SIGTERM and SIGKILL when a job is stopped.
    void setGracePeriod(int ms) { m_graceMs = ms; }
    int gracePeriod() const { return m_graceMs; }
    void setOutputLimits(const OutputLog::Limits &limits) { m_outputLimits = limits; }

    // Queued jobs become "Canceled"; running ones are stopped (their whole
    // process group: TERM, then KILL after the grace period).
    void stopJobs(const QList<int> &jobIndices);
    void stopJob(int index) { stopJobs({index}); }
    void stopBatch(int batchId);
    void stopAll();
    // Kills every running job's process group now, without a grace period
    // (a second "quit" while jobs are still stopping).
    void killAll();
    // Frees a finished job's captured output (procdeck run, once printed).
    void releaseOutput(int index);

    bool isIdle() const { return m_runners.isEmpty() && m_queued == 0; }
    int runningCount() const { return int(m_runners.size()); }
    QList<int> runningJobs() const { return m_runners.keys(); }
    // The runtime so far of a running job, or the final runtime.
    qint64 runtimeNs(int index) const;

signals:
    void jobsAdded(int first, int last);
    void jobChanged(int index); // state, pid or result
    void jobOutput(int index);  // new output captured
    void jobFinished(int index);
    void batchFinished(int batchId);
    void countsChanged();
    void idle();

private:
    void startQueued();
    void startJob(int index);
    void onRunnerStarted(int index, qint64 pid);
    void onRunnerFinished(int index);
    void finishQueued(int index, bool ranBefore);
    void checkBatchFinished(int batchId);
    bool retry(int index);
    void checkHalt(int index);
    int takeSlot();
    void emitIdleIfIdle();
    // Forgets lingering groups that have ended, then sends the rest `signal`
    // (0: only forget).
    void signalLingeringGroups(int signal);

    JobStore m_store;
    std::deque<int> m_queue;           // may hold jobs canceled since; skipped when popped
    QHash<int, JobRunner *> m_runners; // job index -> its runner, while it runs
    int m_queued = 0;
    int m_maxParallel;
    int m_graceMs = 2000;
    OutputLog::Limits m_outputLimits;
    bool m_starting = false;
    std::vector<bool> m_slotTaken; // slot - 1 -> in use
    qint64 m_lastStartNs = 0;
    bool m_idle = true; // idle() was sent for the current quiet spell
    // Process groups of finished jobs that still had members (a background
    // child). Stopped when procdeck quits: it stops everything it started.
    QList<qint64> m_lingeringGroups;
    QTimer m_delayTimer; // waits out --delay between starts
};

} // namespace procdeck
