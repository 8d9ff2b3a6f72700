#pragma once

#include "app/engine/jobquery.h"
#include "app/history/historycodec.h"
#include "app/history/historywriter.h"
#include "app/output/outputlog.h"

#include <memory>
#include <vector>

namespace procdeck {

// One past batch as the history list shows it.
struct StoredBatchSummary
{
    qint64 id = 0; // the database's batch id: stable, never reused
    QString label;
    QString origin; // "window" or "run"
    qint64 submittedAtMs = 0;
    qint64 finishedAtMs = 0; // 0 while it runs (in a live session)
    int jobCount = 0;
    int succeeded = 0;
    int failed = 0; // interrupted ones not included
    int canceled = 0;
    int interrupted = 0;
    int running = 0;
    qint64 outputBytes = 0; // compressed, as stored

    bool isFinished() const { return finishedAtMs != 0; }
    // What lists call failed: the interrupted ones too (neither succeeded,
    // and Rerun Failed runs both again).
    int failedOrInterrupted() const { return failed + interrupted; }
    qint64 wallTimeMs() const { return finishedAtMs - submittedAtMs; }
};

// A job's stored output: the kept end of each stream and what was cut.
struct StoredOutput
{
    KeptOutput stdoutKept;
    KeptOutput stderrKept;
};

// A past batch, read back from history, answering JobQuery like the live
// Scheduler does: the table, the output pane, the timeline and every
// export work on it unchanged. It is one batch (id 1 here; historyId() is
// the database's). Output is loaded apart (it can be large): output(i) is
// null until setOutput(i) was given it.
class StoredJobs : public JobQuery
{
    Q_OBJECT
public:
    struct Job
    {
        JobSpec spec;    // as shown: the command as it ran
        JobSpec runSpec; // as submitted, to run it again
        JobResult result;
        JobState state = JobState::Finished;
        int seq = 0;
        int attempts = 0;
        int slot = 0;
        qint64 stdoutBytes = 0; // what the job wrote
        qint64 stderrBytes = 0;
        QString lastLine;
        std::unique_ptr<OutputLog> output;
    };

    StoredJobs(StoredBatchSummary summary, BatchSettings settings, std::vector<Job> jobs,
               QObject *parent = nullptr);
    ~StoredJobs() override;

    qint64 historyId() const { return m_summary.id; }
    const StoredBatchSummary &summary() const { return m_summary; }
    const BatchSettings &settings() const { return m_settings; }
    // The job printed something (its output can be loaded).
    bool hasOutput(int index) const;
    bool isOutputLoaded(int index) const { return m_jobs[size_t(index)].output != nullptr; }
    // How many of the stream's first bytes history did not keep.
    qint64 cutBytes(int index, Stream stream) const;
    void setOutput(int index, const StoredOutput &output);
    // Lets the job's loaded output go (it can be loaded again).
    void releaseOutput(int index);
    // What Rerun runs: every job's spec as it was submitted, or those of
    // the jobs that failed (timed out, crashed, could not start, or were
    // interrupted by procdeck's own end).
    std::vector<JobSpec> specsToRerun(bool failedOnly) const;
    // The job's spec as it was submitted ({%} not filled in), to run it again.
    const JobSpec &runSpec(int index) const { return m_jobs[size_t(index)].runSpec; }
    int failedCount() const;

    // JobQuery
    int jobCount() const override { return int(m_jobs.size()); }
    int batchCount() const override { return 1; }
    const BatchInfo &batch(int) const override { return m_batch; }
    JobState state(int index) const override { return m_jobs[size_t(index)].state; }
    JobSpec spec(int index) const override { return m_jobs[size_t(index)].spec; }
    const JobResult &result(int index) const override { return m_jobs[size_t(index)].result; }
    int batchId(int) const override { return 1; }
    int seq(int index) const override { return m_jobs[size_t(index)].seq; }
    int attempt(int index) const override { return m_jobs[size_t(index)].attempts; }
    int slot(int index) const override { return m_jobs[size_t(index)].slot; }
    qint64 runtimeNs(int index) const override;
    LiveUsage liveUsage(int) const override { return {}; }
    qint64 startedNs(int index) const override;
    const OutputLog *output(int index) const override { return m_jobs[size_t(index)].output.get(); }
    QString lastLine(int index) const override { return m_jobs[size_t(index)].lastLine; }
    // Jobs of a batch another procdeck runs now: their runtime moves on.
    QList<int> runningJobs() const override { return m_running; }

private:
    StoredBatchSummary m_summary;
    BatchSettings m_settings;
    BatchInfo m_batch;
    std::vector<Job> m_jobs;
    QList<int> m_running;
};

} // namespace procdeck
