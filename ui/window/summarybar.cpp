#include "ui/window/summarybar.h"

#include "app/engine/jobquery.h"

namespace procdeck {

SummaryBar::SummaryBar(const JobQuery *jobs, QWidget *parent)
    : QLabel(parent)
    , m_jobs(jobs)
{
    setObjectName(QStringLiteral("summaryBar"));
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_timer.setSingleShot(true);
    m_timer.setInterval(100);
    connect(&m_timer, &QTimer::timeout, this, &SummaryBar::refresh);
    auto later = [this] {
        if (!m_timer.isActive())
            m_timer.start();
    };
    connect(jobs, &JobQuery::countsChanged, this, later);
    // The finish line is shown at once: it is the number people wait for.
    connect(jobs, &JobQuery::batchFinished, this, &SummaryBar::refresh);
    refresh();
}

void SummaryBar::setBatch(int batchId)
{
    m_batchId = batchId;
    refresh();
}

void SummaryBar::refresh()
{
    const JobQuery &jobs = *m_jobs;
    BatchCounts counts;
    const BatchInfo *finishedBatch = nullptr;
    if (m_batchId > 0 && m_batchId <= jobs.batchCount()) {
        counts.add(jobs.batch(m_batchId));
        if (jobs.batch(m_batchId).isFinished())
            finishedBatch = &jobs.batch(m_batchId);
    } else {
        counts = jobs.totals();
        if (jobs.batchCount() > 0 && jobs.batch(jobs.batchCount()).isFinished())
            finishedBatch = &jobs.batch(jobs.batchCount());
    }
    QString text = tr("Total %1 · Queued %2 · Running %3 · Succeeded %4 · Failed %5")
                       .arg(counts.total)
                       .arg(counts.queued)
                       .arg(counts.running)
                       .arg(counts.succeeded)
                       .arg(counts.failed);
    if (counts.canceled > 0)
        text += tr(" · Canceled %1").arg(counts.canceled);
    if (finishedBatch) {
        text += tr("   —   Batch %1: Finished in %2 seconds")
                    .arg(finishedBatch->id)
                    .arg(formatSeconds(finishedBatch->wallTimeNs()));
    }
    setText(text);
}

} // namespace procdeck
