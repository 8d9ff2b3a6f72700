// Scheduler: the queue, the parallel limit, batches, stopping and the
// promise that queued jobs cost no QProcess.
#include "app/batch/commandtemplate.h"
#include "app/engine/compactspec.h"
#include "app/engine/scheduler.h"
#include "app/engine/streamedjobsource.h"
#include "app/output/outputlog.h"
#include "app/output/spillwriter.h"
#include "app/process/jobrunner.h"
#include "testsupport.h"

#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <csignal>
#include <deque>

#include <unistd.h>

Q_DECLARE_METATYPE(procdeck::JobSpec)

using namespace procdeck;
using namespace testsupport;

// Records the highest number of jobs running at once.
struct ConcurrencyProbe
{
    explicit ConcurrencyProbe(Scheduler *s)
    {
        QObject::connect(s, &Scheduler::jobChanged, s,
                         [this, s](int) { peak = qMax(peak, s->runningCount()); });
    }
    int peak = 0;
};

class TestScheduler : public QObject
{
    Q_OBJECT
private slots:
    void init() { failOnLeakedProcess(); }
    void seedWorkingThenExit();
    void seedTenSleepsRunAtOnce();
    void batchWithItsOwnSeqs();
    void neverRunsMoreThanTheLimit();
    void failedStartDoesNotStopTheQueue();
    void raisingTheLimitWhileRunning();
    void loweringTheLimitWhileRunning();
    void hundredThousandQueuedJobsAreNotProcesses();
    void stopQueuedJobCancelsIt();
    void stopBatchLeavesOtherBatches();
    void batchCountsAndWallTime();
    void rerunMakesANewBatchAndKeepsOldResults();
    void emptyBatchIsRejected();
    void compactSpecKeepsEveryField_data();
    void compactSpecKeepsEveryField();
    void streamedBatchStaysOpenUntilItsSourceEnds();
    void batchSubmittedWhileAnInputIsOpenWaitsItsTurn();
    void releasedJobsLeaveFromTheFront();
    void stoppingAnOpenBatchLetsTheNextOneRun();
    void continuedLineBeforeTheEndValueIsKept();
    void retriesUntilSuccess();
    void retriesGiveUp();
    void haltNowOnFirstFailure();
    void haltSoonLetsRunningJobsFinish();
    void haltOnSuccessPercent();
    void haltPolicyParsing_data();
    void haltPolicyParsing();
    void delaySpacesStarts();
    void startGate_data();
    void startGate();
    void startGateReadsProc();
    void busySystemHoldsJobsUntilItFrees();
    void lowMemoryHoldsJobsUntilItFrees();
    void slotsAreReusedAndBounded();
    void stopDuringTimeoutKillSequenceIsNotRetried();
    void rerunKeepsRetries();
    void stoppingAJobQueuedForRetryKeepsItFailed();
    void countsAlwaysSumToJobCount();
    void middleStageFailsToStart();
    void aBatchOfAMissingProgramLeaksNothing();
    void haltJobFinishedBeforeIdle();
    void backgroundGrandchildDoesNotOutliveTheEngine();
    void retryOfPipelineWithFailedStage();
    void slotIsRefilledOnRetry();
};

void TestScheduler::seedWorkingThenExit()
{
    Scheduler s;
    QSignalSpy finished(&s, &Scheduler::jobFinished);
    JobSpec sleep;
    sleep.program = QStringLiteral("sleep");
    sleep.arguments = {QStringLiteral("0.3")};
    s.submit(QStringLiteral("sleep"), {sleep});
    // While it runs, the job is observed in the Running state ("Working...").
    QCOMPARE(s.store().job(0).state, JobState::Running);
    QTRY_VERIFY(s.store().job(0).result.pid > 0);
    QCOMPARE(finished.size(), 0);
    QVERIFY(finished.wait(10000));
    QCOMPARE(s.store().job(0).state, JobState::Finished);
    QCOMPARE(s.store().job(0).result.exitCode, 0);
    QCOMPARE(describeOutcome(s.store().job(0).result), QStringLiteral("Exit 0"));
}

void TestScheduler::seedTenSleepsRunAtOnce()
{
    Scheduler s;
    s.setMaxParallel(10);
    JobSpec sleep;
    sleep.program = QStringLiteral("sleep");
    sleep.arguments = {QStringLiteral("0.1")};
    QSignalSpy done(&s, &Scheduler::batchFinished);
    s.submit(QStringLiteral("sleep 0.1"), times(sleep, 10));
    QCOMPARE(s.runningCount(), 10);
    QVERIFY(done.wait(10000));
    for (int i = 0; i < 10; ++i)
        QCOMPARE(s.store().job(i).result.exitCode, 0);
    QCOMPARE(s.store().batch(1).succeeded, 10);
}

void TestScheduler::neverRunsMoreThanTheLimit()
{
    Scheduler s;
    s.setMaxParallel(3);
    ConcurrencyProbe probe(&s);
    QSignalSpy done(&s, &Scheduler::batchFinished);
    s.submit(QStringLiteral("sleep"),
             times(child({QStringLiteral("sleep"), QStringLiteral("20")}), 12));
    QCOMPARE(s.runningCount(), 3);
    QVERIFY(done.wait(20000));
    QCOMPARE(probe.peak, 3);
    QCOMPARE(s.store().batch(1).succeeded, 12);
    QVERIFY(s.isIdle());
}

void TestScheduler::failedStartDoesNotStopTheQueue()
{
    Scheduler s;
    s.setMaxParallel(1);
    JobSpec missing;
    missing.program = QStringLiteral("/nonexistent/no-such-program");
    QSignalSpy done(&s, &Scheduler::batchFinished);
    s.submit(QStringLiteral("mixed"),
             {missing, child({QStringLiteral("echo"), QStringLiteral("next")})});
    QVERIFY(done.wait(10000));
    QCOMPARE(s.store().job(0).result.outcome, Outcome::FailedToStart);
    QCOMPARE(s.store().job(1).result.exitCode, 0);
    QCOMPARE(s.store().job(1).output->rawBytes(Stream::Stdout), QByteArray("next\n"));
    QCOMPARE(s.store().batch(1).failed, 1);
    QCOMPARE(s.store().batch(1).succeeded, 1);
}

void TestScheduler::raisingTheLimitWhileRunning()
{
    Scheduler s;
    s.setGracePeriod(200);
    s.setMaxParallel(1);
    s.submit(QStringLiteral("hang"), times(child({QStringLiteral("hang")}), 6));
    QCOMPARE(s.runningCount(), 1);
    s.setMaxParallel(4);
    QCOMPARE(s.runningCount(), 4);
    s.stopAll();
    QTRY_VERIFY(s.isIdle());
}

void TestScheduler::loweringTheLimitWhileRunning()
{
    Scheduler s;
    s.setMaxParallel(4);
    s.submit(QStringLiteral("hang"), times(child({QStringLiteral("hang")}), 8));
    QCOMPARE(s.runningCount(), 4);
    s.setMaxParallel(2);
    // Finishing two of the four running jobs starts nothing new.
    const QList<int> running = s.runningJobs();
    s.stopJobs(running.mid(0, 2));
    QTRY_COMPARE(s.runningCount(), 2);
    QCOMPARE(s.store().batch(1).queued, 4);
    s.stopJob(running.at(2));
    QTRY_COMPARE(s.store().batch(1).queued, 3); // one slot freed, one started
    QCOMPARE(s.runningCount(), 2);
    s.stopAll();
    QTRY_VERIFY(s.isIdle());
}

void TestScheduler::hundredThousandQueuedJobsAreNotProcesses()
{
    Scheduler s;
    s.setMaxParallel(2);
    s.submit(QStringLiteral("hang"), times(child({QStringLiteral("hang")}), 100000));
    QCOMPARE(s.store().jobCount(), 100000);
    QCOMPARE(s.runningCount(), 2);
    // Exactly two runners (each with one QProcess) exist: one per running job.
    QCOMPARE(s.findChildren<JobRunner *>().size(), 2);
    QCOMPARE(s.findChildren<QProcess *>().size(), 2);
    QCOMPARE(s.store().batch(1).queued, 99998);
    s.stopAll();
    QCOMPARE(s.store().batch(1).queued, 0);
    QCOMPARE(s.store().batch(1).canceled, 99998);
    QTRY_VERIFY(s.isIdle());
    QCOMPARE(s.store().batch(1).failed, 2); // the two that were running
    QCOMPARE(s.store().job(99999).result.outcome, Outcome::Canceled);
}

void TestScheduler::stopQueuedJobCancelsIt()
{
    Scheduler s;
    s.setMaxParallel(1);
    QSignalSpy done(&s, &Scheduler::batchFinished);
    s.submit(QStringLiteral("b"), {child({QStringLiteral("sleep"), QStringLiteral("50")}),
                                   child({QStringLiteral("echo"), QStringLiteral("never")})});
    s.stopJob(1);
    QCOMPARE(s.store().job(1).result.outcome, Outcome::Canceled);
    QCOMPARE(describeOutcome(s.store().job(1).result), QStringLiteral("Canceled"));
    QVERIFY(done.wait(10000));
    QCOMPARE(s.store().job(0).result.exitCode, 0);
    QVERIFY(!s.store().job(1).output); // it never ran
    QCOMPARE(s.store().batch(1).canceled, 1);
}

void TestScheduler::stopBatchLeavesOtherBatches()
{
    Scheduler s;
    s.setMaxParallel(0);
    const int first = s.submit(QStringLiteral("a"), times(child({QStringLiteral("hang")}), 2));
    const int second = s.submit(QStringLiteral("b"),
                                times(child({QStringLiteral("sleep"), QStringLiteral("100")}), 2));
    QSignalSpy done(&s, &Scheduler::batchFinished);
    s.stopBatch(first);
    QTRY_COMPARE(done.size(), 2);
    QCOMPARE(s.store().batch(first).failed, 2);
    QCOMPARE(s.store().batch(second).succeeded, 2);
}

void TestScheduler::batchCountsAndWallTime()
{
    Scheduler s;
    s.setMaxParallel(2);
    QSignalSpy done(&s, &Scheduler::batchFinished);
    s.submit(QStringLiteral("mix"), {child({QStringLiteral("exit"), QStringLiteral("0")}),
                                     child({QStringLiteral("exit"), QStringLiteral("2")}),
                                     child({QStringLiteral("crash"), QString::number(SIGSEGV)})});
    const BatchInfo &b = s.store().batch(1);
    QCOMPARE(b.jobCount, 3);
    QCOMPARE(b.queued, 1);
    QCOMPARE(b.running, 2);
    QVERIFY(!b.isFinished());
    QVERIFY(done.wait(10000));
    QCOMPARE(done.first().first().toInt(), 1);
    QCOMPARE(b.succeeded, 1);
    QCOMPARE(b.failed, 2);
    QVERIFY(b.isFinished());
    QVERIFY(b.wallTimeNs() > 0);
    // The batch's wall time covers every job's run.
    for (int i = 0; i < 3; ++i)
        QVERIFY(b.wallTimeNs() >= s.store().job(i).result.runtimeNs);
    QCOMPARE(s.store().job(0).seq, 1);
    QCOMPARE(s.store().job(2).seq, 3);
}

void TestScheduler::batchWithItsOwnSeqs()
{
    // procdeck run --resume: the jobs left keep their Seq; a rerun of them
    // is a new batch numbered 1, 2, ...
    Scheduler s;
    QSignalSpy idle(&s, &Scheduler::idle);
    const int batch =
        s.submit(QStringLiteral("resumed"),
                 times(child({QStringLiteral("exit"), QStringLiteral("0")}), 2), {}, {3, 7});
    QCOMPARE(s.seq(0), 3);
    QCOMPARE(s.seq(1), 7);
    QCOMPARE(s.batch(batch).jobCount, 2);
    QVERIFY(idle.wait(10000));
    QCOMPARE(s.batch(batch).succeeded, 2);
    const int again = s.rerun({0, 1});
    QCOMPARE(s.seq(s.batch(again).firstJob), 1);
    QCOMPARE(s.seq(s.batch(again).firstJob + 1), 2);
    QTRY_VERIFY_WITH_TIMEOUT(s.isIdle(), 10000);
    // Seqs that do not match the specs are not used.
    const int other =
        s.submit(QStringLiteral("plain"),
                 times(child({QStringLiteral("exit"), QStringLiteral("0")}), 2), {}, {5});
    QCOMPARE(s.seq(s.batch(other).firstJob + 1), 2);
    QTRY_VERIFY_WITH_TIMEOUT(s.isIdle(), 10000);
}

void TestScheduler::rerunMakesANewBatchAndKeepsOldResults()
{
    Scheduler s;
    QSignalSpy done(&s, &Scheduler::batchFinished);
    s.submit(QStringLiteral("x"), {child({QStringLiteral("exit"), QStringLiteral("3")}),
                                   child({QStringLiteral("echo"), QStringLiteral("ok")})});
    QVERIFY(done.wait(10000));
    const int rerun = s.rerun({0});
    QCOMPARE(rerun, 2);
    QCOMPARE(s.store().jobCount(), 3);
    QTRY_COMPARE(done.size(), 2);
    QCOMPARE(s.spec(2).arguments, s.spec(0).arguments);
    QCOMPARE(s.store().job(2).result.exitCode, 3);
    QCOMPARE(s.store().job(0).result.exitCode, 3);
    QCOMPARE(s.store().job(2).batchId, 2);
    QVERIFY(s.store().batch(2).label.contains(QStringLiteral("Rerun of batch 1")));
}

void TestScheduler::emptyBatchIsRejected()
{
    Scheduler s;
    QSignalSpy added(&s, &Scheduler::jobsAdded);
    QCOMPARE(s.submit(QStringLiteral("none"), {}), 0);
    QCOMPARE(added.size(), 0);
    QCOMPARE(s.store().batchCount(), 0);
}

void TestScheduler::retriesUntilSuccess()
{
    // Fails twice, then succeeds: a counter file in a temp dir.
    QTemporaryDir dir;
    const QString counter = dir.filePath(QStringLiteral("n"));
    JobSpec flaky =
        shell(QStringLiteral("n=$(cat %1 2>/dev/null || echo 0); n=$((n+1)); echo $n > %1; "
                             "echo attempt $n; [ $n -ge 3 ]")
                  .arg(counter));
    Scheduler s;
    BatchOptions options;
    options.attempts = 3;
    QSignalSpy finished(&s, &Scheduler::jobFinished);
    s.submit(QStringLiteral("flaky"), {flaky}, options);
    QTRY_COMPARE(finished.size(), 1);
    const JobRecord &job = s.store().job(0);
    QCOMPARE(job.attempts, 3);
    QCOMPARE(job.result.exitCode, 0);
    // Only the last attempt's output is kept, as parallel prints it.
    QCOMPARE(job.output->rawBytes(Stream::Stdout), QByteArray("attempt 3\n"));
    QCOMPARE(s.store().batch(1).succeeded, 1);
    QCOMPARE(s.store().batch(1).failed, 0);
}

void TestScheduler::retriesGiveUp()
{
    Scheduler s;
    BatchOptions options;
    options.attempts = 4;
    QSignalSpy finished(&s, &Scheduler::jobFinished);
    s.submit(QStringLiteral("fail"),
             {child({QStringLiteral("exit"), QStringLiteral("5")}),
              child({QStringLiteral("exit"), QStringLiteral("0")})},
             options);
    QTRY_COMPARE(finished.size(), 2);
    QCOMPARE(s.store().job(0).attempts, 4);
    QCOMPARE(s.store().job(0).result.exitCode, 5);
    QCOMPARE(s.store().job(1).attempts, 1);
    QCOMPARE(s.store().batch(1).failed, 1);
}

static BatchOptions halt(const QString &policy)
{
    const Expected<HaltPolicy> parsed = HaltPolicy::parse(policy);
    if (!parsed)
        qFatal("bad policy %s", qPrintable(parsed.error()));
    BatchOptions options;
    options.halt = *parsed;
    return options;
}

void TestScheduler::haltNowOnFirstFailure()
{
    Scheduler s;
    s.setMaxParallel(2);
    s.setGracePeriod(200);
    QSignalSpy done(&s, &Scheduler::batchFinished);
    s.submit(QStringLiteral("halt"),
             {child({QStringLiteral("hang")}), child({QStringLiteral("exit"), QStringLiteral("3")}),
              child({QStringLiteral("exit"), QStringLiteral("0")})},
             halt(QStringLiteral("now,fail=1")));
    QVERIFY(done.wait(10000));
    const BatchInfo &b = s.store().batch(1);
    QVERIFY(b.halted);
    QCOMPARE(b.haltExitCode, 3);
    QCOMPARE(s.store().job(0).result.outcome, Outcome::Signaled); // killed: "now"
    QCOMPARE(s.store().job(2).result.outcome, Outcome::Canceled); // never started
}

void TestScheduler::haltSoonLetsRunningJobsFinish()
{
    Scheduler s;
    s.setMaxParallel(2);
    QSignalSpy done(&s, &Scheduler::batchFinished);
    s.submit(QStringLiteral("halt"),
             {child({QStringLiteral("sleep"), QStringLiteral("300")}),
              child({QStringLiteral("exit"), QStringLiteral("4")}),
              child({QStringLiteral("exit"), QStringLiteral("0")})},
             halt(QStringLiteral("soon,fail=1")));
    QVERIFY(done.wait(10000));
    QCOMPARE(s.store().job(0).result.exitCode, 0); // ran to its end
    QCOMPARE(s.store().job(2).result.outcome, Outcome::Canceled);
    QCOMPARE(s.store().batch(1).haltExitCode, 4);
}

void TestScheduler::haltOnSuccessPercent()
{
    Scheduler s;
    s.setMaxParallel(1);
    QSignalSpy done(&s, &Scheduler::batchFinished);
    std::vector<JobSpec> specs = times(child({QStringLiteral("exit"), QStringLiteral("0")}), 10);
    s.submit(QStringLiteral("halt"), specs, halt(QStringLiteral("soon,success=30%")));
    QVERIFY(done.wait(10000));
    QCOMPARE(s.store().batch(1).succeeded, 3);
    QCOMPARE(s.store().batch(1).canceled, 7);
}

void TestScheduler::haltPolicyParsing_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::newRow("now,fail=1") << "now,fail=1" << true;
    QTest::newRow("soon,success=50%") << "soon,success=50%" << true;
    QTest::newRow("never") << "never" << true;
    QTest::newRow("2") << "2" << true;
    QTest::newRow("later") << "later,fail=1" << false;
    QTest::newRow("no count") << "now,fail" << false;
    QTest::newRow("zero") << "now,fail=0" << false;
    QTest::newRow("percent over 100") << "now,fail=150%" << false;
}

void TestScheduler::haltPolicyParsing()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    const Expected<HaltPolicy> policy = HaltPolicy::parse(text);
    QCOMPARE(policy.ok(), valid);
    if (!valid)
        QVERIFY(policy.error().contains(text));
}

void TestScheduler::delaySpacesStarts()
{
    Scheduler s;
    s.setMaxParallel(0);
    BatchOptions options;
    options.delayMs = 100;
    QSignalSpy done(&s, &Scheduler::batchFinished);
    s.submit(QStringLiteral("delay"),
             times(child({QStringLiteral("exit"), QStringLiteral("0")}), 3), options);
    QCOMPARE(s.runningCount(), 1); // the others wait for the delay
    QVERIFY(done.wait(10000));
    // Starts are spaced by at least the delay (a lower bound, not a timing).
    for (int i = 1; i < 3; ++i)
        QVERIFY(s.store().job(i).startedNs - s.store().job(i - 1).startedNs >= 100 * 1000000LL);
}

void TestScheduler::startGate_data()
{
    QTest::addColumn<double>("maxLoad");
    QTest::addColumn<qint64>("minMemFree");
    QTest::addColumn<double>("load");
    QTest::addColumn<qint64>("memAvailable");
    QTest::addColumn<bool>("allows");
    const qint64 mb = 1024 * 1024;
    QTest::newRow("no limits") << 0.0 << qint64(0) << 99.0 << qint64(1) << true;
    QTest::newRow("load below") << 2.0 << qint64(0) << 1.99 << qint64(-1) << true;
    // As parallel: at the limit is too high.
    QTest::newRow("load at the limit") << 2.0 << qint64(0) << 2.0 << qint64(-1) << false;
    QTest::newRow("load above") << 2.0 << qint64(0) << 3.5 << qint64(-1) << false;
    QTest::newRow("load unknown") << 2.0 << qint64(0) << -1.0 << qint64(-1) << true;
    QTest::newRow("memory enough") << 0.0 << 100 * mb << 50.0 << 100 * mb << true;
    QTest::newRow("memory short") << 0.0 << 100 * mb << 0.0 << 100 * mb - 1 << false;
    QTest::newRow("memory unknown") << 0.0 << 100 * mb << 0.0 << qint64(-1) << true;
    QTest::newRow("both, memory short") << 4.0 << 100 * mb << 1.0 << mb << false;
    QTest::newRow("both fine") << 4.0 << 100 * mb << 1.0 << 200 * mb << true;
}

void TestScheduler::startGate()
{
    QFETCH(double, maxLoad);
    QFETCH(qint64, minMemFree);
    QFETCH(double, load);
    QFETCH(qint64, memAvailable);
    QFETCH(bool, allows);
    StartGate gate;
    int asked = 0;
    gate.setProbe([&] {
        ++asked;
        return SystemState{load, memAvailable};
    });
    BatchOptions options;
    options.maxLoad = maxLoad;
    options.minMemFree = minMemFree;
    QCOMPARE(gate.allows(options), allows);
    // Without limits the system is not even looked at.
    QCOMPARE(asked, maxLoad > 0 || minMemFree > 0 ? 1 : 0);
}

void TestScheduler::startGateReadsProc()
{
    const SystemState s = StartGate::parse("1.15 1.71 1.04 4/115 20240\n",
                                           "MemTotal:       32000000 kB\nMemFree:  1000 kB\n"
                                           "MemAvailable:   24219300 kB\nBuffers: 5 kB\n");
    QCOMPARE(s.loadAverage, 1.15);
    QCOMPARE(s.memAvailable, qint64(24219300) * 1024);
    const SystemState unknown = StartGate::parse({}, "MemFree: 1 kB\n");
    QVERIFY(unknown.loadAverage < 0);
    QVERIFY(unknown.memAvailable < 0);
    // This machine's own numbers, whatever they are, are read.
    QVERIFY(StartGate::readProc().loadAverage >= 0);
    QVERIFY(StartGate::readProc().memAvailable > 0);
}

// A fake system for the gate: busy until told otherwise; counts the times
// it is asked.
struct FakeSystem
{
    SystemState state;
    int asked = 0;
    StartGate::Probe probe()
    {
        return [this] {
            ++asked;
            return state;
        };
    }
};

void TestScheduler::busySystemHoldsJobsUntilItFrees()
{
    Scheduler s;
    FakeSystem system;
    system.state = SystemState{8.0, -1};
    s.startGate().setProbe(system.probe());
    s.startGate().setRecheckInterval(5);
    BatchOptions options;
    options.maxLoad = 2;
    QSignalSpy done(&s, &Scheduler::batchFinished);
    s.submit(QStringLiteral("load"), times(child({QStringLiteral("exit"), QStringLiteral("0")}), 3),
             options);
    QCOMPARE(s.runningCount(), 0);
    // Asked again and again (on a timer: the event loop runs meanwhile),
    // and nothing starts while the load stays high.
    QTRY_VERIFY(system.asked >= 4);
    QCOMPARE(s.runningCount(), 0);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(s.store().job(i).state, JobState::Queued);
    system.state.loadAverage = 1.5;
    QVERIFY(done.wait(10000));
    QCOMPARE(s.batch(1).succeeded, 3);
}

void TestScheduler::lowMemoryHoldsJobsUntilItFrees()
{
    Scheduler s;
    s.setMaxParallel(1);
    FakeSystem system;
    system.state = SystemState{0.0, 1000};
    s.startGate().setProbe(system.probe());
    s.startGate().setRecheckInterval(5);
    BatchOptions options;
    options.minMemFree = 4096;
    QSignalSpy done(&s, &Scheduler::batchFinished);
    s.submit(QStringLiteral("mem"), times(child({QStringLiteral("exit"), QStringLiteral("0")}), 2),
             options);
    QTRY_VERIFY(system.asked >= 3);
    QCOMPARE(s.runningCount(), 0);
    system.state.memAvailable = 4096; // enough: at least what was asked for
    QVERIFY(done.wait(10000));
    QCOMPARE(s.batch(1).succeeded, 2);
    // Stopping a held batch cancels its queued jobs: nothing waits on.
    system.state.memAvailable = 1;
    s.submit(QStringLiteral("held"), times(child({QStringLiteral("exit"), QStringLiteral("0")}), 2),
             options);
    QTRY_VERIFY(system.asked >= 6);
    s.stopBatch(2);
    QCOMPARE(s.batch(2).canceled, 2);
    QVERIFY(s.isIdle());
}

void TestScheduler::slotsAreReusedAndBounded()
{
    Scheduler s;
    s.setMaxParallel(3);
    QSignalSpy done(&s, &Scheduler::batchFinished);
    s.submit(QStringLiteral("slots"),
             times(child({QStringLiteral("sleep"), QStringLiteral("10")}), 12));
    QVERIFY(done.wait(20000));
    QSet<int> usedSlots;
    for (int i = 0; i < 12; ++i)
        usedSlots.insert(s.store().job(i).slot);
    QCOMPARE(usedSlots, (QSet<int>{1, 2, 3}));
}

void TestScheduler::stopDuringTimeoutKillSequenceIsNotRetried()
{
    Scheduler s;
    s.setGracePeriod(100);
    JobSpec spec = child({QStringLiteral("ignoreterm")});
    spec.timeoutMs = 200;
    spec.termSequence = {{SIGTERM, 30000}, {SIGKILL, 0}};
    BatchOptions options;
    options.attempts = 3;
    s.submit(QStringLiteral("t"), {spec}, options);
    // Timed out: the child reports the TERM, and the kill sequence now
    // waits 30 s before the KILL.
    QTRY_VERIFY(s.store().job(0).output &&
                s.store().job(0).output->lastLine() == QLatin1String("got SIGTERM"));
    QVERIFY(s.store().job(0).output->rawBytes(Stream::Stdout).startsWith("ready\n"));
    s.stopJob(0); // the user presses Stop: KILL after the grace, no retry
    QTRY_VERIFY_WITH_TIMEOUT(s.isIdle(), 10000);
    QCOMPARE(s.store().job(0).attempts, 1);
    QCOMPARE(s.store().job(0).result.signal, int(SIGKILL));
}

void TestScheduler::rerunKeepsRetries()
{
    Scheduler s;
    BatchOptions options;
    options.attempts = 3;
    s.submit(QStringLiteral("r"), {shell(QStringLiteral("exit 0"))}, options);
    QTRY_VERIFY(s.isIdle());
    const int b = s.rerun({0});
    QTRY_VERIFY(s.isIdle());
    QCOMPARE(s.store().batch(b).options.attempts, 3);
}

void TestScheduler::stoppingAJobQueuedForRetryKeepsItFailed()
{
    Scheduler s;
    s.setMaxParallel(1);
    BatchOptions options;
    options.attempts = 3;
    options.delayMs = 60000; // the retry waits in the queue
    s.submit(QStringLiteral("r"), {shell(QStringLiteral("exit 4"))}, options);
    QTRY_VERIFY(s.store().job(0).attempts == 1 && s.store().job(0).state == JobState::Queued);
    s.stopJob(0);
    QCOMPARE(s.store().job(0).state, JobState::Finished);
    QCOMPARE(s.store().job(0).result.exitCode, 4); // not "Canceled": it ran and failed
    QCOMPARE(s.store().batch(1).failed, 1);
    QCOMPARE(s.store().batch(1).canceled, 0);
    QVERIFY(s.isIdle());
}

void TestScheduler::countsAlwaysSumToJobCount()
{
    Scheduler s;
    s.setGracePeriod(50);
    s.setMaxParallel(6);
    BatchOptions options;
    options.attempts = 3;
    options.delayMs = 2;
    options.halt.when = HaltPolicy::When::Soon;
    options.halt.onFailure = true;
    options.halt.count = 60;
    std::vector<JobSpec> specs;
    for (int i = 0; i < 300; ++i)
        specs.push_back(shell(QStringLiteral("sleep 0.0%1; exit %2").arg(i % 7).arg(i % 3 == 0)));
    bool bad = false;
    auto check = [&] {
        const BatchInfo &b = s.store().batch(1);
        if (b.queued + b.running + b.succeeded + b.failed + b.canceled != b.jobCount ||
            b.queued < 0 || b.running < 0)
            bad = true;
    };
    connect(&s, &Scheduler::countsChanged, this, check);
    connect(&s, &Scheduler::jobFinished, this, check);
    s.submit(QStringLiteral("stress"), std::move(specs), options);
    QTimer chaos;
    auto *rng = QRandomGenerator::global();
    connect(&chaos, &QTimer::timeout, this, [&] {
        s.stopJob(int(rng->bounded(300)));
        s.setMaxParallel(int(rng->bounded(1, 8)));
    });
    chaos.start(7);
    QTRY_VERIFY_WITH_TIMEOUT(s.isIdle(), 60000);
    chaos.stop();
    check();
    QVERIFY(!bad);
}

void TestScheduler::middleStageFailsToStart()
{
    Scheduler s;
    JobSpec spec;
    spec.pipeline = {Stage{QStringLiteral("sleep"), {QStringLiteral("30")}},
                     Stage{QStringLiteral("/nonexistent/prog"), {}},
                     Stage{QStringLiteral("cat"), {}}};
    s.submit(QStringLiteral("p"), {spec});
    QTRY_VERIFY_WITH_TIMEOUT(s.isIdle(), 10000);
    const JobResult &r = s.store().job(0).result;
    QCOMPARE(r.outcome, Outcome::FailedToStart);
    QVERIFY2(r.errorText.contains(QStringLiteral("stage 2: /nonexistent/prog")),
             qPrintable(r.errorText));
    // The missing program is seen before anything starts; had a stage
    // started, it must not stay behind.
    if (r.stages.value(0).pid > 0)
        QTRY_VERIFY(groupMembers(r.stages.value(0).pid).isEmpty());
}

void TestScheduler::aBatchOfAMissingProgramLeaksNothing()
{
    // Qt 6.4 leaks a descriptor at every failed exec: 5,000 jobs of a
    // mistyped command ran procdeck out of them under the usual limit of
    // 1,024, and from then on no job could start. Failing before the
    // start must also not nest each failure inside the last one's start.
    SpillWriter::instance().waitUntilIdle(); // earlier tests' spill files, closing
    const int before = openDescriptors();
    Scheduler s;
    s.setMaxParallel(8);
    JobSpec typo;
    typo.program = QStringLiteral("procdeck-no-such-command");
    JobSpec missingPath;
    missingPath.program = QStringLiteral("/nonexistent/prog");
    std::vector<JobSpec> specs = times(typo, 2500);
    specs.insert(specs.end(), 2500, missingPath);
    s.submit(QStringLiteral("typos"), specs);
    QTRY_VERIFY_WITH_TIMEOUT(s.isIdle(), 60000);
    QCOMPARE(s.store().job(0).result.outcome, Outcome::FailedToStart);
    QCOMPARE(s.store().job(0).result.errorText,
             QStringLiteral("procdeck-no-such-command: command not found"));
    QCOMPARE(s.store().job(4999).result.errorText,
             QStringLiteral("/nonexistent/prog: No such file or directory"));
    QCOMPARE(s.store().batch(s.store().job(0).batchId).failed, 5000);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    QCOMPARE(openDescriptors(), before);
}

void TestScheduler::haltJobFinishedBeforeIdle()
{
    Scheduler s;
    s.setMaxParallel(1);
    BatchOptions options;
    options.halt.when = HaltPolicy::When::Soon;
    options.halt.count = 1;
    QStringList events;
    connect(&s, &Scheduler::jobFinished, this,
            [&](int i) { events << QStringLiteral("finished %1").arg(i); });
    connect(&s, &Scheduler::batchFinished, this,
            [&](int) { events << QStringLiteral("batchFinished"); });
    connect(&s, &Scheduler::idle, this, [&] { events << QStringLiteral("idle"); });
    s.submit(QStringLiteral("h"),
             {shell(QStringLiteral("exit 1")), shell(QStringLiteral("exit 0"))}, options);
    QTRY_VERIFY(s.isIdle());
    QTRY_VERIFY(events.contains(QStringLiteral("idle")));
    QCOMPARE(events, (QStringList{"finished 0", "finished 1", "batchFinished", "idle"}));
}

void TestScheduler::backgroundGrandchildDoesNotOutliveTheEngine()
{
    qint64 pgid = 0;
    {
        Scheduler s;
        s.submit(QStringLiteral("bg"),
                 {shell(QStringLiteral("sleep 30 >/dev/null 2>&1 & echo started"))});
        QTRY_VERIFY(s.isIdle());
        pgid = s.store().job(0).result.pid;
        QVERIFY(!groupMembers(pgid).isEmpty()); // the job is done; its child lives on
    }                                           // the whole engine is gone, as when procdeck quits
    QTRY_VERIFY(groupMembers(pgid).isEmpty());
}

void TestScheduler::retryOfPipelineWithFailedStage()
{
    // Stage 2 cannot start: the runner finishes while stages 1 and 3 are
    // still being killed, and the retry replaces the job's OutputLog while
    // they may still write to stderr. ASan watches for a use after free.
    Scheduler s;
    JobSpec spec;
    spec.pipeline = {Stage{QStringLiteral("sh"),
                           {QStringLiteral("-c"), QStringLiteral("echo err >&2; exec sleep 30")}},
                     Stage{QStringLiteral("/nonexistent/prog"), {}},
                     Stage{QStringLiteral("sh"),
                           {QStringLiteral("-c"), QStringLiteral("echo err2 >&2; exec cat")}}};
    BatchOptions options;
    options.attempts = 5;
    s.submit(QStringLiteral("p"), times(spec, 20), options);
    QTRY_VERIFY_WITH_TIMEOUT(s.isIdle(), 20000);
    for (int i = 0; i < 20; ++i)
        QCOMPARE(s.store().job(i).attempts, 5);
}

void TestScheduler::slotIsRefilledOnRetry()
{
    // {%} is the slot of each attempt, not the first attempt's.
    QTemporaryDir dir;
    Scheduler s;
    s.setMaxParallel(2);
    BatchOptions options;
    options.attempts = 2;
    const auto slotCommand = CommandTemplate::parse(
        QStringLiteral("echo {%}; [ -e %1/x ] || { touch %1/x; exit 1; }").arg(dir.path()), 0,
        false);
    QVERIFY(slotCommand);
    const JobSpec spec = slotCommand->expand({}, 1);
    s.submit(QStringLiteral("slot"), {spec}, options);
    QTRY_VERIFY(s.isIdle());
    QVERIFY(s.store().templateSpec(0).usesSlot); // kept, for a rerun
    QVERIFY(!s.spec(0).displayCommand().contains(QChar(0xE000)));
    QCOMPARE(s.store().job(0).attempts, 2);
}

namespace {

// Every field, so a field CompactSpec forgot fails here.
void compareSpecs(const JobSpec &a, const JobSpec &b)
{
    QCOMPARE(a.program, b.program);
    QCOMPARE(a.arguments, b.arguments);
    QCOMPARE(a.pipeline.size(), b.pipeline.size());
    for (qsizetype i = 0; i < a.pipeline.size(); ++i) {
        QCOMPARE(a.pipeline[i].program, b.pipeline[i].program);
        QCOMPARE(a.pipeline[i].arguments, b.pipeline[i].arguments);
    }
    QCOMPARE(a.shellCommand, b.shellCommand);
    QCOMPARE(a.shell, b.shell);
    QCOMPARE(a.displayText, b.displayText);
    QCOMPARE(a.inputValues, b.inputValues);
    QCOMPARE(a.workingDirectory, b.workingDirectory);
    QCOMPARE(a.environment, b.environment);
    QCOMPARE(a.timeoutMs, b.timeoutMs);
    QCOMPARE(a.termSequence.size(), b.termSequence.size());
    for (qsizetype i = 0; i < a.termSequence.size(); ++i) {
        QCOMPARE(a.termSequence[i].signal, b.termSequence[i].signal);
        QCOMPARE(a.termSequence[i].waitMs, b.termSequence[i].waitMs);
    }
    QCOMPARE(a.stdinData, b.stdinData);
    QCOMPARE(a.hasStdinData, b.hasStdinData);
    QCOMPARE(a.stdinFile, b.stdinFile);
    QCOMPARE(a.stdinFromCaller, b.stdinFromCaller);
    QCOMPARE(a.usesSlot, b.usesSlot);
    QCOMPARE(a.usePty, b.usePty);
    QCOMPARE(a.setsNice, b.setsNice);
    QCOMPARE(a.nice, b.nice);
}

// A source fed by the test: jobs become ready when it says so.
class FedSource : public JobSource
{
public:
    void add(const JobSpec &spec)
    {
        m_ready.push_back(spec);
        emit ready();
    }
    void end()
    {
        m_ended = true;
        emit ready();
    }
    bool take(JobSpec *spec, int *seq) override
    {
        if (m_ready.empty())
            return false;
        *spec = m_ready.front();
        *seq = 0;
        m_ready.pop_front();
        return true;
    }
    bool atEnd() const override { return m_ended && m_ready.empty(); }

private:
    std::deque<JobSpec> m_ready;
    bool m_ended = false;
};

} // namespace

void TestScheduler::compactSpecKeepsEveryField_data()
{
    QTest::addColumn<JobSpec>("spec");
    QTest::addColumn<int>("maxBytes"); // what it may take (23: in place)
    JobSpec plain;
    plain.program = QStringLiteral("true");
    QTest::newRow("the common spec itself") << plain << 0;
    JobSpec small = plain;
    small.arguments = {QStringLiteral("42")};
    small.inputValues = {QStringLiteral("42")};
    QTest::newRow("a value: in place") << small << 23;
    JobSpec full;
    full.program = QStringLiteral("/usr/bin/pr\u00f6gram");
    full.arguments = {QStringLiteral("a b"), QString(), QString(QChar(0xDCE9))}; // a RawText byte
    full.pipeline = {Stage{QStringLiteral("cat"), {QStringLiteral("-")}},
                     Stage{QStringLiteral("wc"), {QStringLiteral("-l")}}};
    full.shellCommand = QStringLiteral("echo \u2713 | cat");
    full.shell = QStringLiteral("/bin/bash");
    full.displayText = QStringLiteral("shown");
    full.inputValues = {QStringLiteral("v1"), QStringLiteral("v2")};
    full.workingDirectory = QStringLiteral("/tmp/x");
    full.environment = {QStringLiteral("A=1"), QStringLiteral("B=\u00e9")};
    full.timeoutMs = 123456;
    full.termSequence = {{SIGTERM, 200}, {SIGKILL, 25}};
    full.stdinData = QByteArray("in\0put", 6);
    full.hasStdinData = true;
    full.stdinFile = QStringLiteral("/etc/hostname");
    full.stdinFromCaller = true;
    full.usesSlot = true;
    full.usePty = true;
    full.setsNice = true;
    full.nice = -20;
    QTest::newRow("every field: on the heap") << full << 1000;
    JobSpec niceOnly = plain;
    niceOnly.setsNice = true;
    niceOnly.nice = 19;
    QTest::newRow("nice 19") << niceOnly << 23;
    // What the builder makes: the repeats kept once (see CompactSpec).
    // `true {}` with a 7-digit value: no display text, no second copy of
    // the value, in place.
    const std::pair<const char *, int> built[] = {
        {"true {}", 23}, {"echo {} | cat", 60}, {"printf '%s\\n' {} x{}y | wc -c", 200}};
    for (const auto &[command, maxBytes] : built) {
        const auto t = CommandTemplate::parse(QString::fromLatin1(command), 1, false);
        QVERIFY(t);
        QTest::newRow(command) << t->expand({QStringLiteral("1234567")}, 7) << maxBytes;
    }
}

void TestScheduler::compactSpecKeepsEveryField()
{
    QFETCH(JobSpec, spec);
    QFETCH(int, maxBytes);
    JobSpec common;
    common.program = QStringLiteral("true");
    CompactSpec compact(spec, common);
    compareSpecs(compact.expand(common), spec);
    QVERIFY2(compact.byteCount() <= maxBytes, qPrintable(QString::number(compact.byteCount())));
    // Moved, it is the same spec; the one moved from is the common spec.
    CompactSpec moved(std::move(compact));
    compareSpecs(moved.expand(common), spec);
    CompactSpec assigned;
    assigned = std::move(moved);
    compareSpecs(assigned.expand(common), spec);
    compareSpecs(moved.expand(common), common); // NOLINT(bugprone-use-after-move)
}

void TestScheduler::streamedBatchStaysOpenUntilItsSourceEnds()
{
    Scheduler s;
    s.setMaxParallel(2);
    auto source = std::make_unique<FedSource>();
    FedSource *feed = source.get();
    QSignalSpy finished(&s, &Scheduler::batchFinished);
    QSignalSpy ended(&s, &Scheduler::sourceEnded);
    const int batchId = s.submitSource(QStringLiteral("fed"), std::move(source));
    QVERIFY(batchId > 0);
    QVERIFY(!s.isIdle()); // waiting for input
    feed->add(testsupport::child({QStringLiteral("echo"), QStringLiteral("first")}));
    QTRY_COMPARE(s.batch(batchId).succeeded, 1);
    // Its one job has ended, but more may come: not finished, not idle.
    QVERIFY(s.batch(batchId).inputOpen);
    QVERIFY(!s.batch(batchId).isFinished());
    QCOMPARE(finished.size(), 0);
    QVERIFY(!s.isIdle());
    feed->add(testsupport::child({QStringLiteral("echo"), QStringLiteral("second")}));
    feed->end();
    QTRY_VERIFY(s.batch(batchId).isFinished());
    QCOMPARE(s.batch(batchId).jobCount, 2);
    QCOMPARE(s.batch(batchId).succeeded, 2);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(ended.size(), 1);
    QCOMPARE(ended.at(0).at(1).toString(), QString());
    QVERIFY(s.isIdle());
    QCOMPARE(s.store().job(1).output->rawBytes(Stream::Stdout), QByteArray("second\n"));
}

void TestScheduler::batchSubmittedWhileAnInputIsOpenWaitsItsTurn()
{
    // A batch's jobs are contiguous: the second batch's come after the
    // open one's input has ended, whatever order they were ready in.
    Scheduler s;
    auto source = std::make_unique<FedSource>();
    FedSource *feed = source.get();
    const int open = s.submitSource(QStringLiteral("open"), std::move(source));
    feed->add(testsupport::child({QStringLiteral("echo"), QStringLiteral("a")}));
    const int later = s.submit(QStringLiteral("later"),
                               {testsupport::child({QStringLiteral("echo"), QStringLiteral("b")})});
    QVERIFY(later > open);
    QCOMPARE(s.batch(later).jobCount, 0);
    feed->add(testsupport::child({QStringLiteral("echo"), QStringLiteral("c")}));
    feed->end();
    QTRY_VERIFY(s.isIdle());
    QCOMPARE(s.batch(open).firstJob, 0);
    QCOMPARE(s.batch(open).jobCount, 2);
    QCOMPARE(s.batch(later).firstJob, 2);
    QCOMPARE(s.batch(later).jobCount, 1);
    QCOMPARE(s.store().job(2).output->rawBytes(Stream::Stdout), QByteArray("b\n"));
}

void TestScheduler::releasedJobsLeaveFromTheFront()
{
    Scheduler s;
    s.setMaxParallel(1);
    std::vector<JobSpec> specs;
    for (int i = 0; i < 4; ++i)
        specs.push_back(testsupport::child({QStringLiteral("echo"), QString::number(i)}));
    s.submit(QStringLiteral("four"), specs);
    QTRY_VERIFY(s.isIdle());
    // Job 1 alone goes nowhere while job 0 is kept: indices never change.
    s.releaseJob(1);
    QCOMPARE(s.store().firstKept(), 0);
    QCOMPARE(s.store().job(2).output->rawBytes(Stream::Stdout), QByteArray("2\n"));
    s.releaseJob(0);
    QCOMPARE(s.store().firstKept(), 2);
    QCOMPARE(s.jobCount(), 4);
    QCOMPARE(s.store().job(3).output->rawBytes(Stream::Stdout), QByteArray("3\n"));
    QCOMPARE(s.spec(3).arguments.last(), QStringLiteral("3"));
}

void TestScheduler::stoppingAnOpenBatchLetsTheNextOneRun()
{
    // The first batch's input is open with nothing to run; the second
    // waits for it. Stopping the first must not leave the second waiting.
    Scheduler s;
    auto source = std::make_unique<FedSource>();
    const int open = s.submitSource(QStringLiteral("open"), std::move(source));
    const int next = s.submit(QStringLiteral("next"),
                              {testsupport::child({QStringLiteral("echo"), QStringLiteral("b")})});
    QCOMPARE(s.batch(next).jobCount, 0);
    s.stopBatch(open);
    QVERIFY(s.batch(open).isFinished());
    QTRY_VERIFY(s.isIdle());
    QCOMPARE(s.batch(next).succeeded, 1);
}

void TestScheduler::continuedLineBeforeTheEndValueIsKept()
{
    // -L: "a " goes on with the next line; when that line is -E's end
    // value, "a " is the last value, also when the two arrive apart.
    int fds[2];
    QVERIFY(::pipe(fds) == 0);
    BatchRequest request;
    request.command = QStringLiteral("echo");
    request.grouping.maxRecords = 1;
    StreamedInput input;
    input.joinContinued = true;
    input.eofValue = QStringLiteral("STOP");
    StreamedJobSource source(request, input, std::make_unique<InputReader>(fds[0], true));
    QSignalSpy ready(&source, &JobSource::ready);
    JobSpec spec;
    int seq = 0;
    QVERIFY(::write(fds[1], "a \n", 3) == 3);
    QTRY_VERIFY(!ready.isEmpty());
    QVERIFY(!source.take(&spec, &seq)); // "a " waits for its next line
    QVERIFY(!source.atEnd());
    ready.clear();
    QVERIFY(::write(fds[1], "STOP\nb\n", 7) == 7);
    ::close(fds[1]);
    QTRY_VERIFY(!ready.isEmpty());
    QVERIFY(source.take(&spec, &seq));
    QCOMPARE(spec.inputValues, QStringList{QStringLiteral("a ")});
    QCOMPARE(seq, 1);
    QVERIFY(!source.take(&spec, &seq));
    QVERIFY(source.atEnd());
    QCOMPARE(source.error(), QString());
}

QTEST_GUILESS_MAIN(TestScheduler)
#include "tst_scheduler.moc"
