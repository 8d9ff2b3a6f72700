#pragma once

#include "app/core/jobresult.h"
#include "app/core/jobspec.h"
#include "app/engine/batchoptions.h"
#include "app/engine/compactspec.h"
#include "app/output/outputlog.h"

#include <deque>
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

// One job: plain data (no QObject per job), about 200 bytes with its spec
// for a small command, so that a session of 1,000,000 jobs fits.
struct JobRecord
{
    CompactSpec spec; // as built, {%} not filled in: JobStore::spec() fills it
    JobResult result;
    JobState state = JobState::Queued;
    bool released = false; // finished and no longer needed: see JobStore::release()
    int batchId = 0;
    int seq = 0;                       // 1-based number within its batch
    int attempts = 0;                  // how many times it has been started
    int slot = 0;                      // 1-based slot while running ({%}); kept afterwards
    qint64 startedNs = 0;              // monotonic; for the live runtime while it runs
    std::unique_ptr<OutputLog> output; // created when the job starts
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
    // Its jobs are still coming (a JobSource reading its input): it is not
    // finished, and jobCount grows, until they stop.
    bool inputOpen = false;

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
//
// procdeck run, when nothing exports the jobs at the end, lets finished jobs
// go (release()): the released jobs at the front are dropped, and
// firstKept() tells from where on job(index) may be asked, so 1,000,000 jobs
// take the memory of those in flight.
class JobStore
{
public:
    int jobCount() const { return m_firstKept + int(m_jobs.size()); }
    // The first index whose record is kept; 0 unless jobs were released.
    int firstKept() const { return m_firstKept; }
    const JobRecord &job(int index) const { return m_jobs[size_t(index - m_firstKept)]; }
    JobRecord &job(int index) { return m_jobs[size_t(index - m_firstKept)]; }
    // The job's spec: as built, and {%} filled in once it has a slot.
    JobSpec spec(int index) const;
    // As built, {%} still to fill in (what a retry or a rerun starts from).
    JobSpec templateSpec(int index) const;

    int batchCount() const { return int(m_batches.size()); }
    // Batch ids start at 1; batch(id) is valid for 1 <= id <= batchCount().
    const BatchInfo &batch(int id) const { return m_batches[size_t(id - 1)]; }
    BatchInfo &batch(int id) { return m_batches[size_t(id - 1)]; }
    BatchInfo &addBatch(const QString &label, qint64 submittedNs);
    // seq: its number in the batch (procdeck run --resume skips some);
    // 0: the next one.
    JobRecord &addJob(int batchId, const JobSpec &spec, int seq = 0);
    // A finished job nobody will ask about again: its record goes once the
    // jobs before it have gone too.
    void release(int index);

private:
    // A deque: appending never moves the records (no copy of 1,000,000 of
    // them at a growth step), and released ones leave from the front.
    std::deque<JobRecord> m_jobs;
    int m_firstKept = 0;
    std::vector<BatchInfo> m_batches;
    // Each batch's first job's spec; the others keep what differs from it.
    std::vector<JobSpec> m_common;
};

} // namespace procdeck
