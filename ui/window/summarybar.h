#pragma once

#include <QLabel>
#include <QTimer>

namespace procdeck {

class JobQuery;

// The batch summary in the status bar: total, queued, running, succeeded,
// failed (and canceled), and the wall time once a batch has finished.
// Redrawn at most every 100 ms however fast jobs finish.
class SummaryBar : public QLabel
{
    Q_OBJECT
public:
    explicit SummaryBar(const JobQuery *jobs, QWidget *parent = nullptr);

    // 0 sums every batch; otherwise the summary of one batch.
    void setBatch(int batchId);
    void refresh();

private:
    const JobQuery *m_jobs;
    QTimer m_timer;
    int m_batchId = 0;
};

} // namespace procdeck
