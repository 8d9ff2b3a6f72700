#pragma once

#include "app/engine/jobquery.h"
#include "app/engine/jobsource.h"
#include "app/engine/jobstore.h"
#include "app/engine/lingeringgroups.h"
#include "app/engine/startgate.h"
#include "app/output/outputlog.h"

#include <QHash>
#include <QList>
#include <QTimer>

#include <deque>
#include <memory>

namespace procdeck {

class JobLauncher;
class LaunchedJob;
class ResourceSampler;
struct ResourceSample;

// Owns the job store, the queue and the parallel limit. It starts the next
// queued job as soon as a slot frees up and never runs more than the limit.
// Jobs start through a JobLauncher (local processes unless told otherwise);
// a LaunchedJob (and its QProcess) exists only while its job runs, so a
// batch of 100,000 queued jobs is 100,000 plain records, not 100,000
// QObjects. Views read it through JobQuery.
class Scheduler : public JobQuery
{
    Q_OBJECT
public:
    explicit Scheduler(QObject *parent = nullptr);
    ~Scheduler() override;

    // The live records, for the engine and its tests; views use JobQuery.
    const JobStore &store() const { return m_store; }
    // Jobs started from now on go through `launcher` (not owned; it must
    // outlive the scheduler's running jobs). Null: this machine.
    void setLauncher(JobLauncher *launcher);

    // JobQuery
    int jobCount() const override { return m_store.jobCount(); }
    int batchCount() const override { return m_store.batchCount(); }
    const BatchInfo &batch(int id) const override { return m_store.batch(id); }
    JobState state(int index) const override { return m_store.job(index).state; }
    JobSpec spec(int index) const override { return m_store.spec(index); }
    const JobResult &result(int index) const override { return m_store.job(index).result; }
    int batchId(int index) const override { return m_store.job(index).batchId; }
    int seq(int index) const override { return m_store.job(index).seq; }
    int attempt(int index) const override { return m_store.job(index).attempts; }
    int slot(int index) const override { return m_store.job(index).slot; }
    qint64 runtimeNs(int index) const override;
    LiveUsage liveUsage(int index) const override { return m_live.value(index); }
    qint64 startedNs(int index) const override { return m_store.job(index).startedNs; }
    const OutputLog *output(int index) const override { return m_store.job(index).output.get(); }

    // Queues a batch and starts what the limit allows. Returns its id, or 0
    // when there is nothing to run. seqs: the jobs' numbers in the batch,
    // ascending, when they are not 1, 2, ... (procdeck run --resume runs
    // only the jobs its joblog lacks, under their own numbers).
    int submit(const QString &label, std::vector<JobSpec> specs, const BatchOptions &options = {},
               const std::vector<int> &seqs = {});
    // Queues a batch whose jobs come from `source` as it makes them: the
    // batch stays open (BatchInfo::inputOpen) until the source ends, and
    // sourceEnded() says how. Always returns the batch's id. A batch's jobs
    // are contiguous in the store, so a batch submitted while another's
    // input is still open gets its jobs once that input has ended.
    int submitSource(const QString &label, std::unique_ptr<JobSource> source,
                     const BatchOptions &options = {});
    // How many queued jobs to take from an open source ahead of the free
    // slots; 0 (the default): every job it has ready. procdeck run keeps a
    // few, so the input is read as fast as the jobs run, not faster.
    void setLookahead(int jobs) { m_lookahead = qMax(0, jobs); }
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
    // Samples every running job's CPU and memory (its whole process group)
    // from /proc every intervalMs, on a thread of its own; off by default.
    // Jobs already running are sampled from then on.
    void setResourceSampling(bool enabled, int intervalMs = 1000);
    const ResourceSampler *resourceSampler() const { return m_sampler.get(); }
    // --load and --memfree: asked before each start (tests give it a probe).
    StartGate &startGate() { return m_startGate; }

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
    // Forgets a finished job altogether (procdeck run, once printed and
    // logged, when nothing exports it at the end): see JobStore::release().
    void releaseJob(int index) { m_store.release(index); }

    bool isIdle() const { return m_runners.isEmpty() && m_queued == 0 && m_sources.empty(); }
    int runningCount() const { return int(m_runners.size()); }
    QList<int> runningJobs() const override { return m_runners.keys(); }

signals:
    // A batch's source has ended: error() is empty when its input just
    // ended, else why it stopped early (the jobs taken before still run).
    void sourceEnded(int batchId, const QString &error);

private:
    struct OpenSource
    {
        int batchId;
        std::unique_ptr<JobSource> source;
    };
    void takeFromSources();
    void takeAndStart();
    // takeAndStart() from the event loop, once however often asked.
    void takeLater();
    void closeSource(int batchId);
    void startQueued();
    void startJob(int index);
    void onRunnerStarted(int index, qint64 pid);
    void onRunnerFinished(int index);
    void onSampled(const QList<ResourceSample> &samples);
    void finishQueued(int index, bool ranBefore);
    void checkBatchFinished(int batchId);
    bool retry(int index);
    void checkHalt(int batchId, const JobResult &result);
    int takeSlot();
    void emitIdleIfIdle();

    JobStore m_store;
    std::unique_ptr<JobLauncher> m_localLauncher;
    JobLauncher *m_launcher;
    std::deque<int> m_queue;          // may hold jobs canceled since; skipped when popped
    std::deque<OpenSource> m_sources; // the first is taken from; the others wait their turn
    int m_lookahead = 0;
    bool m_takeScheduled = false;        // see takeLater()
    QHash<int, LiveUsage> m_live;        // job index -> its last sample, while it runs
    QHash<int, LaunchedJob *> m_runners; // job index -> its run, while it runs
    int m_queued = 0;
    int m_maxParallel;
    int m_graceMs = 2000;
    OutputLog::Limits m_outputLimits;
    bool m_starting = false;
    std::vector<bool> m_slotTaken; // slot - 1 -> in use
    qint64 m_lastStartNs = 0;
    bool m_idle = true; // idle() was sent for the current quiet spell
    // What finished jobs left running in the background: stopped when
    // procdeck quits (stopAll(), and killed with the scheduler).
    LingeringGroups m_lingeringGroups;
    QTimer m_delayTimer;                        // waits out --delay between starts
    std::unique_ptr<ResourceSampler> m_sampler; // null: not sampling

    // --load, --memfree; when it says no, m_delayTimer asks it again.
    StartGate m_startGate;
};

} // namespace procdeck
