#include "app/engine/jobstore.h"

#include "app/batch/commandtemplate.h"

namespace procdeck {

void BatchCounts::add(const BatchInfo &b)
{
    total += b.jobCount;
    queued += b.queued;
    running += b.running;
    succeeded += b.succeeded;
    failed += b.failed;
    canceled += b.canceled;
}

BatchInfo &JobStore::addBatch(const QString &label, qint64 submittedNs)
{
    BatchInfo info;
    info.id = int(m_batches.size()) + 1;
    info.label = label;
    info.firstJob = jobCount();
    info.submittedNs = submittedNs;
    m_batches.push_back(info);
    m_common.emplace_back();
    return m_batches.back();
}

JobSpec JobStore::templateSpec(int index) const
{
    const JobRecord &record = job(index);
    return record.spec.expand(m_common[size_t(record.batchId - 1)]);
}

JobSpec JobStore::spec(int index) const
{
    JobSpec spec = templateSpec(index);
    const int slot = job(index).slot;
    if (spec.usesSlot && slot > 0)
        CommandTemplate::fillSlot(&spec, slot);
    return spec;
}

JobRecord &JobStore::addJob(int batchId, const JobSpec &spec, int seq)
{
    BatchInfo &b = batch(batchId);
    JobSpec &common = m_common[size_t(batchId - 1)];
    if (b.jobCount == 0) {
        common = spec;
        // --pipe: the first block is the first job's, not every job's.
        common.stdinData.clear();
    }
    JobRecord record;
    record.spec = CompactSpec(spec, common);
    record.batchId = batchId;
    ++b.jobCount;
    record.seq = seq > 0 ? seq : b.jobCount;
    ++b.queued;
    m_jobs.push_back(std::move(record));
    return m_jobs.back();
}

void JobStore::release(int index)
{
    if (index < m_firstKept)
        return;
    JobRecord &record = job(index);
    if (record.state != JobState::Finished)
        return;
    record.released = true;
    record.output.reset();
    while (!m_jobs.empty() && m_jobs.front().released) {
        m_jobs.pop_front();
        ++m_firstKept;
    }
}

} // namespace procdeck
