#pragma once

#include "ui/timeline/timelineindex.h"

#include <QAbstractScrollArea>
#include <QMouseEvent>
#include <QTimer>

namespace procdeck {

class JobQuery;

// The main window's timeline: one lane per slot, one bar per job from its
// start to its end, colored by outcome as the table's status is. Live while
// jobs run (one repaint per tick however many jobs change), it fits the
// shown batch until zoomed (Ctrl+wheel), pans with the wheel or the scroll
// bar, and a click on a bar activates its job. Reads jobs through JobQuery;
// owned by the main window.
class TimelineView : public QAbstractScrollArea
{
    Q_OBJECT
public:
    explicit TimelineView(const JobQuery *jobs, QWidget *parent = nullptr);

    int batchFilter() const { return m_batchFilter; }
    int currentJob() const { return m_currentJob; }
    // The lanes shown: the highest slot the shown jobs ran in.
    int laneCount() const;
    // Where the job's bar is drawn, in viewport coordinates, at least a
    // pixel wide; empty when it has no bar in the shown batch.
    QRect barRect(int job) const;
    // The job whose bar is at (or within a few pixels of) pos, in viewport
    // coordinates; -1 for none.
    int jobAt(const QPoint &pos) const;

    // Zoom: nanoseconds per pixel. Fitting shows the whole batch, and keeps
    // doing so while it grows.
    bool isFitting() const { return m_fitting; }
    double nsPerPixel() const;
    // Zooms in by factor (out when below 1), keeping the time under x in
    // place; zooming out past the whole batch fits it.
    void zoomBy(double factor, int x);
    // Something runs or changed: a repaint is due.
    bool isLive() const { return m_tick.isActive(); }
    static constexpr int kTickMs = 150;

    // Shows other jobs (a past batch, or the live session again), fitted,
    // with no job outlined.
    void setJobs(const JobQuery *jobs);

public slots:
    // 0: every batch.
    void setBatchFilter(int batchId);
    // Outlines the job's bar (-1: none) and scrolls it into view.
    void setCurrentJob(int job);
    void fitAll();

signals:
    void jobActivated(int jobIndex);

protected:
    QSize sizeHint() const override { return {640, 240}; }
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override { event->accept(); }
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    bool viewportEvent(QEvent *event) override;

private:
    // Where things go in the viewport for the current size and lanes.
    struct Layout
    {
        int axisHeight = 0;
        int gutter = 0; // lane labels
        QRect plot;     // the lanes' area, right of the gutter, below the axis
        int laneHeight = 0;
        int lanes = 0;
        int laneTop(int lane, int scrolled) const
        {
            return plot.top() + lane * laneHeight - scrolled;
        }
    };
    Layout layout() const;
    // Times on the axis count from the first shown job's start.
    qint64 originNs() const;
    qint64 extentNs() const; // from the origin to the last end, running ones "now"
    double fitNsPerPixel(const Layout &l) const;
    bool shows(const TimelineBar &bar) const;
    double xOf(qint64 ns, const Layout &l, double scale) const;

    void listenTo(const JobQuery *jobs);
    void scheduleTick();
    void tick();
    void updateScrollBars();
    void clampLeft(const Layout &l);
    void paintAxis(QPainter &p, const Layout &l, double scale) const;
    void paintLanes(QPainter &p, const Layout &l, double scale) const;
    void paintHint(QPainter &p) const;
    QString toolTipFor(int job) const;

    const JobQuery *m_jobs;
    TimelineIndex m_index;
    QTimer m_tick; // single shot: coalesces changes, and repeats while jobs run
    int m_batchFilter = 0;
    int m_currentJob = -1;
    bool m_fitting = true;
    double m_nsPerPixel = 1e6;
    qint64 m_leftNs = 0; // from the origin, at the plot's left edge
    bool m_settingScrollBars = false;
};

} // namespace procdeck
