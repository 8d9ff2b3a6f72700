// Resource sampling: /proc/PID/stat parsing, a process group's memory and
// CPU summed over all its processes, and the Scheduler keeping the live
// values while a job runs and the peak and total after it ends.
#include "app/engine/scheduler.h"
#include "app/process/processgroupscan.h"
#include "app/process/resourcesampler.h"
#include "testsupport.h"

#include <QTest>

#include <unistd.h>

using namespace procdeck;
using namespace testsupport;

namespace {

constexpr qint64 MiB = 1024 * 1024;

// The job's output so far, as text.
QString outputOf(const Scheduler &s, int index)
{
    const OutputLog *log = s.output(index);
    return log ? QString::fromUtf8(log->rawBytes(Stream::Stdout)) : QString();
}

// Collects the sampler's rounds on the test's thread: sampled() comes from
// the sampler's own thread, and a QSignalSpy would append there while the
// test reads it.
struct Rounds : QObject
{
    explicit Rounds(ResourceSampler *sampler)
    {
        connect(sampler, &ResourceSampler::sampled, this,
                [this](const QList<ResourceSample> &samples) { list.append(samples); });
    }
    QList<QList<ResourceSample>> list;
};

} // namespace

class TestResourceSampler : public QObject
{
    Q_OBJECT
private slots:
    void init() { failOnLeakedProcess(); }
    void parseStat_data();
    void parseStat();
    void scanFindsThisProcess();
    void samplesAChildOfKnownMemory();
    void sumsEveryProcessOfTheGroup();
    void unwatchedJobsAreNotSampled();
    void schedulerKeepsLiveUsageThenPeak();
    void cpuTimeIsTheJobsOwn();
    void cpuTimeWithoutSampling();
    void noSamplingByDefault();
};

void TestResourceSampler::parseStat_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<qint64>("pgrp");
    QTest::addColumn<qint64>("ticks");
    QTest::addColumn<qint64>("rss");

    // Fields 1-24 of proc(5); 14-17 are utime stime cutime cstime, 24 rss.
    const QByteArray tail = " S 1 4242 4243 0 -1 4194560 100 0 0 0 7 3 2 1 20 0 1 0 55 1000000 321 "
                            "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
    QTest::newRow("plain") << QByteArray("4300 (sleep)" + tail) << true << qint64(4242)
                           << qint64(13) << qint64(321);
    QTest::newRow("spaces and parens in the name")
        << QByteArray("4300 (my (odd) prog)" + tail) << true << qint64(4242) << qint64(13)
        << qint64(321);
    QTest::newRow("cut short") << QByteArray("4300 (sleep) S 1 4242 4242 0 -1 4194560 100") << false
                               << qint64(0) << qint64(0) << qint64(0);
    QTest::newRow("no name") << QByteArray("4300 sleep S 1 2 3") << false << qint64(0) << qint64(0)
                             << qint64(0);
    QTest::newRow("garbage field")
        << QByteArray("4300 (x) S 1 abc 4242 0 -1 4194560 100 0 0 0 7 3 2 1 20 0 1 0 55 1 321\n")
        << false << qint64(0) << qint64(0) << qint64(0);
}

void TestResourceSampler::parseStat()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, ok);
    ProcessGroupScan::Stat stat;
    QCOMPARE(ProcessGroupScan::parseStat(line.constData(), line.size(), &stat), ok);
    if (!ok)
        return;
    QFETCH(qint64, pgrp);
    QFETCH(qint64, ticks);
    QFETCH(qint64, rss);
    QCOMPARE(stat.pgrp, pgrp);
    QCOMPARE(stat.session, qint64(4243)); // field 6, for jobs on a terminal
    QCOMPARE(stat.cpuTicks, ticks);
    QCOMPARE(stat.rssPages, rss);
}

void TestResourceSampler::scanFindsThisProcess()
{
    // The test runs in a process group of its own or its shell's; either
    // way it is one of the group's processes, with some memory.
    const qint64 group = ::getpgrp();
    const QHash<qint64, GroupUsage> usage = ProcessGroupScan::scan({group, 999999999});
    QVERIFY(usage.contains(group));
    QVERIFY(!usage.contains(999999999));
    QVERIFY(usage.value(group).processes >= 1);
    QVERIFY(usage.value(group).rssBytes > 1 * MiB);
}

void TestResourceSampler::samplesAChildOfKnownMemory()
{
    Scheduler s;
    s.setResourceSampling(true, 50);
    s.submit(QStringLiteral("memory"), {child({QStringLiteral("memory"), QStringLiteral("64")})});
    QTRY_VERIFY(outputOf(s, 0).contains(QLatin1String("ready")));
    // Resident after the child touched every page: at least the 64 MiB.
    QTRY_VERIFY_WITH_TIMEOUT(s.liveUsage(0).rssBytes >= 64 * MiB, 10000);
    QVERIFY2(s.liveUsage(0).rssBytes < 200 * MiB,
             qPrintable(QString::number(s.liveUsage(0).rssBytes)));
    QVERIFY(s.result(0).peakRssBytes >= 64 * MiB);
    s.stopAll();
    QTRY_VERIFY(s.isIdle());
}

void TestResourceSampler::sumsEveryProcessOfTheGroup()
{
    // A shell with two children of 40 MiB each: the group's sum counts both
    // (the shell's own memory is small).
    const QString c = childPath();
    const QString command = QStringLiteral("'%1' memory 40 & '%1' memory 40 & wait").arg(c);
    ResourceSampler sampler(50);
    Scheduler s;
    s.submit(QStringLiteral("two"), {shell(command)});
    QTRY_VERIFY(outputOf(s, 0).count(QLatin1String("ready")) == 2);
    Rounds rounds(&sampler);
    sampler.watch(0, s.result(0).pid, 0);
    ResourceSample last;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const QList<ResourceSample> &samples : std::as_const(rounds.list)) {
                if (!samples.isEmpty())
                    last = samples.last();
            }
            return last.rssBytes >= 80 * MiB;
        }(),
        10000);
    QCOMPARE(last.jobIndex, 0);
    QCOMPARE(last.processes, 3);
    QVERIFY(sampler.rounds() > 0);
    s.stopAll();
    QTRY_VERIFY(s.isIdle());
}

void TestResourceSampler::unwatchedJobsAreNotSampled()
{
    ResourceSampler sampler(20);
    Rounds rounds(&sampler);
    sampler.watch(7, ::getpgrp(), 0);
    QTRY_VERIFY(!rounds.list.isEmpty());
    QCOMPARE(rounds.list.first().first().jobIndex, 7);
    sampler.watch(8, ::getpgrp(), 0);
    sampler.unwatch(7);
    // A round already under way may still have 7; the rounds after it
    // have only 8.
    rounds.list.clear();
    QTRY_VERIFY(rounds.list.size() >= 3);
    for (qsizetype i = 1; i < rounds.list.size(); ++i) {
        QCOMPARE(rounds.list.at(i).size(), 1);
        QCOMPARE(rounds.list.at(i).first().jobIndex, 8);
    }
}

void TestResourceSampler::schedulerKeepsLiveUsageThenPeak()
{
    Scheduler s;
    s.setResourceSampling(true, 50);
    s.submit(QStringLiteral("memory"), {child({QStringLiteral("memory"), QStringLiteral("32")})});
    QTRY_VERIFY_WITH_TIMEOUT(s.liveUsage(0).rssBytes >= 32 * MiB, 10000);
    QVERIFY(s.liveUsage(0).cpuPercent >= 0);
    s.stopJob(0);
    QTRY_COMPARE(s.state(0), JobState::Finished);
    // Live values go with the job; the peak and CPU time stay.
    QCOMPARE(s.liveUsage(0).rssBytes, qint64(-1));
    QCOMPARE(s.liveUsage(0).cpuPercent, -1.0f);
    QVERIFY(s.result(0).peakRssBytes >= 32 * MiB);
    QVERIFY(s.result(0).cpuNs >= 0);
}

void TestResourceSampler::cpuTimeIsTheJobsOwn()
{
    // Two jobs end at about the same time: one spent 300 ms of CPU, the
    // other slept. Each keeps its own time (not the other's, not the sum).
    Scheduler s;
    s.setMaxParallel(2);
    s.submit(QStringLiteral("cpu"), {child({QStringLiteral("burn"), QStringLiteral("300")}),
                                     child({QStringLiteral("sleep"), QStringLiteral("300")})});
    QTRY_VERIFY_WITH_TIMEOUT(s.isIdle(), 20000);
    QVERIFY2(s.result(0).cpuNs >= 300'000'000, qPrintable(QString::number(s.result(0).cpuNs)));
    // The sleeper's start-up costs some CPU (more under ASan): far less than
    // the burner's, which is all it would have were the two mixed up.
    QVERIFY2(s.result(1).cpuNs < s.result(0).cpuNs / 3,
             qPrintable(QStringLiteral("%1 vs %2").arg(s.result(1).cpuNs).arg(s.result(0).cpuNs)));
    QVERIFY(s.result(1).cpuNs >= 0);
}

void TestResourceSampler::cpuTimeWithoutSampling()
{
    // The kernel's count at the reap: a shell's children included, with no
    // sampler running at all.
    Scheduler s;
    const QString c = childPath();
    s.submit(QStringLiteral("shell"),
             {shell(QStringLiteral("'%1' burn 150; '%1' burn 150").arg(c))});
    QTRY_VERIFY_WITH_TIMEOUT(s.isIdle(), 20000);
    QVERIFY(s.resourceSampler() == nullptr);
    QVERIFY2(s.result(0).cpuNs >= 300'000'000, qPrintable(QString::number(s.result(0).cpuNs)));
    QCOMPARE(s.result(0).peakRssBytes, qint64(-1)); // never sampled
}

void TestResourceSampler::noSamplingByDefault()
{
    Scheduler s;
    QVERIFY(s.resourceSampler() == nullptr);
    s.setResourceSampling(true);
    QVERIFY(s.resourceSampler() != nullptr);
    QCOMPARE(s.resourceSampler()->interval(), 1000);
    s.setResourceSampling(false);
    QVERIFY(s.resourceSampler() == nullptr);
}

QTEST_GUILESS_MAIN(TestResourceSampler)
#include "tst_resourcesampler.moc"
