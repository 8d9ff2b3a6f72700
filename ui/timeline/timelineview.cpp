#include "ui/timeline/timelineview.h"

#include "app/core/rawtext.h"
#include "app/engine/jobquery.h"
#include "app/models/jobtablemodel.h"
#include "ui/timeline/timeaxis.h"
#include "ui/window/statusdelegate.h"

#include <QHelpEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace procdeck {

namespace {

constexpr int kMinLaneHeight = 6;
constexpr int kMaxLaneHeight = 24;
constexpr int kRightMargin = 8;
constexpr int kTickSpacingPx = 90;
constexpr int kPickTolerancePx = 3;
constexpr double kMinNsPerPixel = 1000;   // a microsecond: deeper says nothing more
constexpr double kMaxContentPx = 1e9;     // the scroll bar's range stays an int
constexpr qint64 kMinExtentNs = 10000000; // a fit shows at least 10 ms
constexpr double kZoomStep = 1.25;        // per wheel notch

// Which color a run of merged bars takes: a failure among them shows.
int rank(int outcome)
{
    switch (outcome) {
    case JobTableModel::Failed:
        return 3;
    case JobTableModel::Working:
        return 2;
    case JobTableModel::Canceled:
        return 1;
    default:
        return 0;
    }
}

QString outcomeName(int outcome)
{
    switch (outcome) {
    case JobTableModel::Working:
        return QStringLiteral("running");
    case JobTableModel::Succeeded:
        return QStringLiteral("succeeded");
    case JobTableModel::Failed:
        return QStringLiteral("failed");
    case JobTableModel::Canceled:
        return QStringLiteral("canceled");
    default:
        return QStringLiteral("waiting");
    }
}

} // namespace

TimelineView::TimelineView(const JobQuery *jobs, QWidget *parent)
    : QAbstractScrollArea(parent)
    , m_jobs(jobs)
    , m_index(jobs)
{
    setObjectName(QStringLiteral("timelineView"));
    setFocusPolicy(Qt::StrongFocus);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_tick.setSingleShot(true);
    m_tick.setInterval(kTickMs);
    connect(&m_tick, &QTimer::timeout, this, &TimelineView::tick);
    listenTo(jobs);
    connect(horizontalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        if (m_settingScrollBars || m_fitting)
            return;
        m_leftNs = qint64(value * m_nsPerPixel);
        viewport()->update();
    });
    connect(verticalScrollBar(), &QScrollBar::valueChanged, viewport(),
            qOverload<>(&QWidget::update));
}

void TimelineView::listenTo(const JobQuery *jobs)
{
    connect(jobs, &JobQuery::jobChanged, this, [this](int job) {
        m_index.sync(job);
        scheduleTick();
    });
    connect(jobs, &JobQuery::jobsAdded, this, &TimelineView::scheduleTick);
}

void TimelineView::setJobs(const JobQuery *jobs)
{
    if (jobs == m_jobs)
        return;
    disconnect(m_jobs, nullptr, this, nullptr);
    m_jobs = jobs;
    m_index.setJobs(jobs);
    listenTo(jobs);
    m_currentJob = -1;
    fitAll();
    scheduleTick();
}

TimelineView::Layout TimelineView::layout() const
{
    Layout l;
    const QFontMetrics fm(font());
    l.axisHeight = fm.height() + 10;
    l.gutter = fm.horizontalAdvance(QStringLiteral("Slot 888")) + 12;
    const QRect vp = viewport()->rect();
    l.plot = QRect(QPoint(l.gutter, l.axisHeight + 2),
                   QPoint(std::max(l.gutter + 1, vp.right() - kRightMargin), vp.bottom()));
    l.lanes = laneCount();
    l.laneHeight = l.lanes > 0
                       ? std::clamp(l.plot.height() / l.lanes, kMinLaneHeight, kMaxLaneHeight)
                       : kMaxLaneHeight;
    return l;
}

int TimelineView::laneCount() const
{
    return m_index.span(m_batchFilter).highestSlot;
}

bool TimelineView::shows(const TimelineBar &bar) const
{
    return m_batchFilter == 0 || m_jobs->batchId(bar.job) == m_batchFilter;
}

qint64 TimelineView::originNs() const
{
    return m_index.span(m_batchFilter).firstStartNs;
}

qint64 TimelineView::extentNs() const
{
    const TimelineIndex::Span span = m_index.span(m_batchFilter);
    qint64 last = span.lastEndNs;
    if (span.running > 0) {
        const QList<int> running = m_jobs->runningJobs();
        for (int job : running) {
            if (const TimelineBar *bar = m_index.bar(job); bar && shows(*bar))
                last = std::max(last, m_index.endNs(*bar));
        }
    }
    return std::max(kMinExtentNs, last - originNs());
}

double TimelineView::fitNsPerPixel(const Layout &l) const
{
    return double(extentNs()) / double(std::max(1, l.plot.width()));
}

double TimelineView::nsPerPixel() const
{
    return m_fitting ? fitNsPerPixel(layout()) : m_nsPerPixel;
}

double TimelineView::xOf(qint64 ns, const Layout &l, double scale) const
{
    const qint64 left = m_fitting ? 0 : m_leftNs;
    const double x = l.plot.left() + double(ns - originNs() - left) / scale;
    // Deep zoom puts far bars millions of pixels away: keep them near.
    return std::clamp(x, double(l.plot.left() - 4), double(l.plot.right() + 4));
}

QRect TimelineView::barRect(int job) const
{
    const TimelineBar *bar = m_index.bar(job);
    if (!bar || !shows(*bar))
        return {};
    const Layout l = layout();
    const double scale = nsPerPixel();
    const int x0 = int(std::floor(xOf(bar->startNs, l, scale)));
    const int x1 = int(std::ceil(xOf(m_index.endNs(*bar), l, scale)));
    return QRect(x0, l.laneTop(m_index.laneOf(job), verticalScrollBar()->value()) + 1,
                 std::max(1, x1 - x0), l.laneHeight - 2);
}

int TimelineView::jobAt(const QPoint &pos) const
{
    const Layout l = layout();
    if (!l.plot.contains(pos) || l.lanes == 0)
        return -1;
    const int lane = (pos.y() - l.plot.top() + verticalScrollBar()->value()) / l.laneHeight;
    if (lane < 0 || lane >= std::min(l.lanes, m_index.laneCount()))
        return -1;
    const double scale = nsPerPixel();
    const qint64 at =
        originNs() + (m_fitting ? 0 : m_leftNs) + qint64((pos.x() - l.plot.left()) * scale);
    const qint64 tolerance = qint64(kPickTolerancePx * scale);
    const TimelineLane &bars = m_index.lane(lane);
    if (bars.empty())
        return -1;
    // The bars around the spot, nearest first: a hit, else the closest
    // within the tolerance (thin bars are hard to hit).
    int best = -1;
    qint64 bestDistance = tolerance + 1;
    for (size_t i = m_index.firstReaching(lane, at - tolerance); i < bars.size(); ++i) {
        const TimelineBar &bar = bars[i];
        if (bar.startNs > at + tolerance)
            break;
        if (!shows(bar))
            continue;
        const qint64 end = m_index.endNs(bar);
        const qint64 distance = at < bar.startNs ? bar.startNs - at : at > end ? at - end : 0;
        if (distance < bestDistance) {
            best = bar.job;
            bestDistance = distance;
        }
    }
    return best;
}

void TimelineView::setBatchFilter(int batchId)
{
    m_batchFilter = std::max(0, batchId);
    verticalScrollBar()->setValue(0);
    fitAll();
}

void TimelineView::setCurrentJob(int job)
{
    m_currentJob = job;
    const TimelineBar *bar = m_index.bar(job);
    if (bar && shows(*bar) && !m_fitting) {
        const Layout l = layout();
        const QRect r = barRect(job);
        if (r.right() < l.plot.left() || r.left() > l.plot.right()) {
            m_leftNs = bar->startNs - originNs() - qint64(l.plot.width() / 2 * m_nsPerPixel);
            clampLeft(l);
            updateScrollBars();
        }
        const int top = l.laneTop(m_index.laneOf(job), 0) - l.plot.top();
        QScrollBar *v = verticalScrollBar();
        if (top < v->value() || top + l.laneHeight > v->value() + l.plot.height())
            v->setValue(top - l.plot.height() / 2);
    }
    viewport()->update();
}

void TimelineView::fitAll()
{
    m_fitting = true;
    m_leftNs = 0;
    updateScrollBars();
    viewport()->update();
}

void TimelineView::zoomBy(double factor, int x)
{
    if (factor <= 0)
        return;
    const Layout l = layout();
    const double scale = nsPerPixel();
    const double anchor = double(m_fitting ? 0 : m_leftNs) + (x - l.plot.left()) * scale;
    const double fit = fitNsPerPixel(l);
    const double next =
        std::max({scale / factor, kMinNsPerPixel, double(extentNs()) / kMaxContentPx});
    if (next >= fit) {
        fitAll();
        return;
    }
    m_fitting = false;
    m_nsPerPixel = next;
    m_leftNs = qint64(anchor - (x - l.plot.left()) * next);
    clampLeft(l);
    updateScrollBars();
    viewport()->update();
}

void TimelineView::clampLeft(const Layout &l)
{
    const qint64 most = std::max<qint64>(0, extentNs() - qint64(l.plot.width() * m_nsPerPixel));
    m_leftNs = std::clamp<qint64>(m_leftNs, 0, most);
}

void TimelineView::updateScrollBars()
{
    const Layout l = layout();
    m_settingScrollBars = true;
    QScrollBar *h = horizontalScrollBar();
    if (m_fitting) {
        h->setRange(0, 0);
    } else {
        const double content = double(extentNs()) / m_nsPerPixel;
        h->setRange(0, int(std::max(0.0, content - l.plot.width())));
        h->setPageStep(l.plot.width());
        h->setSingleStep(std::max(1, l.plot.width() / 10));
        h->setValue(int(double(m_leftNs) / m_nsPerPixel));
    }
    QScrollBar *v = verticalScrollBar();
    v->setRange(0, std::max(0, l.lanes * l.laneHeight - l.plot.height()));
    v->setPageStep(l.plot.height());
    v->setSingleStep(l.laneHeight);
    m_settingScrollBars = false;
}

void TimelineView::scheduleTick()
{
    if (!m_tick.isActive())
        m_tick.start();
}

void TimelineView::tick()
{
    updateScrollBars();
    viewport()->update();
    // Running bars grow: keep ticking while one shows, and while anyone
    // can see it.
    if (isVisible() && m_index.span(m_batchFilter).running > 0)
        m_tick.start();
}

void TimelineView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

void TimelineView::showEvent(QShowEvent *event)
{
    QAbstractScrollArea::showEvent(event);
    scheduleTick(); // what changed while hidden, and the ticks that stopped
}

void TimelineView::paintEvent(QPaintEvent *)
{
    QPainter p(viewport());
    p.fillRect(viewport()->rect(), palette().color(QPalette::Base));
    if (m_index.span(m_batchFilter).isEmpty()) {
        paintHint(p);
        return;
    }
    const Layout l = layout();
    const double scale = m_fitting ? fitNsPerPixel(l) : m_nsPerPixel;
    paintLanes(p, l, scale);
    paintAxis(p, l, scale);
}

void TimelineView::paintHint(QPainter &p) const
{
    QString hint;
    if (m_jobs->jobCount() == 0)
        hint = tr("No jobs yet.\nRun a batch: each slot gets a lane, each job a bar from its "
                  "start to its end.");
    else if (m_batchFilter > 0)
        hint = tr("No job of batch %1 has started yet.").arg(m_batchFilter);
    else
        hint = tr("No job has started yet.");
    p.setPen(palette().color(QPalette::PlaceholderText));
    p.drawText(viewport()->rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap,
               hint);
}

void TimelineView::paintAxis(QPainter &p, const Layout &l, double scale) const
{
    const QRect strip(0, 0, viewport()->width(), l.axisHeight);
    p.fillRect(strip, palette().color(QPalette::Window));
    p.setPen(palette().color(QPalette::Mid));
    p.drawLine(strip.bottomLeft(), strip.bottomRight());
    p.setPen(palette().color(QPalette::WindowText));
    const qint64 step = TimeAxis::step(kTickSpacingPx * scale);
    const qint64 left = m_fitting ? 0 : m_leftNs;
    const qint64 right = left + qint64(l.plot.width() * scale);
    const QFontMetrics fm(font());
    for (qint64 t = (left + step - 1) / step * step; t <= right; t += step) {
        const int x = l.plot.left() + int(double(t - left) / scale);
        p.drawLine(x, strip.bottom() - 4, x, strip.bottom());
        const QString text = TimeAxis::label(t, step);
        const int w = fm.horizontalAdvance(text);
        // The first label starts at its tick, the others center on theirs.
        const int tx = std::min(t == left ? x : x - w / 2, viewport()->width() - w - 2);
        p.drawText(QRect(tx, 2, w, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, text);
    }
    p.drawText(QRect(4, 2, l.gutter - 8, fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
               tr("Slot"));
}

void TimelineView::paintLanes(QPainter &p, const Layout &l, double scale) const
{
    const int scrolled = verticalScrollBar()->value();
    const int firstLane = std::max(0, scrolled / l.laneHeight);
    const int lastLane =
        std::min({l.lanes, m_index.laneCount(), (scrolled + l.plot.height()) / l.laneHeight + 1});
    const qint64 origin = originNs();
    const qint64 left = origin + (m_fitting ? 0 : m_leftNs);
    const qint64 right = left + qint64((l.plot.width() + 1) * scale);
    const QRect lanesArea(0, l.plot.top(), viewport()->width(), l.plot.height());
    p.setClipRect(lanesArea);

    // Lane stripes and the time grid under the bars.
    const QColor stripe = palette().color(QPalette::AlternateBase);
    for (int lane = firstLane; lane < lastLane; ++lane) {
        if (lane % 2)
            p.fillRect(QRect(0, l.laneTop(lane, scrolled), viewport()->width(), l.laneHeight),
                       stripe);
    }
    QColor grid = palette().color(QPalette::Mid);
    grid.setAlpha(70);
    p.setPen(grid);
    const qint64 step = TimeAxis::step(kTickSpacingPx * scale);
    const qint64 leftRel = left - origin;
    for (qint64 t = (leftRel + step - 1) / step * step; t <= right - origin; t += step) {
        const int x = l.plot.left() + int(double(t - leftRel) / scale);
        p.drawLine(x, l.plot.top(), x, l.plot.bottom());
    }

    QColor colors[JobTableModel::Canceled + 1];
    for (int c = JobTableModel::Working; c <= JobTableModel::Canceled; ++c)
        colors[c] = outcomeColor(c);

    p.setClipRect(
        QRect(l.plot.left(), l.plot.top(), l.plot.width() + kRightMargin, l.plot.height()));
    for (int lane = firstLane; lane < lastLane; ++lane) {
        const int y = l.laneTop(lane, scrolled) + 1;
        const int h = l.laneHeight - 2;
        // Bars under 3 px join their neighbours into one rect per run, in
        // the run's most telling color: thousands of bars in a few hundred
        // pixels become a few hundred rects.
        double runStart = 0, runEnd = -1e9;
        int runOutcome = -1;
        auto flushRun = [&] {
            if (runOutcome < 0)
                return;
            const int a = int(std::floor(runStart));
            const int b = std::max(a + 1, int(std::ceil(runEnd)));
            p.fillRect(QRect(a, y, b - a, h), colors[runOutcome]);
            runOutcome = -1;
        };
        const TimelineLane &bars = m_index.lane(lane);
        for (size_t i = m_index.firstReaching(lane, left); i < bars.size(); ++i) {
            const TimelineBar &bar = bars[i];
            if (bar.startNs > right)
                break;
            if (!shows(bar) || bar.outcome < JobTableModel::Working)
                continue;
            const qint64 end = m_index.endNs(bar);
            if (end < left)
                continue;
            const double x0 = l.plot.left() + double(bar.startNs - left) / scale;
            const double x1 =
                std::min(l.plot.right() + 4.0, l.plot.left() + double(end - left) / scale);
            if (x1 - x0 >= 3) {
                flushRun();
                // A pixel's gap at the end tells neighbours apart.
                const int a = int(std::floor(std::max(x0, l.plot.left() - 4.0)));
                const int b = int(std::floor(x1));
                p.fillRect(QRect(a, y, std::max(1, b - a - 1), h), colors[bar.outcome]);
                continue;
            }
            if (runOutcome >= 0 && x0 <= runEnd + 1) {
                runEnd = std::max(runEnd, x1);
                if (rank(bar.outcome) > rank(runOutcome))
                    runOutcome = bar.outcome;
                continue;
            }
            flushRun();
            runStart = x0;
            runEnd = x1;
            runOutcome = bar.outcome;
        }
        flushRun();
    }

    // The current job, outlined, and wide enough to find when thin.
    if (const QRect r = barRect(m_currentJob); r.isValid()) {
        QRect outline = r.adjusted(-2, -1, 1, 0);
        if (outline.width() < 6)
            outline.adjust(-(6 - outline.width()) / 2, 0, (6 - outline.width() + 1) / 2, 0);
        p.setPen(QPen(palette().color(QPalette::Text), 2));
        p.setBrush(Qt::NoBrush);
        p.drawRect(outline);
    }

    // Lane labels; when lanes are thinner than text, every few lanes.
    p.setClipRect(lanesArea);
    p.fillRect(QRect(0, l.plot.top(), l.gutter - 2, l.plot.height()),
               palette().color(QPalette::Window));
    p.setPen(palette().color(QPalette::WindowText));
    const QFontMetrics fm(font());
    const int every = std::max(1, (fm.height() + l.laneHeight - 1) / l.laneHeight);
    for (int lane = firstLane; lane < lastLane; ++lane) {
        if (lane % every)
            continue;
        const int top = l.laneTop(lane, scrolled);
        p.drawText(QRect(6, top + (l.laneHeight - fm.height()) / 2, l.gutter - 10, fm.height()),
                   Qt::AlignRight | Qt::AlignVCenter, QString::number(lane + 1));
    }
    p.setClipping(false);
}

void TimelineView::wheelEvent(QWheelEvent *event)
{
    const QPoint delta = event->angleDelta();
    const int notches = delta.y() != 0 ? delta.y() : delta.x();
    if (event->modifiers() & Qt::ControlModifier) {
        zoomBy(std::pow(kZoomStep, notches / 120.0), int(event->position().x()));
    } else if (!m_fitting) {
        QScrollBar *h = horizontalScrollBar();
        h->setValue(h->value() - notches * h->pageStep() / 8 / 120);
    } else if (verticalScrollBar()->maximum() > 0) {
        QAbstractScrollArea::wheelEvent(event);
        return;
    }
    event->accept();
}

void TimelineView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    const int job = jobAt(event->position().toPoint());
    if (job >= 0) {
        setCurrentJob(job);
        emit jobActivated(job);
    }
    event->accept();
}

void TimelineView::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (jobAt(event->position().toPoint()) < 0)
        fitAll();
    event->accept();
}

void TimelineView::keyPressEvent(QKeyEvent *event)
{
    const int center = layout().plot.center().x();
    switch (event->key()) {
    case Qt::Key_0:
    case Qt::Key_Home:
        fitAll();
        break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomBy(2, center);
        break;
    case Qt::Key_Minus:
        zoomBy(0.5, center);
        break;
    default:
        QAbstractScrollArea::keyPressEvent(event);
        return;
    }
    event->accept();
}

bool TimelineView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int job = jobAt(help->pos());
        if (job >= 0)
            QToolTip::showText(help->globalPos(), toolTipFor(job), viewport(), barRect(job));
        else
            QToolTip::hideText();
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

QString TimelineView::toolTipFor(int job) const
{
    const TimelineBar *bar = m_index.bar(job);
    if (!bar)
        return {};
    QString command = RawText::forDisplay(m_jobs->spec(job).displayCommand());
    if (command.size() > 200)
        command = command.left(200) + QChar(0x2026);
    const QString status = bar->outcome == JobTableModel::Working
                               ? tr("Running")
                               : describeOutcome(m_jobs->result(job), m_jobs->spec(job).timeoutMs);
    // One arg() with every value: a chain would replace a "%5" that the
    // command itself holds (printf '%5s') in a later step.
    return tr("<b>Job %1</b> (batch %2, #%3), slot %4<br><tt>%5</tt><br>%6 (%7), runtime %8 s, "
              "started at %9 s")
        .arg(QString::number(job + 1), QString::number(m_jobs->batchId(bar->job)),
             QString::number(m_jobs->seq(job)), QString::number(m_index.laneOf(job) + 1),
             command.toHtmlEscaped(), status.toHtmlEscaped(), outcomeName(bar->outcome),
             formatSeconds(m_index.endNs(*bar) - bar->startNs),
             formatSeconds(bar->startNs - originNs()));
}

} // namespace procdeck
