// The timeline view: a lane per slot, a bar per job in its outcome's color,
// live while jobs run, a click selects, and ten thousand jobs still paint.
// Jobs run on a simulated clock (SimulatedLauncher): any number, with chosen
// runtimes and outcomes, no processes.
#include "app/engine/scheduler.h"
#include "app/models/jobtablemodel.h"
#include "app/process/jobrunner.h"
#include "tests/simulatedlauncher.h"
#include "testsupport.h"
#include "ui/timeline/timeaxis.h"
#include "ui/timeline/timelineview.h"
#include "ui/window/statusdelegate.h"

#include <QDir>
#include <QHash>
#include <QScrollBar>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QWheelEvent>

using namespace procdeck;
using namespace testsupport;

namespace {

constexpr qint64 kMs = 1000000;

// Counts the paints of a widget.
class PaintCounter : public QObject
{
public:
    explicit PaintCounter(QWidget *w) { w->installEventFilter(this); }
    int paints = 0;

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (event->type() == QEvent::Paint)
            ++paints;
        return false;
    }
};

// A scheduler whose jobs run on a simulated clock, and a timeline on it.
// The view goes first, before the scheduler it reads.
struct Rig
{
    SimulatedLauncher launcher;
    Scheduler scheduler;
    std::unique_ptr<TimelineView> view;

    Rig()
    {
        scheduler.setLauncher(&launcher);
        launcher.clockNs = JobRunner::monotonicNowNs();
        view = std::make_unique<TimelineView>(&scheduler);
        view->resize(800, 300);
    }
    ~Rig() { view.reset(); }
    int submit(int jobs, int parallel, const BatchOptions &options = {})
    {
        scheduler.setMaxParallel(parallel);
        return scheduler.submit(QStringLiteral("sim"), times(shell(QStringLiteral("true")), jobs),
                                options);
    }
    bool show()
    {
        view->show();
        return QTest::qWaitForWindowExposed(view.get());
    }
    QColor colorAt(int job) const
    {
        const QImage image = view->grab().toImage();
        return image.pixelColor(view->viewport()->mapTo(view.get(), view->barRect(job).center()));
    }
};

} // namespace

class TestTimelineView : public QObject
{
    Q_OBJECT
private slots:
    void emptyShowsAHint();
    void oneLanePerSlotUsed();
    void clickOnABarActivatesItsJob();
    void failedAndSucceededBarsDiffer();
    void runningBarGrowsWhileItRuns();
    void manyChangesMakeFewPaints();
    void retriedJobMovesToItsNewSlot();
    void batchFilterShowsOneBatch();
    void ctrlWheelZoomsAroundTheCursor();
    void tenThousandJobsPaint();
    void axisLabelsReadInTheirUnit();
    void screenshotOfAMixedBatch();
};

void TestTimelineView::emptyShowsAHint()
{
    Rig rig;
    QVERIFY(rig.show());
    QCOMPARE(rig.view->laneCount(), 0);
    QCOMPARE(rig.view->jobAt(rig.view->viewport()->rect().center()), -1);
    QVERIFY(!rig.view->barRect(0).isValid());
    // The hint is text: the picture is not a blank page.
    const QImage image = rig.view->viewport()->grab().toImage();
    QSet<QRgb> colors;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            colors.insert(image.pixel(x, y));
    QVERIFY(colors.size() > 1);
}

void TestTimelineView::oneLanePerSlotUsed()
{
    Rig rig;
    rig.launcher.runtime = [](int n) { return (10 + 7 * (n % 5)) * kMs; };
    rig.submit(12, 3);
    rig.launcher.finishUntil(0);
    QVERIFY(rig.show());
    QCOMPARE(rig.view->laneCount(), 3);
    // Each bar sits in the lane of the slot its job ran in.
    QHash<int, int> topOfSlot;
    for (int job = 0; job < 12; ++job) {
        const QRect r = rig.view->barRect(job);
        QVERIFY2(r.isValid(), qPrintable(QString::number(job)));
        const int slot = rig.scheduler.slot(job);
        if (topOfSlot.contains(slot))
            QCOMPARE(r.top(), topOfSlot.value(slot));
        topOfSlot.insert(slot, r.top());
    }
    QCOMPARE(topOfSlot.size(), 3);
    const QList<int> tops = topOfSlot.values();
    QCOMPARE(QSet<int>(tops.begin(), tops.end()).size(), 3);
    // More slots, more lanes.
    rig.submit(8, 5);
    rig.launcher.finishUntil(0);
    QCOMPARE(rig.view->laneCount(), 5);
}

void TestTimelineView::clickOnABarActivatesItsJob()
{
    Rig rig;
    rig.launcher.runtime = [](int n) { return (20 + 10 * (n % 3)) * kMs; };
    rig.submit(10, 2);
    rig.launcher.finishUntil(0);
    QVERIFY(rig.show());
    QSignalSpy activated(rig.view.get(), &TimelineView::jobActivated);
    for (int job : {4, 7, 0}) {
        const QRect r = rig.view->barRect(job);
        QVERIFY(r.width() >= 3);
        QCOMPARE(rig.view->jobAt(r.center()), job);
        QTest::mouseClick(rig.view->viewport(), Qt::LeftButton, {}, r.center());
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.takeFirst().at(0).toInt(), job);
        QCOMPARE(rig.view->currentJob(), job);
    }
    // Nothing under the axis: no job.
    QTest::mouseClick(rig.view->viewport(), Qt::LeftButton, {}, QPoint(400, 3));
    QCOMPARE(activated.size(), 0);
    // The table's selection outlines a bar, and does not activate it again.
    rig.view->setCurrentJob(2);
    QCOMPARE(rig.view->currentJob(), 2);
    QCOMPARE(activated.size(), 0);
}

void TestTimelineView::failedAndSucceededBarsDiffer()
{
    Rig rig;
    rig.launcher.runtime = [](int) { return 50 * kMs; };
    rig.launcher.exitCode = [](int n) { return n == 1 ? 3 : 0; };
    rig.submit(2, 2);
    rig.launcher.finishUntil(0);
    QVERIFY(rig.show());
    QCOMPARE(rig.scheduler.result(1).exitCode, 3);
    const QColor ok = rig.colorAt(0), failed = rig.colorAt(1);
    QCOMPARE(ok, outcomeColor(JobTableModel::Succeeded));
    QCOMPARE(failed, outcomeColor(JobTableModel::Failed));
    QVERIFY(ok != failed);
}

void TestTimelineView::runningBarGrowsWhileItRuns()
{
    Rig rig;
    QVERIFY(rig.show());
    PaintCounter counter(rig.view->viewport());
    rig.launcher.runtime = [](int) { return 5 * kMs; };
    rig.submit(1, 1);
    QCOMPARE(rig.scheduler.state(0), JobState::Running);
    QTRY_VERIFY(rig.view->barRect(0).isValid());
    QCOMPARE(rig.colorAt(0), outcomeColor(JobTableModel::Working));
    // A fixed scale, so that a longer run is a wider bar.
    rig.view->zoomBy(1.01, 0);
    QVERIFY(!rig.view->isFitting());
    const int before = rig.view->barRect(0).width();
    QTRY_VERIFY(rig.view->barRect(0).width() > before + 20);
    // The view repaints on its own while the job runs, and then stops.
    QVERIFY(rig.view->isLive());
    const int paints = counter.paints;
    QTRY_VERIFY(counter.paints > paints + 1);
    rig.launcher.finishUntil(0);
    QCOMPARE(rig.scheduler.state(0), JobState::Finished);
    QTRY_VERIFY(!rig.view->isLive());
    QCOMPARE(rig.colorAt(0), outcomeColor(JobTableModel::Succeeded));
}

void TestTimelineView::manyChangesMakeFewPaints()
{
    Rig rig;
    QVERIFY(rig.show());
    QTRY_VERIFY(!rig.view->isLive());
    PaintCounter counter(rig.view->viewport());
    // Thousands of job signals at once: one tick, one paint.
    rig.submit(2000, 4);
    rig.launcher.finishUntil(0);
    QVERIFY(rig.view->isLive());
    QTRY_VERIFY(!rig.view->isLive());
    QTRY_VERIFY(counter.paints >= 1);
    QVERIFY2(counter.paints <= 2, qPrintable(QString::number(counter.paints)));
    QCOMPARE(rig.view->laneCount(), 4);
}

void TestTimelineView::retriedJobMovesToItsNewSlot()
{
    Rig rig;
    // Job 1 fails in slot 2 after slot 1 went free: its retry runs in slot 1.
    rig.launcher.runtime = [](int n) { return (n == 1 ? 30 : 10) * kMs; };
    rig.launcher.exitCode = [](int n) { return n == 1 ? 1 : 0; };
    BatchOptions options;
    options.attempts = 2;
    rig.submit(2, 2, options);
    QCOMPARE(rig.scheduler.slot(1), 2);
    rig.launcher.finishUntil(0);
    QCOMPARE(rig.scheduler.attempt(1), 2);
    QCOMPARE(rig.scheduler.slot(1), 1);
    QVERIFY(rig.scheduler.result(1).succeeded());
    QVERIFY(rig.show());
    const QRect first = rig.view->barRect(0), retried = rig.view->barRect(1);
    QCOMPARE(retried.top(), first.top());
    QVERIFY(retried.left() >= first.right());
    // Its first attempt left nothing behind in slot 2.
    const QRect lane2(first.left(), first.bottom() + 4, retried.right() - first.left(), 1);
    for (int x = lane2.left(); x < lane2.right(); x += 2)
        QCOMPARE(rig.view->jobAt(QPoint(x, lane2.top())), -1);
    QCOMPARE(rig.colorAt(1), outcomeColor(JobTableModel::Succeeded));
}

void TestTimelineView::batchFilterShowsOneBatch()
{
    Rig rig;
    rig.launcher.runtime = [](int) { return 10 * kMs; };
    const int first = rig.submit(4, 2);
    rig.launcher.finishUntil(0);
    const int second = rig.submit(6, 3);
    rig.launcher.finishUntil(0);
    QVERIFY(rig.show());
    QCOMPARE(rig.view->laneCount(), 3);
    rig.view->setBatchFilter(first);
    QCOMPARE(rig.view->batchFilter(), first);
    QCOMPARE(rig.view->laneCount(), 2);
    for (int job = 0; job < 10; ++job)
        QCOMPARE(rig.view->barRect(job).isValid(), job < 4);
    rig.view->setBatchFilter(second);
    QCOMPARE(rig.view->laneCount(), 3);
    for (int job = 0; job < 10; ++job)
        QCOMPARE(rig.view->barRect(job).isValid(), job >= 4);
    // The shown batch fills the width: its first bar starts at the left.
    QVERIFY(rig.view->barRect(4).left() < rig.view->barRect(9).left());
    QVERIFY(rig.view->barRect(4).left() < 100);
    rig.view->setBatchFilter(0);
    QCOMPARE(rig.view->laneCount(), 3);
    // A batch that has not started anything shows no lanes.
    rig.view->setBatchFilter(7);
    QCOMPARE(rig.view->laneCount(), 0);
}

void TestTimelineView::ctrlWheelZoomsAroundTheCursor()
{
    Rig rig;
    rig.launcher.runtime = [](int n) { return (5 + n % 7) * kMs; };
    rig.submit(200, 2);
    rig.launcher.finishUntil(0);
    QVERIFY(rig.show());
    QVERIFY(rig.view->isFitting());
    const QRect target = rig.view->barRect(120);
    const QPoint at = target.center();
    const double fit = rig.view->nsPerPixel();
    QWheelEvent in(at, rig.view->viewport()->mapToGlobal(at), QPoint(), QPoint(0, 120 * 4),
                   Qt::NoButton, Qt::ControlModifier, Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(rig.view->viewport(), &in);
    QVERIFY(!rig.view->isFitting());
    QVERIFY(rig.view->nsPerPixel() < fit / 2);
    // The bar under the cursor stays under it, wider (2.4 times, give or
    // take the pixels at its ends).
    QCOMPARE(rig.view->jobAt(at), 120);
    QVERIFY2(rig.view->barRect(120).width() > target.width() * 3 / 2,
             qPrintable(QStringLiteral("%1 -> %2, %3 -> %4 ns/px")
                            .arg(target.width())
                            .arg(rig.view->barRect(120).width())
                            .arg(fit)
                            .arg(rig.view->nsPerPixel())));
    // A plain wheel pans.
    QScrollBar *h = rig.view->horizontalScrollBar();
    QVERIFY(h->maximum() > 0);
    const int value = h->value();
    QWheelEvent pan(at, rig.view->viewport()->mapToGlobal(at), QPoint(), QPoint(0, -120),
                    Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(rig.view->viewport(), &pan);
    QVERIFY(h->value() > value);
    QVERIFY(rig.view->jobAt(at) != 120);
    // 0 fits the whole batch again.
    QTest::keyClick(rig.view.get(), Qt::Key_0);
    QVERIFY(rig.view->isFitting());
    QCOMPARE(rig.view->nsPerPixel(), fit);
}

void TestTimelineView::tenThousandJobsPaint()
{
    Rig rig;
    rig.launcher.runtime = [](int n) { return (1 + (n * 7919) % 40) * kMs; };
    rig.launcher.exitCode = [](int n) { return n % 997 == 0 ? 1 : 0; };
    rig.submit(10000, 8);
    rig.launcher.finishUntil(0);
    QCOMPARE(rig.scheduler.batch(1).succeeded + rig.scheduler.batch(1).failed, 10000);
    QVERIFY(rig.show());
    QCOMPARE(rig.view->laneCount(), 8);
    const QImage image = rig.view->viewport()->grab().toImage();
    QVERIFY(!image.isNull());
    // Merged into runs, the few failures still show among the successes.
    QSet<QRgb> colors;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            colors.insert(image.pixel(x, y));
    QVERIFY(colors.contains(outcomeColor(JobTableModel::Succeeded).rgb()));
    QVERIFY(colors.contains(outcomeColor(JobTableModel::Failed).rgb()));
    // Zoomed in, the picked bar is the one drawn there.
    rig.view->zoomBy(200, rig.view->barRect(5000).center().x());
    QCOMPARE(rig.view->jobAt(rig.view->barRect(5000).center()), 5000);
    QVERIFY(!rig.view->viewport()->grab().isNull());
}

void TestTimelineView::axisLabelsReadInTheirUnit()
{
    QCOMPARE(TimeAxis::step(1.3 * kMs), 2 * kMs);
    QCOMPARE(TimeAxis::step(420 * kMs), 500 * kMs);
    QCOMPARE(TimeAxis::step(40e9), 60000 * kMs);
    QCOMPARE(TimeAxis::label(0, 50 * kMs), QStringLiteral("0"));
    QCOMPARE(TimeAxis::label(250 * kMs, 50 * kMs), QStringLiteral("250 ms"));
    QCOMPARE(TimeAxis::label(1500 * kMs, 500 * kMs), QStringLiteral("1.5 s"));
    QCOMPARE(TimeAxis::label(45000 * kMs, 5000 * kMs), QStringLiteral("45 s"));
    QCOMPARE(TimeAxis::label(90000 * kMs, 30000 * kMs), QStringLiteral("1:30"));
    QCOMPARE(TimeAxis::label(300000 * kMs, 60000 * kMs), QStringLiteral("5 min"));
    QCOMPARE(TimeAxis::label(kMs / 4, kMs / 20), QStringLiteral("0.25 ms"));
}

void TestTimelineView::screenshotOfAMixedBatch()
{
    Rig rig;
    // About five simulated seconds, ending now, with three jobs still running.
    rig.launcher.clockNs = JobRunner::monotonicNowNs() - 5000 * kMs;
    rig.launcher.runtime = [](int n) { return (60 + (n * 7919) % 700) * kMs; };
    rig.launcher.exitCode = [](int n) { return n % 9 == 4 ? 2 : 0; };
    rig.submit(48, 6);
    rig.launcher.finishUntil(3);
    QCOMPARE(rig.scheduler.batch(1).running, 3);
    rig.view->resize(900, 190);
    QVERIFY(rig.show());
    rig.view->setCurrentJob(20);
    QTRY_VERIFY(rig.view->isLive());
    QCOMPARE(rig.view->laneCount(), 6);
    const QImage image = rig.view->grab().toImage();
    QVERIFY(!image.isNull());
    QSet<QRgb> colors;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            colors.insert(image.pixel(x, y));
    for (int c : {JobTableModel::Working, JobTableModel::Succeeded, JobTableModel::Failed})
        QVERIFY2(colors.contains(outcomeColor(c).rgb()), qPrintable(QString::number(c)));
    const QString dir = qEnvironmentVariable("PROCDECK_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    const QString path = dir + QStringLiteral("/timeline.png");
    QVERIFY(image.save(path));
    qInfo("screenshot: %s", qPrintable(path));
}

QTEST_MAIN(TestTimelineView)
#include "tst_timelineview.moc"
