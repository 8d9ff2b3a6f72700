#include "app/cli/progressline.h"

#include "app/cli/fdio.h"
#include "app/engine/batchprogress.h"
#include "app/engine/jobquery.h"
#include "app/process/jobrunner.h"

namespace procdeck {

ProgressLine::ProgressLine(const JobQuery *jobs, bool enabled, QObject *parent)
    : QObject(parent)
    , m_jobs(jobs)
    , m_enabled(enabled)
{
    m_timer.setInterval(200);
    connect(&m_timer, &QTimer::timeout, this, [this] { draw(false); });
}

void ProgressLine::start(int batchId)
{
    m_batchId = batchId;
    if (m_enabled)
        m_timer.start();
}

void ProgressLine::finish()
{
    if (m_enabled)
        draw(true);
    m_timer.stop();
}

void ProgressLine::clear()
{
    if (m_enabled)
        writeAll(2, "\r\033[K");
}

void ProgressLine::draw(bool last)
{
    if (m_batchId == 0)
        return;
    const BatchInfo &b = m_jobs->batch(m_batchId);
    const int done = b.succeeded + b.failed + b.canceled;
    const qint64 elapsedNs = JobRunner::monotonicNowNs() - b.submittedNs;
    const double elapsed = double(elapsedNs) / 1e9;
    // The window's estimate (BatchProgress), from the first job on.
    const qint64 remainingNs = estimateRemainingNs(done, b.jobCount, elapsedNs, 1);
    QString eta = QStringLiteral("?");
    if (remainingNs >= 0 && done < b.jobCount)
        eta = QString::number(double(remainingNs) / 1e9, 'f', 0) + QLatin1Char('s');
    QString line = QStringLiteral("\r\033[Kprocdeck: %1/%2 done, %3 running, %4 failed")
                       .arg(done)
                       .arg(b.jobCount)
                       .arg(b.running)
                       .arg(b.failed);
    if (!last)
        line += QStringLiteral(", ETA %1").arg(eta);
    else
        line += QStringLiteral(" in %1 s\n").arg(elapsed, 0, 'f', 3);
    writeAll(2, line.toUtf8());
}

} // namespace procdeck
