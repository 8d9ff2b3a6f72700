// JobRunner: one job's run on a QProcess, every way out of it, and stopping
// its whole process group.
#include "jobrunner.h"
#include "outputlog.h"
#include "testsupport.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

using namespace procdeck;
using namespace testsupport;

// A runner with its log, started, plus a spy on finished().
struct Run
{
    explicit Run(const JobSpec &spec, int graceMs = 2000)
        : runner(spec, &log)
        , finished(&runner, &JobRunner::finished)
        , started(&runner, &JobRunner::started)
    {
        runner.setGracePeriod(graceMs);
        runner.start();
    }
    bool waitFinished(int ms = 10000) { return finished.size() == 1 || finished.wait(ms); }
    QString out() const { return QString::fromUtf8(log.rawBytes(Stream::Stdout)); }
    OutputLog log;
    JobRunner runner;
    QSignalSpy finished;
    QSignalSpy started;
};

class TestJobRunner : public QObject
{
    Q_OBJECT
private slots:
    void init() { failOnLeakedProcess(); }
    void seedEchoIsCapturedExactly();
    void exitCodes_data();
    void exitCodes();
    void crashBySignal_data();
    void crashBySignal();
    void failedStart();
    void stderrIsKeptApart();
    void partialLinesAndSplitUtf8();
    void binaryOutputIsKeptByteForByte();
    void stdinIsNull();
    void workingDirectoryAndEnvironment();
    void stopTerminatesWithSigterm();
    void ignoredSigtermIsKilledAfterGrace();
    void stopReachesGrandchildren();
    void stopSweepsGroupMembersThatIgnoreTerm();
    void seedShellSleepLeavesNothingBehind();
    void timeoutStopsTheJob();
    void stopRightAfterStart();
    void finishedIsEmittedOnce();
    void destroyingARunningRunnerKillsTheGroup();
};

void TestJobRunner::seedEchoIsCapturedExactly()
{
    JobSpec spec;
    spec.program = QStringLiteral("echo");
    spec.arguments = {QStringLiteral("Hello from the child!")};
    Run run(spec);
    QVERIFY(run.waitFinished());
    QCOMPARE(run.log.rawBytes(Stream::Stdout), QByteArray("Hello from the child!\n"));
    QCOMPARE(run.runner.result().outcome, Outcome::Exited);
    QCOMPARE(run.runner.result().exitCode, 0);
    QCOMPARE(describeOutcome(run.runner.result()), QStringLiteral("Exit 0"));
    QVERIFY(run.runner.result().pid > 0);
    QVERIFY(run.runner.result().runtimeNs > 0);
    QVERIFY(run.runner.result().startedAtMs > 0);
    QCOMPARE(run.log.lastLine(), QStringLiteral("Hello from the child!"));
}

void TestJobRunner::exitCodes_data()
{
    QTest::addColumn<int>("code");
    for (int code : {0, 1, 3, 42, 255})
        QTest::addRow("exit %d", code) << code;
}

void TestJobRunner::exitCodes()
{
    QFETCH(int, code);
    Run run(child({QStringLiteral("exit"), QString::number(code)}));
    QVERIFY(run.waitFinished());
    QCOMPARE(run.runner.result().outcome, Outcome::Exited);
    QCOMPARE(run.runner.result().exitCode, code);
    QCOMPARE(run.runner.result().succeeded(), code == 0);
    QCOMPARE(describeOutcome(run.runner.result()), QStringLiteral("Exit %1").arg(code));
}

void TestJobRunner::crashBySignal_data()
{
    QTest::addColumn<int>("signal");
    QTest::addColumn<QString>("status");
    QTest::newRow("SIGSEGV") << int(SIGSEGV) << "Killed by SIGSEGV";
    QTest::newRow("SIGABRT") << int(SIGABRT) << "Killed by SIGABRT";
    QTest::newRow("SIGKILL") << int(SIGKILL) << "Killed by SIGKILL";
    QTest::newRow("SIGTERM") << int(SIGTERM) << "Terminated by SIGTERM";
    QTest::newRow("SIGUSR1") << int(SIGUSR1) << "Killed by SIGUSR1";
}

void TestJobRunner::crashBySignal()
{
    QFETCH(int, signal);
    QFETCH(QString, status);
    Run run(child({QStringLiteral("crash"), QString::number(signal)}));
    QVERIFY(run.waitFinished());
    QCOMPARE(run.runner.result().outcome, Outcome::Signaled);
    QCOMPARE(run.runner.result().signal, signal);
    QVERIFY(run.runner.result().failed());
    QCOMPARE(describeOutcome(run.runner.result()), status);
}

void TestJobRunner::failedStart()
{
    JobSpec spec;
    spec.program = QStringLiteral("/nonexistent/procdeck-no-such-program");
    Run run(spec);
    QVERIFY(run.waitFinished());
    QCOMPARE(run.finished.size(), 1);
    QCOMPARE(run.runner.result().outcome, Outcome::FailedToStart);
    QVERIFY(run.runner.result().failed());
    const QString status = describeOutcome(run.runner.result());
    QVERIFY2(status.startsWith(QStringLiteral("Failed to start: ")), qPrintable(status));
    QVERIFY2(status.contains(QStringLiteral("No such file")), qPrintable(status));
}

void TestJobRunner::stderrIsKeptApart()
{
    Run run(child({QStringLiteral("mixed")}));
    QVERIFY(run.waitFinished());
    QCOMPARE(run.log.rawBytes(Stream::Stdout), QByteArray("out 1\nout 2\n"));
    QCOMPARE(run.log.rawBytes(Stream::Stderr), QByteArray("err 1\n"));
    QCOMPARE(run.log.displayText(Stream::Stderr), QStringLiteral("err 1\n"));
}

void TestJobRunner::partialLinesAndSplitUtf8()
{
    Run run(child({QStringLiteral("partial")}));
    QVERIFY(run.waitFinished());
    QCOMPARE(run.log.rawBytes(Stream::Stdout),
             QByteArray("partial\ncaf\xc3\xa9\ncrlf\r\nlone\rend"));
    QCOMPARE(run.log.displayText(Stream::Stdout), QStringLiteral("partial\ncafé\ncrlf\nlone\nend"));
    QCOMPARE(run.log.lastLine(), QStringLiteral("end"));
}

void TestJobRunner::binaryOutputIsKeptByteForByte()
{
    Run run(child({QStringLiteral("binary")}));
    QVERIFY(run.waitFinished());
    const QByteArray bytes = run.log.rawBytes(Stream::Stdout);
    QCOMPARE(bytes.size(), 256);
    for (int i = 0; i < 256; ++i)
        QCOMPARE(uchar(bytes.at(i)), uchar(i));
}

void TestJobRunner::stdinIsNull()
{
    // cat would wait forever on a terminal or an open pipe; /dev/null ends it.
    JobSpec spec;
    spec.program = QStringLiteral("cat");
    Run run(spec);
    QVERIFY(run.waitFinished());
    QCOMPARE(run.runner.result().exitCode, 0);
    QCOMPARE(run.log.byteCount(Stream::Stdout), 0);
}

void TestJobRunner::workingDirectoryAndEnvironment()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    JobSpec spec = child({QStringLiteral("pwd")});
    spec.workingDirectory = dir.path();
    Run pwd(spec);
    QVERIFY(pwd.waitFinished());
    QCOMPARE(pwd.out().trimmed(), QFileInfo(dir.path()).canonicalFilePath());

    JobSpec envSpec = child({QStringLiteral("env"), QStringLiteral("PROCDECK_TEST_VALUE")});
    envSpec.environment = {QStringLiteral("PROCDECK_TEST_VALUE=a=b c")};
    Run env(envSpec);
    QVERIFY(env.waitFinished());
    QCOMPARE(env.out(), QStringLiteral("a=b c\n"));
}

void TestJobRunner::stopTerminatesWithSigterm()
{
    Run run(child({QStringLiteral("hang")}));
    QVERIFY(run.started.wait(10000));
    run.runner.stop();
    QVERIFY(run.waitFinished());
    QCOMPARE(run.runner.result().outcome, Outcome::Signaled);
    QCOMPARE(run.runner.result().signal, int(SIGTERM));
    QCOMPARE(describeOutcome(run.runner.result()), QStringLiteral("Terminated by SIGTERM"));
}

void TestJobRunner::ignoredSigtermIsKilledAfterGrace()
{
    Run run(child({QStringLiteral("ignoreterm")}), 200);
    // Wait until the child has really installed its handler.
    QTRY_COMPARE(run.log.lastLine(), QStringLiteral("ready"));
    run.runner.stop();
    QVERIFY(run.waitFinished());
    QCOMPARE(run.runner.result().outcome, Outcome::Signaled);
    QCOMPARE(run.runner.result().signal, int(SIGKILL));
    QCOMPARE(describeOutcome(run.runner.result()), QStringLiteral("Killed by SIGKILL"));
}

void TestJobRunner::stopReachesGrandchildren()
{
    Run run(child({QStringLiteral("grandchild")}));
    QTRY_VERIFY(!run.log.lastLine().isEmpty());
    const qint64 grandchild = run.log.lastLine().toLongLong();
    QVERIFY(grandchild > 0);
    QVERIFY(processAlive(grandchild));
    run.runner.stop();
    QVERIFY(run.waitFinished());
    QTRY_VERIFY(!processAlive(grandchild));
}

void TestJobRunner::stopSweepsGroupMembersThatIgnoreTerm()
{
    // The leader dies on SIGTERM at once; its child ignores SIGTERM and must
    // still not outlive the stop.
    Run run(child({QStringLiteral("grandchild"), QStringLiteral("ignoreterm")}), 5000);
    QTRY_VERIFY(!run.log.lastLine().isEmpty());
    const qint64 grandchild = run.log.lastLine().toLongLong();
    QTRY_VERIFY(processAlive(grandchild));
    run.runner.stop();
    QVERIFY(run.waitFinished());
    QCOMPARE(run.runner.result().signal, int(SIGTERM));
    QTRY_VERIFY(!processAlive(grandchild));
}

void TestJobRunner::seedShellSleepLeavesNothingBehind()
{
    Run run(shell(QStringLiteral("sleep 300 & wait")));
    QVERIFY(run.started.wait(10000));
    const qint64 pgid = run.runner.pid();
    // Wait for the shell to have started its sleep.
    QList<qint64> members;
    QTRY_VERIFY((members = groupMembers(pgid)).size() >= 2);
    bool sawSleep = false;
    for (qint64 pid : members)
        sawSleep = sawSleep || commandLine(pid) == QLatin1String("sleep 300");
    QVERIFY(sawSleep);
    run.runner.stop();
    QVERIFY(run.waitFinished());
    QTRY_VERIFY(groupMembers(pgid).isEmpty());
    for (qint64 pid : members)
        QVERIFY(!processAlive(pid));
}

void TestJobRunner::timeoutStopsTheJob()
{
    JobSpec spec = child({QStringLiteral("hang")});
    spec.timeoutMs = 150;
    Run run(spec);
    QVERIFY(run.waitFinished());
    QCOMPARE(run.runner.result().outcome, Outcome::TimedOut);
    QCOMPARE(run.runner.result().signal, int(SIGTERM));
    QCOMPARE(describeOutcome(run.runner.result(), spec.timeoutMs),
             QStringLiteral("Timed out after 0.1 s"));
    QVERIFY(run.runner.result().failed());
}

void TestJobRunner::stopRightAfterStart()
{
    // stop() before the process reported started must still stop it.
    OutputLog log;
    JobRunner runner(child({QStringLiteral("hang")}), &log);
    QSignalSpy finished(&runner, &JobRunner::finished);
    runner.start();
    runner.stop();
    QVERIFY(finished.wait(10000));
    QCOMPARE(runner.result().outcome, Outcome::Signaled);
    QCOMPARE(runner.result().signal, int(SIGTERM));
}

void TestJobRunner::finishedIsEmittedOnce()
{
    Run run(child({QStringLiteral("sleep"), QStringLiteral("50")}));
    run.runner.stop();
    run.runner.stop();
    QVERIFY(run.waitFinished());
    run.runner.stop();
    QTest::qWait(0); // deliver anything queued
    QCOMPARE(run.finished.size(), 1);
}

void TestJobRunner::destroyingARunningRunnerKillsTheGroup()
{
    qint64 grandchild = 0;
    {
        Run run(child({QStringLiteral("grandchild"), QStringLiteral("ignoreterm")}));
        QTRY_VERIFY(!run.log.lastLine().isEmpty());
        grandchild = run.log.lastLine().toLongLong();
        QVERIFY(processAlive(grandchild));
    }
    QTRY_VERIFY(!processAlive(grandchild));
}

QTEST_GUILESS_MAIN(TestJobRunner)
#include "tst_jobrunner.moc"
