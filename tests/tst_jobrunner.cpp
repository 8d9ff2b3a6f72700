// JobRunner: one job's run on a QProcess, every way out of it, and stopping
// its whole process group.
#include "app/core/rawtext.h"
#include "app/core/shellquote.h"
#include "app/output/outputlog.h"
#include "app/output/spillwriter.h"
#include "app/process/jobrunner.h"
#include "testsupport.h"

#include <QScopeGuard>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

#include <csignal>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

using namespace procdeck;
using namespace testsupport;

static QString shellJoinForTest(const QStringList &words)
{
    return shellJoin(words);
}

// While it lives, the spill writer writes nothing: a disk that stopped.
struct PausedDisk
{
    PausedDisk() { SpillWriter::instance().setPaused(true); }
    ~PausedDisk() { SpillWriter::instance().setPaused(false); }
};

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
    void argumentsAreExactBytes();
    void programNamedByBytes();
    void stdinIsNull();
    void workingDirectoryAndEnvironment();
    void niceness();
    void stopTerminatesWithSigterm();
    void ignoredSigtermIsKilledAfterGrace();
    void stopReachesGrandchildren();
    void stopSweepsGroupMembersThatIgnoreTerm();
    void seedShellSleepLeavesNothingBehind();
    void timeoutStopsTheJob();
    void stopRightAfterStart();
    void finishedIsEmittedOnce();
    void destroyingARunningRunnerKillsTheGroup();
    void stdinText();
    void stdinFile();
    void nativePipelineKnownMd5();
    void seedOpensslChainIsANativePipeline();
    void pipelineKeepsEveryStagesStatus();
    void pipelineWithMissingProgramFailsToStart();
    void stoppingAPipelineStopsEveryStage();
    void termSequenceOnTimeout();
    void programLookupFollowsPath();
    void floodIsKeptWholeAndCompressed();
    void backgroundHolderOfStdoutDoesNotHoldTheJob();
    void descriptorsAreReleased();
    void slowDiskPausesReadingAndLosesNothing_data();
    void slowDiskPausesReadingAndLosesNothing();
    void diskErrorWhilePausedDoesNotHoldTheJob();
    void terminalOnlyWhenAsked_data();
    void terminalOnlyWhenAsked();
    void terminalMergesStderrIntoStdout();
    void terminalJobIsASessionWithAControllingTerminal();
    void terminalStdinEndsAtOnceUnlessGiven();
    void terminalPipelineRunsWhole();
    void stoppingATerminalJobStopsItsBackgroundChildren();
    void stoppingATerminalJobReachesJobControlGroups();
    void terminalJobsReleaseDescriptorsAndAreReaped();
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
    // Wait for the shell to have started its sleep (a forked child is the
    // shell until it has exec'd sleep).
    const auto sleepRuns = [pgid] {
        const QList<qint64> members = groupMembers(pgid);
        return std::any_of(members.begin(), members.end(), [](qint64 pid) {
            return commandLine(pid) == QLatin1String("sleep 300");
        });
    };
    QTRY_VERIFY(sleepRuns());
    const QList<qint64> members = groupMembers(pgid);
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
    QCoreApplication::processEvents(); // deliver anything queued
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

void TestJobRunner::niceness()
{
    // The job's own niceness (field 19 of /proc/self/stat), set in the
    // child: every stage of a pipeline, and a job on a terminal too.
    const int base = ::getpriority(PRIO_PROCESS, 0);
    if (base > 5)
        QSKIP("the tests run at a niceness above 5: 5 cannot be set");
    JobSpec spec;
    spec.pipeline = {Stage{QStringLiteral("cut"), {"-d", " ", "-f19", "/proc/self/stat"}},
                     Stage{QStringLiteral("sh"), {"-c", "cat; cut -d' ' -f19 /proc/self/stat"}}};
    spec.setsNice = true;
    spec.nice = 5;
    Run run(spec);
    QVERIFY(run.waitFinished());
    QCOMPARE(run.out(), QStringLiteral("5\n5\n"));
    JobSpec pty;
    pty.program = QStringLiteral("cut");
    pty.arguments = {"-d", " ", "-f19", "/proc/self/stat"};
    pty.usePty = true;
    pty.setsNice = true;
    pty.nice = 6;
    Run onTerminal(pty);
    QVERIFY(onTerminal.waitFinished());
    QCOMPARE(onTerminal.out().trimmed(), QStringLiteral("6"));
    // Without it, the job keeps procdeck's.
    spec.setsNice = false;
    Run plain(spec);
    QVERIFY(plain.waitFinished());
    QCOMPARE(plain.out(), QStringLiteral("%1\n%1\n").arg(base));
    QCOMPARE(::getpriority(PRIO_PROCESS, 0), base); // procdeck's own is unchanged
}

void TestJobRunner::stdinText()
{
    JobSpec spec;
    spec.program = QStringLiteral("wc");
    spec.arguments = {QStringLiteral("-c")};
    spec.stdinData = QByteArray("twelve bytes");
    spec.hasStdinData = true;
    Run run(spec);
    QVERIFY(run.waitFinished());
    QCOMPARE(run.out().trimmed(), QStringLiteral("12"));
}

void TestJobRunner::stdinFile()
{
    QTemporaryDir dir;
    QFile f(dir.filePath(QStringLiteral("in.txt")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("b\na\nc\n");
    f.close();
    JobSpec spec;
    spec.program = QStringLiteral("sort");
    spec.stdinFile = f.fileName();
    Run run(spec);
    QVERIFY(run.waitFinished());
    QCOMPARE(run.out(), QStringLiteral("a\nb\nc\n"));
}

static JobSpec pipeline(const QList<QStringList> &stages)
{
    JobSpec spec;
    for (const QStringList &words : stages)
        spec.pipeline.append(Stage{words.first(), words.mid(1)});
    return spec;
}

void TestJobRunner::nativePipelineKnownMd5()
{
    // md5("hello\n") is b1946ac92492d2347c6235b4d2611184.
    JobSpec spec = pipeline({{"cat"}, {"md5sum"}});
    spec.stdinData = "hello\n";
    spec.hasStdinData = true;
    Run run(spec);
    QVERIFY(run.waitFinished());
    QCOMPARE(run.out(), QStringLiteral("b1946ac92492d2347c6235b4d2611184  -\n"));
    QCOMPARE(run.runner.result().stages.size(), 2);
}

void TestJobRunner::seedOpensslChainIsANativePipeline()
{
    if (QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty())
        QSKIP("openssl is not installed");
    // The seed: bytes into `openssl enc` into `md5sum`, all running at once.
    // Known input and -nosalt make the digest predictable; the same chain
    // through /bin/sh is the reference.
    const QByteArray input = QByteArray(4096, 'x') + QByteArray("seed");
    const QStringList enc{"openssl",       "enc",     "-aes-256-cbc", "-pass",
                          "pass:procdeck", "-pbkdf2", "-nosalt"};
    JobSpec native = pipeline({enc, {"md5sum"}});
    native.stdinData = input;
    native.hasStdinData = true;
    Run run(native);
    QVERIFY(run.waitFinished());
    JobSpec viaShell = shell(shellJoinForTest(enc) + QStringLiteral(" | md5sum"));
    viaShell.stdinData = input;
    viaShell.hasStdinData = true;
    Run reference(viaShell);
    QVERIFY(reference.waitFinished());
    QCOMPARE(run.out(), reference.out());
    QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{32}  -\n$")).match(run.out()).hasMatch());
    const JobResult &r = run.runner.result();
    QCOMPARE(r.stages.size(), 2);
    for (const StageResult &stage : r.stages) {
        QVERIFY(stage.pid > 0);
        QCOMPARE(stage.exitCode, 0);
        QCOMPARE(stage.signal, 0);
    }
    QVERIFY(r.stages[0].pid != r.stages[1].pid);

    // And with random bytes, as in the seed: three native stages.
    JobSpec random = pipeline({{"head", "-c", "100000", "/dev/urandom"}, enc, {"md5sum"}});
    Run seed(random);
    QVERIFY(seed.waitFinished());
    QCOMPARE(seed.runner.result().stages.size(), 3);
    QCOMPARE(seed.runner.result().exitCode, 0);
    QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{32}  -\n$")).match(seed.out()).hasMatch());
}

void TestJobRunner::pipelineKeepsEveryStagesStatus()
{
    // The job's status is the last stage's, like a shell; each stage's own
    // is kept. Both stages write to stderr, which is captured.
    JobSpec spec = pipeline({{childPath(), "exit", "3"}, {childPath(), "stderr", "from stage 2"}});
    Run run(spec);
    QVERIFY(run.waitFinished());
    const JobResult &r = run.runner.result();
    QCOMPARE(r.stages.size(), 2);
    QCOMPARE(r.stages[0].exitCode, 3);
    QCOMPARE(r.stages[1].exitCode, 0);
    QCOMPARE(r.outcome, Outcome::Exited);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(run.log.rawBytes(Stream::Stderr), QByteArray("from stage 2\n"));

    JobSpec crash =
        pipeline({{childPath(), "echo", "x"}, {childPath(), "crash", QString::number(SIGSEGV)}});
    Run crashed(crash);
    QVERIFY(crashed.waitFinished());
    QCOMPARE(crashed.runner.result().outcome, Outcome::Signaled);
    QCOMPARE(crashed.runner.result().signal, int(SIGSEGV));
}

void TestJobRunner::pipelineWithMissingProgramFailsToStart()
{
    JobSpec spec = pipeline({{childPath(), "hang"}, {"/nonexistent/stage-two"}});
    Run run(spec);
    QVERIFY(run.waitFinished());
    QCOMPARE(run.runner.result().outcome, Outcome::FailedToStart);
    QVERIFY2(run.runner.result().errorText.contains(QStringLiteral("stage 2")),
             qPrintable(run.runner.result().errorText));
    // The first stage did not stay behind.
    const qint64 first = run.runner.result().stages[0].pid;
    if (first > 0)
        QTRY_VERIFY(!processAlive(first));
}

void TestJobRunner::stoppingAPipelineStopsEveryStage()
{
    JobSpec spec = pipeline({{childPath(), "hang"}, {childPath(), "ignoreterm"}});
    Run run(spec, 300);
    QTRY_COMPARE(run.log.lastLine(), QStringLiteral("ready"));
    const QList<qint64> members = groupMembers(run.runner.pid());
    QCOMPARE(members.size(), 2); // both stages share the job's process group
    run.runner.stop();
    QVERIFY(run.waitFinished());
    QCOMPARE(run.runner.result().signal, int(SIGKILL)); // the last stage ignored TERM
    for (qint64 pid : members)
        QTRY_VERIFY(!processAlive(pid));
}

void TestJobRunner::termSequenceOnTimeout()
{
    // ignoreterm survives the TERMs; the sequence ends in KILL.
    JobSpec spec = child({QStringLiteral("ignoreterm")});
    spec.timeoutMs = 100;
    const Expected<QList<KillStep>> steps =
        parseTermSequence(QStringLiteral("TERM,50,INT,50,KILL"));
    QVERIFY_OK(steps);
    spec.termSequence = *steps;
    Run run(spec);
    QVERIFY(run.waitFinished());
    QCOMPARE(run.runner.result().outcome, Outcome::TimedOut);
    QCOMPARE(run.runner.result().signal, int(SIGINT)); // INT is not ignored
    QVERIFY(parseTermSequence(QStringLiteral("TERM,x")).error().contains(QStringLiteral("\"x\"")));
    QVERIFY(parseTermSequence(QStringLiteral("NOPE,10")).error().contains(QStringLiteral("NOPE")));
}

void TestJobRunner::programLookupFollowsPath()
{
    // Programs found through $PATH are remembered; one that disappears fails
    // to start, and works again once it is back.
    QTemporaryDir dir;
    const QString name = QStringLiteral("procdeck-lookup-test");
    const QString path = dir.filePath(name);
    auto install = [&](const QByteArray &text) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("#!/bin/sh\necho " + text + "\n");
        f.close();
        QVERIFY(f.setPermissions(QFileDevice::ReadOwner | QFileDevice::ExeOwner |
                                 QFileDevice::WriteOwner));
    };
    const QByteArray oldPath = qgetenv("PATH");
    qputenv("PATH", dir.path().toLocal8Bit() + ':' + oldPath);
    JobSpec spec;
    spec.program = name;
    install("first");
    {
        Run run(spec);
        QVERIFY(run.waitFinished());
        QCOMPARE(run.out(), QStringLiteral("first\n"));
    }
    QFile::remove(path);
    {
        Run run(spec);
        QVERIFY(run.waitFinished());
        QCOMPARE(run.runner.result().outcome, Outcome::FailedToStart);
    }
    install("back");
    {
        Run run(spec);
        QVERIFY(run.waitFinished());
        QCOMPARE(run.out(), QStringLiteral("back\n"));
    }
    qputenv("PATH", oldPath);
    // A job's own PATH is used, not the remembered lookup.
    QTemporaryDir other;
    QVERIFY(QFile::copy(path, other.filePath(name)));
    spec.environment = {QStringLiteral("PATH=") + other.path() + QStringLiteral(":/usr/bin:/bin")};
    Run own(spec);
    QVERIFY(own.waitFinished());
    QCOMPARE(own.out(), QStringLiteral("back\n"));
}

QTEST_GUILESS_MAIN(TestJobRunner)
#include "tst_jobrunner.moc"

void TestJobRunner::floodIsKeptWholeAndCompressed()
{
    // 20 MB through the job's stdout pipe: past the memory limit (into
    // compressed blocks on disk) and past the size where the pipe grows.
    constexpr qint64 kBytes = 20000000;
    Run run(child({QStringLiteral("flood"), QString::number(kBytes)}));
    QVERIFY(run.waitFinished(60000));
    QCOMPARE(run.runner.result().exitCode, 0);
    QCOMPARE(run.log.byteCount(Stream::Stdout), kBytes);
    QVERIFY(run.log.storageError().isEmpty());
    QVERIFY2(run.log.bytesOnDisk(Stream::Stdout) * 10 < kBytes,
             qPrintable(QString::number(run.log.bytesOnDisk(Stream::Stdout))));
    // The lines are 63 x's and a newline, 1024 of them per 64 KiB chunk.
    const QByteArray line = QByteArray(63, 'x') + '\n';
    QCOMPARE(run.log.rawBytes(Stream::Stdout, 0, 128), line + line);
    const qint64 lastWhole = kBytes - kBytes % (64 * 1024);
    QCOMPARE(run.log.rawBytes(Stream::Stdout, lastWhole - 64, 64), line);
    QCOMPARE(run.log.rawBytes(Stream::Stdout).count('\n'),
             (lastWhole / 64) + (kBytes - lastWhole) / 64);
}

void TestJobRunner::backgroundHolderOfStdoutDoesNotHoldTheJob()
{
    // The shell is done, but the sleep it left keeps the stdout pipe open:
    // the job ends with the shell, as with QProcess, not when the pipe does.
    Run run(shell(QStringLiteral("sleep 300 & echo done")));
    QVERIFY(run.waitFinished());
    QCOMPARE(run.out(), QStringLiteral("done\n"));
    QCOMPARE(run.runner.result().exitCode, 0);
    const qint64 pgid = run.runner.pid();
    QVERIFY(!groupMembers(pgid).isEmpty()); // the sleep lives on, as in a shell
    ::kill(-pid_t(pgid), SIGKILL);
    QTRY_VERIFY(groupMembers(pgid).isEmpty());
}

void TestJobRunner::descriptorsAreReleased()
{
    {
        // Qt's process-wide machinery for child processes is made at the
        // first start and stays: not a leak.
        Run warmUp(child({QStringLiteral("exit"), QStringLiteral("0")}));
        QVERIFY(warmUp.waitFinished());
    }
    SpillWriter::instance().waitUntilIdle(); // earlier tests' spill files, closing
    const int before = openDescriptors();
    for (const JobSpec &spec :
         {child({QStringLiteral("mixed")}),
          child({QStringLiteral("flood"), QStringLiteral("6000000")}),
          child({QStringLiteral("crash"), QString::number(SIGKILL)}), JobSpec{[] {
              JobSpec s;
              s.program = QStringLiteral("/nonexistent/program");
              return s;
          }()}}) {
        auto run = std::make_unique<Run>(spec);
        QVERIFY(run->waitFinished());
    }
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    SpillWriter::instance().waitUntilIdle(); // spill files close once written
    QCOMPARE(openDescriptors(), before);
}

void TestJobRunner::slowDiskPausesReadingAndLosesNothing_data()
{
    QTest::addColumn<int>("stream");
    QTest::newRow("stdout") << int(Stream::Stdout);
    QTest::newRow("stderr") << int(Stream::Stderr);
}

void TestJobRunner::slowDiskPausesReadingAndLosesNothing()
{
    QFETCH(int, stream);
    const Stream s = Stream(stream);
    // 24 MiB that do not compress, while the disk takes nothing: the job is
    // read until its backlog passes the limit, then waits on its full pipe;
    // once the disk moves again every byte arrives.
    QTemporaryDir dir;
    QFile random(dir.filePath(QStringLiteral("random")));
    QVERIFY(random.open(QIODevice::WriteOnly));
    const QByteArray bytes = randomBytes(24 << 20, 5);
    random.write(bytes);
    random.close();
    PausedDisk paused;
    // exec: the job's pid is cat's.
    Run run(shell(QStringLiteral("exec cat %1%2")
                      .arg(shellQuote(random.fileName()),
                           s == Stream::Stderr ? QStringLiteral(" >&2") : QString())));
    QTRY_VERIFY(run.log.spillBacklog(s) > (8 << 20));
    // cat waits on its full pipe: procdeck stopped reading.
    auto waitingOn = [&] {
        QFile wchan(QStringLiteral("/proc/%1/wchan").arg(run.runner.pid()));
        return wchan.open(QIODevice::ReadOnly) ? QString::fromLatin1(wchan.readAll()) : QString();
    };
    QTRY_VERIFY2(waitingOn().contains(QStringLiteral("pipe_write")), qPrintable(waitingOn()));
    const qint64 held = run.log.byteCount(s);
    QCoreApplication::processEvents();
    QCOMPARE(run.log.byteCount(s), held);
    QVERIFY2(held < (14 << 20), qPrintable(QString::number(held))); // memory + backlog limit
    QVERIFY(!run.runner.isFinished());
    SpillWriter::instance().setPaused(false);
    QVERIFY(run.waitFinished(60000));
    QCOMPARE(run.runner.result().exitCode, 0);
    QCOMPARE(run.log.byteCount(s), qint64(bytes.size()));
    QVERIFY(run.log.rawBytes(s) == bytes);
}

void TestJobRunner::diskErrorWhilePausedDoesNotHoldTheJob()
{
    // The disk stalls until the job is paused, then every write fails (a
    // file size limit of 0 stands in for a full disk): the job must still
    // run to its end, with the error reported, not wait forever.
    FileSizeLimit none(0); // both end with the test, however it ends
    PausedDisk paused;
    Run run(shell(QStringLiteral("head -c 24000000 /dev/urandom")));
    QTRY_VERIFY(run.log.spillBacklog(Stream::Stdout) > (8 << 20));
    SpillWriter::instance().setPaused(false);
    QVERIFY(run.waitFinished(30000));
    QCOMPARE(run.runner.result().exitCode, 0);
    QVERIFY2(run.log.storageError().startsWith(QStringLiteral("could not write output to disk")),
             qPrintable(run.log.storageError()));
    // What was taken in before the failure is still readable, exactly as much as it says.
    QVERIFY(run.log.byteCount(Stream::Stdout) >= (8 << 20));
    QCOMPARE(run.log.rawBytes(Stream::Stdout).size(), run.log.byteCount(Stream::Stdout));
}

static JobSpec onTerminal(JobSpec spec)
{
    spec.usePty = true;
    return spec;
}

void TestJobRunner::argumentsAreExactBytes()
{
    // Bytes that are no UTF-8 (a Latin-1 file name, a lone 0xFF) reach the
    // job as they are, however it runs; QProcess alone would pass '?'.
    const QString cafe = RawText::decode("caf\xe9.txt");
    const QString xff = RawText::decode("x\xff");
    const QByteArray expected = "caf\xe9.txt x\xff\n";

    Run direct(child({QStringLiteral("echo"), cafe, xff}));
    QVERIFY(direct.waitFinished());
    QCOMPARE(direct.log.rawBytes(Stream::Stdout), expected);

    Run viaShell(shell(QStringLiteral("echo %1 | cat").arg(shellJoin({cafe, xff}))));
    QVERIFY(viaShell.waitFinished());
    QCOMPARE(viaShell.log.rawBytes(Stream::Stdout), expected);

    Run piped(
        pipeline({{childPath(), QStringLiteral("echo"), cafe, xff}, {QStringLiteral("cat")}}));
    QVERIFY(piped.waitFinished());
    QCOMPARE(piped.log.rawBytes(Stream::Stdout), expected);

    Run onPty(onTerminal(child({QStringLiteral("echo"), cafe, xff})));
    QVERIFY(onPty.waitFinished());
    QCOMPARE(onPty.log.rawBytes(Stream::Stdout), expected);

    // With an environment of its own (execve's, not the inherited one).
    JobSpec withEnv = shell(
        QStringLiteral("printf '%s %s\\n' \"$PROCDECK_TEST_VALUE\" %1").arg(shellQuote(cafe)));
    withEnv.environment = {QStringLiteral("PROCDECK_TEST_VALUE=v")};
    Run env(withEnv);
    QVERIFY(env.waitFinished());
    QCOMPARE(env.log.rawBytes(Stream::Stdout), QByteArray("v caf\xe9.txt\n"));

    // Valid UTF-8 goes QProcess's own way, unchanged.
    Run plain(child({QStringLiteral("echo"), QStringLiteral("h\u00e9")}));
    QVERIFY(plain.waitFinished());
    QCOMPARE(plain.log.rawBytes(Stream::Stdout), QByteArray("h\xc3\xa9\n"));
}

void TestJobRunner::programNamedByBytes()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QByteArray link = QFile::encodeName(dir.path()) + "/child\xe9";
    const QByteArray junk = QFile::encodeName(dir.path()) + "/junk\xe9";
    // QTemporaryDir cannot remove files named by bytes that are no UTF-8.
    const auto removeNamed = qScopeGuard([&] {
        ::unlink(link.constData());
        ::unlink(junk.constData());
    });
    QVERIFY(::symlink(QFile::encodeName(childPath()).constData(), link.constData()) == 0);
    JobSpec spec = child({QStringLiteral("echo"), QStringLiteral("ran")});
    spec.program = RawText::decode(link);
    Run named(spec);
    QVERIFY(named.waitFinished());
    QCOMPARE(named.runner.result().outcome, Outcome::Exited);
    QCOMPARE(named.log.rawBytes(Stream::Stdout), QByteArray("ran\n"));

    // One that is not there fails to start, as any missing program does.
    spec.program = RawText::decode(QFile::encodeName(dir.path()) + "/missing\xe9");
    Run missing(spec);
    QVERIFY(missing.waitFinished());
    QCOMPARE(missing.runner.result().outcome, Outcome::FailedToStart);

    // One exec refuses (no binary): the fallback exec fails too, and the
    // job fails to start instead of running with other bytes.
    {
        QFile f(dir.filePath(QStringLiteral("junk")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("\x7f"
                "ELF not really");
    }
    QVERIFY(::rename(QFile::encodeName(dir.filePath(QStringLiteral("junk"))).constData(),
                     junk.constData()) == 0);
    QVERIFY(::chmod(junk.constData(), 0755) == 0);
    spec.program = RawText::decode(junk);
    Run refused(spec);
    QVERIFY(refused.waitFinished());
    QCOMPARE(refused.runner.result().outcome, Outcome::FailedToStart);
}

void TestJobRunner::terminalOnlyWhenAsked_data()
{
    QTest::addColumn<bool>("usePty");
    QTest::addColumn<QString>("expected");
    QTest::newRow("pipes") << false << "out:pipe err:pipe\n";
    QTest::newRow("terminal") << true << "out:tty err:tty\nterm:xterm-256color size:40 120\n";
}

void TestJobRunner::terminalOnlyWhenAsked()
{
    QFETCH(bool, usePty);
    QFETCH(QString, expected);
    JobSpec spec = shell(QStringLiteral(
        "o=pipe; [ -t 1 ] && o=tty; e=pipe; [ -t 2 ] && e=tty; echo \"out:$o err:$e\";"
        " if [ -t 1 ]; then echo \"term:$TERM size:$(stty size)\"; fi"));
    spec.usePty = usePty;
    // TERM is set for the job when procdeck has none.
    const QByteArray outerTerm = qgetenv("TERM");
    qunsetenv("TERM");
    Run run(spec);
    if (!outerTerm.isNull())
        qputenv("TERM", outerTerm);
    QVERIFY(run.waitFinished());
    QCOMPARE(run.out(), expected);
    QCOMPARE(run.runner.result().exitCode, 0);
    // A TERM the job's environment sets is kept.
    JobSpec own = onTerminal(shell(QStringLiteral("echo $TERM")));
    own.environment = {QStringLiteral("TERM=vt100")};
    Run ownRun(own);
    QVERIFY(ownRun.waitFinished());
    QCOMPARE(ownRun.out(), QStringLiteral("vt100\n"));
}

void TestJobRunner::terminalMergesStderrIntoStdout()
{
    Run run(onTerminal(child({QStringLiteral("mixed")})));
    QVERIFY(run.waitFinished());
    // One stream, in the order written; newlines unchanged.
    QCOMPARE(run.log.rawBytes(Stream::Stdout), QByteArray("out 1\nerr 1\nout 2\n"));
    QCOMPARE(run.log.byteCount(Stream::Stderr), 0);
    QCOMPARE(run.runner.result().exitCode, 0);
    // Colors pass through as bytes.
    Run colors(onTerminal(shell(QStringLiteral("printf '\\033[31mred\\033[0m\\n' >&2"))));
    QVERIFY(colors.waitFinished());
    QCOMPARE(colors.log.rawBytes(Stream::Stdout), QByteArray("\x1b[31mred\x1b[0m\n"));
}

void TestJobRunner::terminalJobIsASessionWithAControllingTerminal()
{
    QTemporaryDir dir;
    const QString go = dir.filePath(QStringLiteral("go"));
    Run run(onTerminal(
        shell(QStringLiteral("sleep 300 & echo $!; while [ ! -e %1 ]; do sleep 0.01; done; kill $!")
                  .arg(go))));
    QTRY_VERIFY(!run.log.lastLine().isEmpty());
    const qint64 leader = run.runner.pid();
    const qint64 background = run.log.lastLine().toLongLong();
    QVERIFY(background > 0);
    // stat: state ppid pgrp session tty_nr tpgid
    const QStringList stat = procStat(leader);
    QCOMPARE(stat.value(2).toLongLong(), leader); // its own group, as before
    QCOMPARE(stat.value(3).toLongLong(), leader); // and its own session
    QVERIFY(stat.value(4).toLongLong() != 0);     // with a controlling terminal
    QCOMPARE(stat.value(5).toLongLong(), leader); // whose foreground group it is
    QCOMPARE(run.runner.localProcessGroup(), leader);
    QCOMPARE(procStat(background).value(2).toLongLong(), leader); // children join it
    QFile goFile(go);
    QVERIFY(goFile.open(QIODevice::WriteOnly)); // the job may end now
    QVERIFY(run.waitFinished());
    QCOMPARE(run.runner.result().exitCode, 0);
}

void TestJobRunner::terminalStdinEndsAtOnceUnlessGiven()
{
    // Stdin is the terminal (cat would wait forever on one nobody types
    // into; it gets end of input at once, as from /dev/null) ...
    // every read: a read loop, a second reader and a pager all end.
    Run bare(onTerminal(shell(QStringLiteral("[ -t 0 ] && echo tty; cat; echo after; "
                                             "while read l; do echo \"$l\"; done; read a; "
                                             "read b; cat; echo \"pager=$PAGER\""))));
    QVERIFY(bare.waitFinished());
    QCOMPARE(bare.out(), QStringLiteral("tty\nafter\npager=cat\n"));
    // ... unless the job reads a text or a file: then that, as always.
    JobSpec text = onTerminal(shell(QStringLiteral("[ -t 0 ] || echo not-tty; cat")));
    text.stdinData = QByteArray("given text\n");
    text.hasStdinData = true;
    Run withText(text);
    QVERIFY(withText.waitFinished());
    QCOMPARE(withText.out(), QStringLiteral("not-tty\ngiven text\n"));
    QTemporaryDir dir;
    QFile f(dir.filePath(QStringLiteral("in.txt")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("from file\n");
    f.close();
    JobSpec file = onTerminal(shell(QStringLiteral("[ -t 0 ] || echo not-tty; cat")));
    file.stdinFile = f.fileName();
    Run withFile(file);
    QVERIFY(withFile.waitFinished());
    QCOMPARE(withFile.out(), QStringLiteral("not-tty\nfrom file\n"));
}

void TestJobRunner::terminalPipelineRunsWhole()
{
    // A native pipeline on a terminal runs under the shell (one session):
    // same output, the last stage's status.
    Run run(onTerminal(
        pipeline({{childPath(), QStringLiteral("echo"), QStringLiteral("it's a b")},
                  {QStringLiteral("tr"), QStringLiteral("a-z"), QStringLiteral("A-Z")}})));
    QVERIFY(run.waitFinished());
    QCOMPARE(run.out(), QStringLiteral("IT'S A B\n"));
    QCOMPARE(run.runner.result().outcome, Outcome::Exited);
    QCOMPARE(run.runner.result().exitCode, 0);
    Run failing(onTerminal(pipeline({{childPath(), QStringLiteral("echo"), QStringLiteral("x")},
                                     {childPath(), QStringLiteral("exit"), QStringLiteral("3")}})));
    QVERIFY(failing.waitFinished());
    QCOMPARE(failing.runner.result().exitCode, 3);
    // A mistyped stage fails to start, as on pipes, not as the shell's 127.
    Run missing(onTerminal(pipeline({{childPath(), QStringLiteral("echo"), QStringLiteral("x")},
                                     {QStringLiteral("procdeck-no-such-program")}})));
    QVERIFY(missing.waitFinished());
    QCOMPARE(missing.runner.result().outcome, Outcome::FailedToStart);
    QVERIFY2(missing.runner.result().errorText.contains(QLatin1String("command not found")),
             qPrintable(missing.runner.result().errorText));
}

void TestJobRunner::stoppingATerminalJobStopsItsBackgroundChildren()
{
    // The background child ignores SIGHUP, so the terminal's hangup when
    // the shell goes does not end it: only the signal to the job's group
    // can.
    Run run(onTerminal(shell(QStringLiteral("trap '' HUP; sleep 300 & echo $!; wait"))));
    QTRY_VERIFY(!run.log.lastLine().isEmpty());
    const qint64 grandchild = run.log.lastLine().toLongLong();
    QVERIFY(grandchild > 0);
    QVERIFY(processAlive(grandchild));
    QCOMPARE(procStat(grandchild).value(2).toLongLong(), run.runner.pid());
    run.runner.stop();
    QVERIFY(run.waitFinished());
    QVERIFY(run.runner.result().stoppedByUser);
    QTRY_VERIFY(!processAlive(grandchild));
    QTRY_VERIFY(groupMembers(run.runner.pid()).isEmpty());
}

void TestJobRunner::stoppingATerminalJobReachesJobControlGroups()
{
    // With job control on (set -m) the shell puts its background job into
    // a process group of its own, out of reach of a signal to the job's
    // group; it is still in the job's session.
    Run run(onTerminal(shell(QStringLiteral("set -m; trap '' HUP; sleep 300 & echo $!; wait"))));
    QTRY_VERIFY(!run.log.lastLine().isEmpty());
    const qint64 grandchild = run.log.lastLine().toLongLong();
    QVERIFY(grandchild > 0);
    QVERIFY(processAlive(grandchild));
    QVERIFY(procStat(grandchild).value(2).toLongLong() != run.runner.pid()); // its own group
    run.runner.stop();
    QVERIFY(run.waitFinished());
    QTRY_VERIFY(!processAlive(grandchild));
}

void TestJobRunner::terminalJobsReleaseDescriptorsAndAreReaped()
{
    {
        Run warmUp(onTerminal(child({QStringLiteral("exit"), QStringLiteral("0")})));
        QVERIFY(warmUp.waitFinished());
    }
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    SpillWriter::instance().waitUntilIdle();
    const int before = openDescriptors();
    QList<qint64> pids;
    for (int i = 0; i < 40; ++i) {
        JobSpec spec;
        switch (i % 4) {
        case 0:
            spec = child({QStringLiteral("mixed")});
            break;
        case 1:
            spec = child({QStringLiteral("crash"), QString::number(SIGKILL)});
            break;
        case 2:
            spec = shell(QStringLiteral("sleep 300 & echo bg"));
            break; // hung up at the end
        default:
            spec.program = QStringLiteral("/nonexistent/program");
            break;
        }
        auto run = std::make_unique<Run>(onTerminal(spec));
        QVERIFY(run->waitFinished());
        if (run->runner.pid() > 0)
            pids << run->runner.pid();
    }
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    SpillWriter::instance().waitUntilIdle();
    QCOMPARE(openDescriptors(), before);
    QCOMPARE(pids.size(), 30);
    for (qint64 pid : std::as_const(pids))
        QVERIFY2(procStat(pid).isEmpty(), qPrintable(QString::number(pid))); // reaped, not zombies
}
