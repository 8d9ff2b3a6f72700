#pragma once

#include "app/engine/batchprogress.h"

#include <QTimer>
#include <QWidget>

class QLabel;
class QProgressBar;

namespace procdeck {

class JobQuery;

// The batch summary in the status bar, owned by MainWindow: total, queued,
// running, succeeded, failed (and canceled), the wall time once a batch
// has finished, and a progress bar with done/total, the failed count and
// the time left. Shows the batch picked in the window, or all of them
// (the running ones while some run). Redrawn at most every 100 ms however
// fast jobs finish, and every second while jobs run (the estimate moves).
class SummaryBar : public QWidget
{
    Q_OBJECT
public:
    explicit SummaryBar(const JobQuery *jobs, QWidget *parent = nullptr);

    // 0 sums every batch; otherwise the summary of one batch.
    void setBatch(int batchId);
    void refresh();

    // The counts line ("Total 5 · Queued 0 · ...").
    QString text() const;
    // "2 failed · about 2 min left", or what of it is known.
    QString progressText() const;
    QProgressBar *progressBar() const { return m_progress; }

signals:
    // The progress of every running batch (whatever one is shown), on each
    // redraw: what the window title says.
    void runningProgress(const procdeck::BatchProgress &progress);

private:
    const JobQuery *m_jobs;
    QLabel *m_counts;
    QProgressBar *m_progress;
    QLabel *m_detail;
    QTimer m_timer;
    QTimer m_tick;
    int m_batchId = 0;
};

} // namespace procdeck
