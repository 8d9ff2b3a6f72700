// JobTableModel and JobFilterProxy: rows, statuses, merged dataChanged
// ranges, raw-value sorting, the batch filter; QAbstractItemModelTester on both.
#include "app/engine/scheduler.h"
#include "app/models/jobfilterproxy.h"
#include "app/models/jobtablemodel.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <csignal>

using namespace procdeck;
using namespace testsupport;

class TestJobTableModel : public QObject
{
    Q_OBJECT
private slots:
    void init() { failOnLeakedProcess(); }
    void seedSleepIsWorkingThenExit0();
    void rowsAppearAtOnceAndStatusesMove();
    void statusTexts();
    void changesAreMergedIntoRanges();
    void sortsByRawValue();
    void numericColumnsSortLikeTheirRawValues();
    void batchFilter();
    void testerOnModelAndProxyDuringRuns();
    void retryRowDoesNotShowPreviousExitCode();
    void resourceColumnsWhileRunningAndAfter();
    void formatBytes_data();
    void formatBytes();
    void outputColumnShowsNoEscapeCodes();
};

static QString cell(const QAbstractItemModel &m, int row, int column)
{
    return m.index(row, column).data().toString();
}

void TestJobTableModel::seedSleepIsWorkingThenExit0()
{
    Scheduler s;
    JobTableModel model(&s);
    QStringList seen;
    connect(&model, &QAbstractItemModel::dataChanged, this, [&] {
        const QString status = cell(model, 0, JobTableModel::Status);
        if (seen.isEmpty() || seen.last() != status)
            seen << status;
    });
    JobSpec sleep;
    sleep.program = QStringLiteral("sleep");
    sleep.arguments = {QStringLiteral("0.3")};
    s.submit(QStringLiteral("sleep 0.3"), {sleep});
    QTRY_COMPARE(cell(model, 0, JobTableModel::Status), QStringLiteral("Exit 0"));
    // The change reaches the views on the model's next tick.
    QTRY_COMPARE(seen.last(), QStringLiteral("Exit 0"));
    // The views were told "Working..." (with a ticking time) before "Exit 0".
    QVERIFY2(seen.size() >= 2, qPrintable(seen.join(QLatin1Char('|'))));
    QVERIFY(seen.first().startsWith(QStringLiteral("Working... ")));
    QCOMPARE(seen.last(), QStringLiteral("Exit 0"));
}

void TestJobTableModel::rowsAppearAtOnceAndStatusesMove()
{
    Scheduler s;
    s.setMaxParallel(1);
    JobTableModel model(&s);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    s.submit(QStringLiteral("b"), {child({QStringLiteral("sleep"), QStringLiteral("300")}),
                                   child({QStringLiteral("echo"), QStringLiteral("second")})});
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(model.rowCount(), 2);
    QVERIFY(cell(model, 0, JobTableModel::Status).startsWith(QStringLiteral("Working...")));
    QCOMPARE(cell(model, 1, JobTableModel::Status), QStringLiteral("Queued"));
    QCOMPARE(cell(model, 1, JobTableModel::Number), QStringLiteral("2"));
    QCOMPARE(cell(model, 1, JobTableModel::Batch), QStringLiteral("1"));
    QCOMPARE(cell(model, 1, JobTableModel::Command), childPath() + QStringLiteral(" echo second"));
    QTRY_COMPARE(cell(model, 1, JobTableModel::Status), QStringLiteral("Exit 0"));
    QCOMPARE(cell(model, 1, JobTableModel::ExitCode), QStringLiteral("0"));
    QCOMPARE(cell(model, 1, JobTableModel::Output), QStringLiteral("second"));
    QVERIFY(cell(model, 1, JobTableModel::Runtime).endsWith(QStringLiteral(" s")));
    QVERIFY(model.index(1, JobTableModel::Pid).data().toLongLong() > 0);
    QVERIFY(!cell(model, 1, JobTableModel::Started).isEmpty());
    QCOMPARE(model.index(1, 0).data(JobTableModel::OutcomeClassRole).toInt(),
             int(JobTableModel::Succeeded));
}

void TestJobTableModel::statusTexts()
{
    Scheduler s;
    s.setMaxParallel(0);
    s.setGracePeriod(200);
    JobTableModel model(&s);
    JobSpec missing;
    missing.program = QStringLiteral("/nonexistent/nope");
    JobSpec timed = child({QStringLiteral("hang")});
    timed.timeoutMs = 100;
    s.submit(QStringLiteral("statuses"),
             {child({QStringLiteral("exit"), QStringLiteral("7")}),
              child({QStringLiteral("crash"), QString::number(SIGKILL)}), missing, timed,
              child({QStringLiteral("ignoreterm")})});
    QTRY_COMPARE(s.store().job(4).output ? s.store().job(4).output->lastLine() : QString(),
                 QStringLiteral("ready"));
    s.stopJob(4);
    QTRY_VERIFY(s.isIdle());
    model.flush();
    QCOMPARE(cell(model, 0, JobTableModel::Status), QStringLiteral("Exit 7"));
    QCOMPARE(model.index(0, 0).data(JobTableModel::OutcomeClassRole).toInt(),
             int(JobTableModel::Failed));
    QCOMPARE(cell(model, 1, JobTableModel::Status), QStringLiteral("Killed by SIGKILL"));
    QCOMPARE(cell(model, 1, JobTableModel::ExitCode), QStringLiteral("SIGKILL"));
    QVERIFY(cell(model, 2, JobTableModel::Status).startsWith(QStringLiteral("Failed to start: ")));
    QCOMPARE(cell(model, 3, JobTableModel::Status), QStringLiteral("Timed out after 0.1 s"));
    QCOMPARE(cell(model, 4, JobTableModel::Status), QStringLiteral("Killed by SIGKILL"));
}

void TestJobTableModel::changesAreMergedIntoRanges()
{
    Scheduler s;
    s.setMaxParallel(0);
    JobTableModel model(&s);
    model.setUpdateInterval(60000); // only our explicit flush() sends
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    s.submit(QStringLiteral("many"),
             times(child({QStringLiteral("exit"), QStringLiteral("0")}), 20));
    QTRY_VERIFY(s.isIdle());
    QCOMPARE(changed.size(), 0); // collected, not sent yet
    model.flush();
    // Forty-odd events on twenty contiguous rows become one range.
    QCOMPARE(changed.size(), 1);
    const QModelIndex tl = changed[0][0].value<QModelIndex>();
    const QModelIndex br = changed[0][1].value<QModelIndex>();
    QCOMPARE(tl.row(), 0);
    QCOMPARE(br.row(), 19);
    QCOMPARE(br.column(), JobTableModel::ColumnCount - 1);
    const auto roles = changed[0][2].value<QList<int>>();
    QVERIFY(roles.contains(Qt::DisplayRole));
    QVERIFY(roles.contains(JobTableModel::RawValueRole));
    model.flush();
    QCOMPARE(changed.size(), 1); // nothing new, nothing sent

    // Two separate rows give two ranges.
    s.rerun({3, 7});
    QTRY_VERIFY(s.isIdle());
    changed.clear();
    model.flush();
    QCOMPARE(changed.size(), 1); // rows 20 and 21 are contiguous
    s.submit(QStringLiteral("x"), {child({QStringLiteral("hang")}), child({QStringLiteral("hang")}),
                                   child({QStringLiteral("hang")})});
    model.flush();
    changed.clear();
    s.stopJobs({22, 24});
    QTRY_COMPARE(s.runningCount(), 1);
    // The running row 23 is refreshed each tick too, so 22..24 merge.
    model.flush();
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed[0][0].value<QModelIndex>().row(), 22);
    QCOMPARE(changed[0][1].value<QModelIndex>().row(), 24);
    s.stopAll();
    QTRY_VERIFY(s.isIdle());
}

void TestJobTableModel::sortsByRawValue()
{
    Scheduler s;
    s.setMaxParallel(0);
    JobTableModel model(&s);
    JobFilterProxy proxy;
    proxy.setSourceModel(&model);
    s.submit(QStringLiteral("codes"), {child({QStringLiteral("exit"), QStringLiteral("10")}),
                                       child({QStringLiteral("exit"), QStringLiteral("9")}),
                                       child({QStringLiteral("exit"), QStringLiteral("100")}),
                                       child({QStringLiteral("exit"), QStringLiteral("2")})});
    QTRY_VERIFY(s.isIdle());
    model.flush();
    proxy.sort(JobTableModel::ExitCode, Qt::AscendingOrder);
    QStringList order;
    for (int r = 0; r < proxy.rowCount(); ++r)
        order << proxy.index(r, JobTableModel::ExitCode).data().toString();
    // As text this would be 10, 100, 2, 9.
    QCOMPARE(order, (QStringList{"2", "9", "10", "100"}));
    proxy.sort(JobTableModel::Number, Qt::DescendingOrder);
    QCOMPARE(proxy.index(0, JobTableModel::Number).data().toInt(), 4);
}

void TestJobTableModel::numericColumnsSortLikeTheirRawValues()
{
    // The proxy compares numeric columns without QVariants; the order must
    // be the one RawValueRole gives, empty cells last, both ways.
    Scheduler s;
    JobTableModel model(&s);
    JobFilterProxy proxy;
    proxy.setSourceModel(&model);
    JobSpec missing;
    missing.program = QStringLiteral("/nonexistent/program");
    s.submit(QStringLiteral("done"),
             {child({QStringLiteral("exit"), QStringLiteral("3")}),
              child({QStringLiteral("crash"), QString::number(SIGKILL)}), missing,
              child({QStringLiteral("exit"), QStringLiteral("0")})});
    QTRY_VERIFY(s.isIdle());
    s.setMaxParallel(1);
    s.submit(QStringLiteral("waiting"), {child({QStringLiteral("hang")}),
                                         child({QStringLiteral("exit"), QStringLiteral("1")})});
    QTRY_COMPARE(s.store().job(4).state, JobState::Running);
    // The running job's runtime grows while we compare: past every finished
    // job's, it cannot change places during the test.
    qint64 longestFinished = 0;
    for (int i = 0; i < 4; ++i)
        longestFinished = qMax(longestFinished, s.runtimeNs(i));
    QTRY_VERIFY(s.runtimeNs(4) > longestFinished + 100'000'000);
    model.flush();
    for (int column :
         {int(JobTableModel::Status), int(JobTableModel::ExitCode), int(JobTableModel::Started),
          int(JobTableModel::Runtime), int(JobTableModel::CpuPercent), int(JobTableModel::CpuTime),
          int(JobTableModel::Pid)}) {
        for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
            proxy.sort(-1); // back to source order, so ties keep it
            proxy.sort(column, order);
            QList<int> shown;
            for (int r = 0; r < proxy.rowCount(); ++r)
                shown << proxy.mapToSource(proxy.index(r, column)).row();
            QList<int> expected{0, 1, 2, 3, 4, 5};
            auto less = [&](int a, int b) {
                const QVariant va = model.index(a, column).data(JobTableModel::RawValueRole);
                const QVariant vb = model.index(b, column).data(JobTableModel::RawValueRole);
                if (!va.isValid())
                    return false;
                if (!vb.isValid())
                    return true;
                return va.toLongLong() < vb.toLongLong();
            };
            std::stable_sort(expected.begin(), expected.end(), [&](int a, int b) {
                return order == Qt::AscendingOrder ? less(a, b) : less(b, a);
            });
            QVERIFY2(shown == expected,
                     qPrintable(QStringLiteral("column %1, order %2").arg(column).arg(int(order))));
        }
    }
    s.stopAll();
    QTRY_VERIFY(s.isIdle());
}

void TestJobTableModel::batchFilter()
{
    Scheduler s;
    JobTableModel model(&s);
    JobFilterProxy proxy;
    proxy.setSourceModel(&model);
    s.submit(QStringLiteral("one"), times(child({QStringLiteral("exit"), QStringLiteral("0")}), 3));
    s.submit(QStringLiteral("two"), times(child({QStringLiteral("exit"), QStringLiteral("0")}), 2));
    QCOMPARE(proxy.rowCount(), 5);
    proxy.setBatchFilter(2);
    QCOMPARE(proxy.rowCount(), 2);
    QCOMPARE(proxy.index(0, JobTableModel::Batch).data().toInt(), 2);
    proxy.setBatchFilter(0);
    QCOMPARE(proxy.rowCount(), 5);
    QTRY_VERIFY(s.isIdle());
}

void TestJobTableModel::testerOnModelAndProxyDuringRuns()
{
    Scheduler s;
    s.setMaxParallel(3);
    JobTableModel model(&s);
    model.setUpdateInterval(10);
    JobFilterProxy proxy;
    proxy.setSourceModel(&model);
    proxy.sort(JobTableModel::Runtime, Qt::DescendingOrder);
    QAbstractItemModelTester modelTester(&model,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(&proxy,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    s.submit(QStringLiteral("a"), times(child({QStringLiteral("lines"), QStringLiteral("5")}), 10));
    proxy.setBatchFilter(1);
    s.submit(QStringLiteral("b"), times(child({QStringLiteral("sleep"), QStringLiteral("30")}), 5));
    QTRY_VERIFY(s.isIdle());
    proxy.setBatchFilter(2);
    QCOMPARE(proxy.rowCount(), 5);
    proxy.setBatchFilter(0);
    QCOMPARE(proxy.rowCount(), 15);
}

void TestJobTableModel::retryRowDoesNotShowPreviousExitCode()
{
    QTemporaryDir dir;
    Scheduler s;
    s.setGracePeriod(100);
    JobTableModel model(&s);
    BatchOptions options;
    options.attempts = 2;
    s.submit(QStringLiteral("r"),
             {shell(QStringLiteral("if [ -e %1/x ]; then sleep 30; else touch %1/x; exit 3; fi")
                        .arg(dir.path()))},
             options);
    QTRY_VERIFY(s.store().job(0).attempts == 2 && s.store().job(0).state == JobState::Running);
    QCOMPARE(model.index(0, JobTableModel::ExitCode).data().toString(), QString());
    QVERIFY(model.index(0, JobTableModel::Status)
                .data()
                .toString()
                .contains(QStringLiteral("attempt 2 of 2")));
    s.stopAll();
    QTRY_VERIFY(s.isIdle());
}

void TestJobTableModel::resourceColumnsWhileRunningAndAfter()
{
    constexpr qint64 MiB = 1024 * 1024;
    Scheduler s;
    s.setResourceSampling(true, 50);
    JobTableModel model(&s);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    s.submit(QStringLiteral("memory"), {child({QStringLiteral("memory"), QStringLiteral("48")}),
                                        child({QStringLiteral("burn"), QStringLiteral("200")})});
    auto raw = [&](int row, int column) {
        return model.index(row, column).data(JobTableModel::RawValueRole);
    };
    // Live memory while it runs, as a number for sorting and as text.
    QTRY_VERIFY_WITH_TIMEOUT(raw(0, JobTableModel::Memory).toLongLong() >= 48 * MiB, 10000);
    QVERIFY(cell(model, 0, JobTableModel::Memory).endsWith(QLatin1String(" MiB")));
    QVERIFY(raw(0, JobTableModel::CpuPercent).isValid());
    QVERIFY(cell(model, 0, JobTableModel::CpuPercent).endsWith(QLatin1Char('%')));
    // The CPU-bound job ends with its CPU time and an average near one core.
    QTRY_COMPARE_WITH_TIMEOUT(s.state(1), JobState::Finished, 20000);
    QVERIFY(raw(1, JobTableModel::CpuTime).toLongLong() >= 200'000'000);
    QVERIFY(cell(model, 1, JobTableModel::CpuTime).endsWith(QLatin1String(" s")));
    QVERIFY(raw(1, JobTableModel::CpuPercent).toLongLong() > 0);
    QVERIFY(!raw(1, JobTableModel::Memory).isValid()); // nothing resident once ended
    s.stopJob(0);
    QTRY_COMPARE(s.state(0), JobState::Finished);
    QVERIFY(!raw(0, JobTableModel::Memory).isValid());
    QVERIFY(raw(0, JobTableModel::PeakMemory).toLongLong() >= 48 * MiB);
    QVERIFY(!cell(model, 0, JobTableModel::PeakMemory).isEmpty());
    QVERIFY(!model.headerData(JobTableModel::PeakMemory, Qt::Horizontal, Qt::ToolTipRole)
                 .toString()
                 .isEmpty());
}

void TestJobTableModel::formatBytes_data()
{
    QTest::addColumn<qint64>("bytes");
    QTest::addColumn<QString>("text");
    QTest::newRow("bytes") << qint64(512) << QStringLiteral("512 B");
    QTest::newRow("KiB") << qint64(812 * 1024) << QStringLiteral("812 KiB");
    QTest::newRow("just under a MiB") << qint64(1000 * 1024) << QStringLiteral("0.98 MiB");
    QTest::newRow("MiB") << qint64(12.3 * 1024 * 1024) << QStringLiteral("12.3 MiB");
    QTest::newRow("GiB") << qint64(1.2 * 1024 * 1024 * 1024) << QStringLiteral("1.20 GiB");
}

void TestJobTableModel::formatBytes()
{
    QFETCH(qint64, bytes);
    QFETCH(QString, text);
    QCOMPARE(procdeck::formatBytes(bytes), text);
}

void TestJobTableModel::outputColumnShowsNoEscapeCodes()
{
    Scheduler s;
    JobTableModel model(&s);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    s.submit(QStringLiteral("colors"),
             {shell(QStringLiteral("printf '\\033[1;32mPASS\\033[0m 3 tests\\033[K\\n'"))});
    QTRY_COMPARE(cell(model, 0, JobTableModel::Status), QStringLiteral("Exit 0"));
    QCOMPARE(cell(model, 0, JobTableModel::Output), QStringLiteral("PASS 3 tests"));
    // Only the cell: the log keeps the escapes.
    QVERIFY(s.store().job(0).output->lastLine().startsWith(QChar(0x1b)));
}

QTEST_GUILESS_MAIN(TestJobTableModel)
#include "tst_jobtablemodel.moc"
