#include "app/export/jobfields.h"

#include "app/core/rawtext.h"
#include "app/engine/jobquery.h"
#include "app/output/outputlog.h"

#include <algorithm>

namespace procdeck {

JobFields JobFields::of(const JobQuery &jobs, int index, int seq)
{
    JobFields f;
    const JobResult &r = jobs.result(index);
    const JobSpec &spec = jobs.spec(index);
    const OutputLog *log = jobs.output(index);
    f.seq = seq > 0 ? seq : jobs.seq(index);
    f.index = index;
    f.startTime = r.startedAtMs > 0 ? double(r.startedAtMs) / 1000.0 : 0;
    f.runtime = double(r.runtimeNs) / 1e9;
    f.receive = log ? log->byteCount(Stream::Stdout) : 0;
    f.command = spec.displayCommand();
    f.values = spec.inputValues;
    f.status = describeOutcome(r, spec.timeoutMs);
    f.cpuTime = r.cpuNs >= 0 ? double(r.cpuNs) / 1e9 : -1;
    f.peakRss = r.peakRssBytes;
    switch (r.outcome) {
    case Outcome::Exited:
        f.exitval = r.exitCode;
        break;
    case Outcome::Signaled:
        // Died of a signal by itself: parallel logs 0 and the signal. One
        // that was stopped was killed: -1, as for a timeout.
        f.exitval = r.stoppedByUser ? -1 : 0;
        f.signal = r.signal;
        break;
    case Outcome::TimedOut:
        f.exitval = -1;
        f.signal = r.signal != 0 ? r.signal : 15;
        break;
    case Outcome::FailedToStart:
        f.exitval = 127; // what a shell reports for a command it cannot run
        break;
    case Outcome::Canceled:
    case Outcome::Interrupted:
    case Outcome::None:
        f.exitval = -1;
        break;
    }
    return f;
}

JobFields JobFields::asText() const
{
    JobFields f = *this;
    f.command = RawText::forDisplay(command);
    for (QString &v : f.values)
        v = RawText::forDisplay(v);
    return f;
}

ExportSelection::ExportSelection(const JobQuery &jobs, QList<int> indices)
    : m_query(jobs)
    , m_jobs(std::move(indices))
{
    std::sort(m_jobs.begin(), m_jobs.end());
    m_jobs.erase(std::unique(m_jobs.begin(), m_jobs.end()), m_jobs.end());
    m_jobs.removeIf([&](int i) { return i < 0 || i >= jobs.jobCount(); });
    for (int i : std::as_const(m_jobs)) {
        if (jobs.batchId(i) != jobs.batchId(m_jobs.first()))
            m_oneBatch = false;
    }
}

QList<JobFields> ExportSelection::inInputOrder() const
{
    QList<JobFields> rows;
    rows.reserve(m_jobs.size());
    for (int i : m_jobs) {
        const JobFields f = JobFields::of(m_query, i, m_oneBatch ? m_query.seq(i) : i + 1);
        rows.append(f);
    }
    return rows;
}

QList<JobFields> ExportSelection::inFinishingOrder() const
{
    QList<JobFields> rows = inInputOrder();
    // Jobs that never ran come last, in input order.
    auto end = [](const JobFields &f) { return f.startTime > 0 ? f.startTime + f.runtime : 1e300; };
    std::stable_sort(rows.begin(), rows.end(),
                     [&](const JobFields &a, const JobFields &b) { return end(a) < end(b); });
    return rows;
}

int ExportSelection::maxValues() const
{
    int n = 0;
    for (int i : m_jobs)
        n = qMax(n, int(m_query.spec(i).inputValues.size()));
    return n;
}

} // namespace procdeck
