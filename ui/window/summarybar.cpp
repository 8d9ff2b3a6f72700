#include "ui/window/summarybar.h"

#include "app/engine/jobquery.h"
#include "app/process/jobrunner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>

namespace procdeck {

SummaryBar::SummaryBar(const JobQuery *jobs, QWidget *parent)
    : QWidget(parent)
    , m_jobs(jobs)
    , m_counts(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_detail(new QLabel(this))
{
    setObjectName(QStringLiteral("summaryBar"));
    m_counts->setObjectName(QStringLiteral("summaryText"));
    m_counts->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress->setObjectName(QStringLiteral("batchProgress"));
    m_progress->setFormat(tr("%v/%m"));
    m_progress->setMaximumWidth(220);
    m_progress->setMaximumHeight(m_counts->sizeHint().height());
    m_progress->setToolTip(tr("Jobs done out of all the jobs of the batches shown"));
    m_progress->hide();
    m_detail->setObjectName(QStringLiteral("progressDetail"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_counts, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_detail);

    m_timer.setSingleShot(true);
    m_timer.setInterval(100);
    connect(&m_timer, &QTimer::timeout, this, &SummaryBar::refresh);
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &SummaryBar::refresh);
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

QString SummaryBar::text() const
{
    return m_counts->text();
}

QString SummaryBar::progressText() const
{
    return m_detail->text();
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
    m_counts->setText(text);

    const qint64 now = JobRunner::monotonicNowNs();
    const BatchProgress shown = BatchProgress::of(jobs, m_batchId, now);
    m_progress->setVisible(shown.total > 0);
    m_progress->setRange(0, qMax(1, shown.total));
    m_progress->setValue(shown.done);
    QStringList detail;
    if (shown.failed > 0)
        detail << tr("%1 failed").arg(shown.failed);
    if (const QString left = describeRemaining(shown.remainingNs); !left.isEmpty())
        detail << left;
    m_detail->setText(detail.join(QStringLiteral(" · ")));

    const BatchProgress running = m_batchId == 0 ? shown : BatchProgress::of(jobs, 0, now);
    if (running.running && !m_tick.isActive())
        m_tick.start();
    else if (!running.running)
        m_tick.stop();
    emit runningProgress(running);
}

} // namespace procdeck
