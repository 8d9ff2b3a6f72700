#include "app/engine/jobstore.h"

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
    return m_batches.back();
}

JobRecord &JobStore::addJob(int batchId, JobSpec spec, int seq)
{
    BatchInfo &b = batch(batchId);
    JobRecord record;
    record.spec = std::move(spec);
    record.batchId = batchId;
    ++b.jobCount;
    record.seq = seq > 0 ? seq : b.jobCount;
    ++b.queued;
    m_jobs.push_back(std::move(record));
    return m_jobs.back();
}

} // namespace procdeck
