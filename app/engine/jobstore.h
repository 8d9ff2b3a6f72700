#pragma once

#include "app/core/jobresult.h"
#include "app/core/jobspec.h"
#include "app/engine/batchoptions.h"
#include "app/output/outputlog.h"

#include <memory>
#include <vector>

namespace procdeck {

// What a running job uses now, from the last resource sample; unknown
// (-1) before the first and once it has ended.
struct LiveUsage
{
    float cpuPercent = -1; // 100 = one core
    qint64 rssBytes = -1;
};

// One job: plain data, kept in contiguous storage (no QObject per job).
struct JobRecord
{
    JobSpec spec;
    JobResult result;
    JobState state = JobState::Queued;
    int batchId = 0;
    int seq = 0;                           // 1-based number within its batch
    int attempts = 0;                      // how many times it has been started
    int slot = 0;                          // 1-based slot while running ({%}); kept afterwards
    qint64 startedNs = 0;                  // monotonic; for the live runtime while it runs
    LiveUsage live;                        // while it runs; see ResourceSampler
    std::unique_ptr<OutputLog> output;     // created when the job starts
    std::unique_ptr<JobSpec> slotTemplate; // the spec before {%} was filled in, for retries
};

// Counts of one batch, kept up to date by the Scheduler.
struct BatchInfo
{
    int id = 0;
    QString label;
    int firstJob = 0; // a batch's jobs are contiguous in the store
    int jobCount = 0;
    int queued = 0;
    int running = 0;
    int succeeded = 0;
    int failed = 0;
    int canceled = 0;
    qint64 submittedNs = 0; // monotonic
    qint64 finishedNs = 0;  // 0 while it still has queued or running jobs
    BatchOptions options;
    bool halted = false;  // its halt policy fired: no more jobs start
    int haltExitCode = 0; // the exit status parallel reports for the halt

    bool isFinished() const { return finishedNs != 0; }
    qint64 wallTimeNs() const { return finishedNs - submittedNs; }
};

// Totals over a set of batches.
struct BatchCounts
{
    int total = 0;
    int queued = 0;
    int running = 0;
    int succeeded = 0;
    int failed = 0;
    int canceled = 0;
    void add(const BatchInfo &b);
};

// All jobs and batches of a session, in submission order. Job indices and
// batch ids never change. Written only by the Scheduler.
class JobStore
{
public:
    int jobCount() const { return int(m_jobs.size()); }
    const JobRecord &job(int index) const { return m_jobs[size_t(index)]; }
    JobRecord &job(int index) { return m_jobs[size_t(index)]; }

    int batchCount() const { return int(m_batches.size()); }
    // Batch ids start at 1; batch(id) is valid for 1 <= id <= batchCount().
    const BatchInfo &batch(int id) const { return m_batches[size_t(id - 1)]; }
    BatchInfo &batch(int id) { return m_batches[size_t(id - 1)]; }
    BatchInfo &addBatch(const QString &label, qint64 submittedNs);
    // seq: its number in the batch (procdeck run --resume skips some);
    // 0: the next one.
    JobRecord &addJob(int batchId, JobSpec spec, int seq = 0);
    void reserve(size_t jobs) { m_jobs.reserve(m_jobs.size() + jobs); }

private:
    std::vector<JobRecord> m_jobs;
    std::vector<BatchInfo> m_batches;
};

} // namespace procdeck
