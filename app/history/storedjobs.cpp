#include "app/history/storedjobs.h"

#include <QDateTime>

namespace procdeck {

StoredJobs::StoredJobs(StoredBatchSummary summary, BatchSettings settings, std::vector<Job> jobs,
                       QObject *parent)
    : JobQuery(parent)
    , m_summary(std::move(summary))
    , m_settings(std::move(settings))
    , m_jobs(std::move(jobs))
{
    m_batch.id = 1;
    m_batch.label = m_summary.label;
    m_batch.firstJob = 0;
    m_batch.jobCount = int(m_jobs.size());
    m_batch.options = m_settings.options;
    // Wall clock in both: startedNs() is too, so the timeline and the
    // progress figures line up.
    m_batch.submittedNs = m_summary.submittedAtMs * 1000000;
    m_batch.finishedNs = m_summary.finishedAtMs * 1000000;
    for (size_t i = 0; i < m_jobs.size(); ++i) {
        const Job &job = m_jobs[i];
        switch (job.state) {
        case JobState::Queued:
            ++m_batch.queued;
            break;
        case JobState::Running:
            ++m_batch.running;
            m_running << int(i);
            break;
        case JobState::Finished:
            if (job.result.outcome == Outcome::Canceled)
                ++m_batch.canceled;
            else if (job.result.succeeded())
                ++m_batch.succeeded;
            else
                ++m_batch.failed;
            break;
        }
    }
}

StoredJobs::~StoredJobs() = default;

bool StoredJobs::hasOutput(int index) const
{
    const Job &job = m_jobs[size_t(index)];
    return job.stdoutBytes > 0 || job.stderrBytes > 0;
}

qint64 StoredJobs::cutBytes(int index, Stream stream) const
{
    const Job &job = m_jobs[size_t(index)];
    if (!job.output)
        return 0;
    const qint64 total = stream == Stream::Stdout ? job.stdoutBytes : job.stderrBytes;
    return qMax<qint64>(0, total - job.output->byteCount(stream));
}

void StoredJobs::setOutput(int index, const StoredOutput &output)
{
    Job &job = m_jobs[size_t(index)];
    auto log = std::make_unique<OutputLog>();
    // The two streams were kept apart: stdout, then stderr.
    if (!output.stdoutKept.bytes.isEmpty())
        log->append(Stream::Stdout, output.stdoutKept.bytes);
    if (!output.stderrKept.bytes.isEmpty())
        log->append(Stream::Stderr, output.stderrKept.bytes);
    log->finish();
    job.output = std::move(log);
    emit jobOutput(index);
}

void StoredJobs::releaseOutput(int index)
{
    Job &job = m_jobs[size_t(index)];
    if (!job.output)
        return;
    job.output.reset();
    emit jobOutput(index);
}

std::vector<JobSpec> StoredJobs::specsToRerun(bool failedOnly) const
{
    std::vector<JobSpec> specs;
    for (const Job &job : m_jobs) {
        if (!failedOnly || job.result.failed())
            specs.push_back(job.runSpec);
    }
    return specs;
}

int StoredJobs::failedCount() const
{
    int n = 0;
    for (const Job &job : m_jobs)
        n += job.result.failed() ? 1 : 0;
    return n;
}

qint64 StoredJobs::runtimeNs(int index) const
{
    const Job &job = m_jobs[size_t(index)];
    if (job.state == JobState::Running && job.result.startedAtMs > 0) // in a live session
        return (QDateTime::currentMSecsSinceEpoch() - job.result.startedAtMs) * 1000000;
    return job.result.runtimeNs;
}

qint64 StoredJobs::startedNs(int index) const
{
    return m_jobs[size_t(index)].result.startedAtMs * 1000000;
}

} // namespace procdeck
