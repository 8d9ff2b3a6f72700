#include "jobstore.h"

namespace procdeck {

bool HaltPolicy::parse(const QString &text, HaltPolicy *out, QString *error)
{
    HaltPolicy policy;
    const QString t = text.trimmed().toLower();
    // parallel's old numeric forms.
    if (t == QLatin1String("0") || t == QLatin1String("never")) {
        *out = policy;
        return true;
    }
    if (t == QLatin1String("1") || t == QLatin1String("2")) {
        policy.when = t == QLatin1String("1") ? When::Soon : When::Now;
        policy.count = 1;
        *out = policy;
        return true;
    }
    const QStringList parts = t.split(QLatin1Char(','));
    auto bad = [&] {
        *error =
            QStringLiteral("--halt: \"%1\" is not when,why=N (e.g. now,fail=1 or soon,success=50%)")
                .arg(text);
        return false;
    };
    if (parts.size() != 2)
        return bad();
    if (parts[0] == QLatin1String("now"))
        policy.when = When::Now;
    else if (parts[0] == QLatin1String("soon"))
        policy.when = When::Soon;
    else
        return bad();
    const QStringList why = parts[1].split(QLatin1Char('='));
    if (why.size() != 2)
        return bad();
    if (why[0] == QLatin1String("fail"))
        policy.onFailure = true;
    else if (why[0] == QLatin1String("success") || why[0] == QLatin1String("done"))
        policy.onFailure = false;
    else
        return bad();
    bool ok = false;
    if (why[1].endsWith(QLatin1Char('%'))) {
        policy.percent = why[1].chopped(1).toDouble(&ok);
        if (!ok || policy.percent <= 0 || policy.percent > 100)
            return bad();
    } else {
        policy.count = why[1].toInt(&ok);
        if (!ok || policy.count < 1)
            return bad();
    }
    *out = policy;
    return true;
}

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

JobRecord &JobStore::addJob(int batchId, JobSpec spec)
{
    BatchInfo &b = batch(batchId);
    JobRecord record;
    record.spec = std::move(spec);
    record.batchId = batchId;
    record.seq = ++b.jobCount;
    ++b.queued;
    m_jobs.push_back(std::move(record));
    return m_jobs.back();
}

BatchCounts JobStore::totals() const
{
    BatchCounts c;
    for (const BatchInfo &b : m_batches)
        c.add(b);
    return c;
}

} // namespace procdeck
