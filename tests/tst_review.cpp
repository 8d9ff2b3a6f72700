// Regression tests for problems a code review demonstrated: each once failed.
#include "app/batch/commandtemplate.h"
#include "app/engine/scheduler.h"
#include "app/models/jobtablemodel.h"
#include "app/process/jobrunner.h"
#include "testsupport.h"
#include "ui/output/outputpane.h"

#include <QApplication>
#include <QPlainTextEdit>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace procdeck;
using namespace testsupport;

class TestReview : public QObject
{
    Q_OBJECT
private slots:
    void init() { failOnLeakedProcess(); }
    void outputPaneStaysBounded();
    void paneFillsBackAfterAFlood();
    void selectingABigJobShowsABoundedTail();
    void stopDuringTimeoutKillSequenceIsNotRetried();
    void retryRowDoesNotShowPreviousExitCode();
    void rerunKeepsRetries();
    void stoppingAJobQueuedForRetryKeepsItFailed();
    void countsAlwaysSumToJobCount();
    void middleStageFailsToStart();
    void aBatchOfAMissingProgramLeaksNothing();
    void haltJobFinishedBeforeIdle();
    void backgroundGrandchildDoesNotOutliveTheEngine();
    void retryOfPipelineWithFailedStage();
    void slotIsRefilledOnRetry();
    void paneShowsOnlyTheRetriedAttempt();
};

static int paneChars(const OutputPane &pane)
{
    return pane.findChild<QPlainTextEdit *>()->document()->characterCount();
}

void TestReview::outputPaneStaysBounded()
{
    Scheduler s;
    OutputPane pane(&s);
    pane.show();
    // 1,500,000 characters, slowly, so the pane refreshes many times.
    s.submit(
        QStringLiteral("flood"),
        {shell(QStringLiteral("i=0; while [ $i -lt 300 ]; do head -c 4999 /dev/zero | tr '\\0' x;"
                              " echo; sleep 0.005; i=$((i+1)); done"))});
    pane.setJob(0);
    QTRY_VERIFY_WITH_TIMEOUT(s.isIdle(), 30000);
    const OutputLog *log = s.store().job(0).output.get();
    QTRY_VERIFY(pane.text().endsWith(QStringLiteral("x\n")));
    QCOMPARE(log->displayEnd(), 1500000);
    QVERIFY2(paneChars(pane) <= 200'000 + 200, qPrintable(QString::number(paneChars(pane))));
}

void TestReview::paneFillsBackAfterAFlood()
{
    // While a job floods, the pane shows a short live tail; once it ends,
    // the pane shows the full tail again: nothing the pane can hold is lost.
    Scheduler s;
    OutputPane pane(&s);
    pane.resize(800, 300);
    pane.show();
    // 40 bursts of 100,000 characters, more than a refresh shows live.
    s.submit(QStringLiteral("flood"),
             {shell(QStringLiteral("i=0; while [ $i -lt 40 ]; do head -c 100000 /dev/zero | "
                                   "tr '\\0' x; echo; sleep 0.02; i=$((i+1)); done; sleep 0.3"))});
    pane.setJob(0);
    // The first look at the job shows all the pane holds; after that, each
    // refresh during the flood shows the live tail.
    int mostWhileRunning = 0;
    int changes = 0;
    int last = paneChars(pane);
    QTimer sampler;
    connect(&sampler, &QTimer::timeout, this, [&] {
        const int now = paneChars(pane);
        changes += now != last ? 1 : 0;
        last = now;
        if (changes >= 2 && s.store().job(0).state == JobState::Running)
            mostWhileRunning = qMax(mostWhileRunning, now);
    });
    sampler.start(5);
    QTRY_VERIFY_WITH_TIMEOUT(s.isIdle(), 30000);
    sampler.stop();
    QVERIFY(mostWhileRunning > 0);
    QVERIFY2(mostWhileRunning <= 40'000, qPrintable(QString::number(mostWhileRunning)));
    QTRY_VERIFY(paneChars(pane) > 100'000);
    QVERIFY2(paneChars(pane) <= 100'000 + 200, qPrintable(QString::number(paneChars(pane))));
    QVERIFY(pane.text().endsWith(QStringLiteral("x\n")));
    QVERIFY(pane.text().contains(QStringLiteral("earlier characters not shown")));
}

void TestReview::selectingABigJobShowsABoundedTail()
{
    Scheduler s;
    OutputPane pane(&s);
    pane.resize(800, 300);
    pane.show();
    s.submit(QStringLiteral("y"), {shell(QStringLiteral("yes | head -c 3000000"))});
    QTRY_VERIFY_WITH_TIMEOUT(s.isIdle(), 20000);
    pane.setJob(0); // one click on the row: only a bounded tail is laid out
    QVERIFY2(paneChars(pane) <= 100'000 + 200, qPrintable(QString::number(paneChars(pane))));
    QVERIFY(pane.text().startsWith(QStringLiteral("[")));
    QVERIFY(pane.text().contains(QStringLiteral("earlier characters not shown")));
    QVERIFY(pane.text().endsWith(QStringLiteral("y\n")));
}

void TestReview::stopDuringTimeoutKillSequenceIsNotRetried()
{
    Scheduler s;
    s.setGracePeriod(100);
    JobSpec spec = child({QStringLiteral("ignoreterm")});
    spec.timeoutMs = 200;
    spec.termSequence = {{SIGTERM, 30000}, {SIGKILL, 0}};
    BatchOptions options;
    options.attempts = 3;
    s.submit(QStringLiteral("t"), {spec}, options);
    // Timed out: the kill sequence now waits 30 s between TERM and KILL.
    QTRY_VERIFY(s.store().job(0).output &&
                s.store().job(0).output->lastLine() == QLatin1String("ready"));
    QTRY_VERIFY(s.runtimeNs(0) > 300'000'000LL);
    s.stopJob(0); // the user presses Stop: KILL after the grace, no retry
    QTRY_VERIFY_WITH_TIMEOUT(s.isIdle(), 10000);
    QCOMPARE(s.store().job(0).attempts, 1);
    QCOMPARE(s.store().job(0).result.signal, int(SIGKILL));
}

void TestReview::retryRowDoesNotShowPreviousExitCode()
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

void TestReview::rerunKeepsRetries()
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

void TestReview::stoppingAJobQueuedForRetryKeepsItFailed()
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

void TestReview::countsAlwaysSumToJobCount()
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

void TestReview::middleStageFailsToStart()
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

void TestReview::aBatchOfAMissingProgramLeaksNothing()
{
    // Qt 6.4 leaks a descriptor at every failed exec: 5,000 jobs of a
    // mistyped command ran procdeck out of them under the usual limit of
    // 1,024, and from then on no job could start. Failing before the
    // start must also not nest each failure inside the last one's start.
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

void TestReview::haltJobFinishedBeforeIdle()
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

void TestReview::backgroundGrandchildDoesNotOutliveTheEngine()
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

void TestReview::retryOfPipelineWithFailedStage()
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

void TestReview::slotIsRefilledOnRetry()
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
    QVERIFY(s.store().job(0).slotTemplate);
    QVERIFY(!s.store().job(0).spec.displayCommand().contains(QChar(0xE000)));
    QCOMPARE(s.store().job(0).attempts, 2);
}

void TestReview::paneShowsOnlyTheRetriedAttempt()
{
    QTemporaryDir dir;
    Scheduler s;
    OutputPane pane(&s);
    pane.show();
    BatchOptions options;
    options.attempts = 2;
    s.submit(
        QStringLiteral("r"),
        {shell(QStringLiteral(
                   "if [ -e %1/x ]; then echo second; else touch %1/x; echo first-attempt-output; "
                   "exit 1; fi")
                   .arg(dir.path()))},
        options);
    pane.setJob(0);
    QTRY_VERIFY(s.isIdle());
    QTRY_COMPARE(pane.text(), QStringLiteral("second\n"));
}

QTEST_MAIN(TestReview)
#include "tst_review.moc"
