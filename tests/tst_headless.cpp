// procdeck run as a process: what the conformance suite cannot show. Output
// before a job ends, SIGTERM stopping every process group, messages.
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace testsupport;

class TestHeadless : public QObject
{
    Q_OBJECT
private slots:
    void init() { failOnLeakedProcess(); }
    void failedStartSaysWhy();
    void quietWhenStderrIsNotATerminal();
    void progressLineOnATerminal();
    void lineBufferPrintsBeforeTheJobEnds();
    void sigtermStopsEveryJobAndStillLogs();
    void stdinForJobs();
    void lineBufferWithRetriesPrintsEveryAttempt();
    void lineBufferPrintsTheFinalAttemptAfterASilentOne();
    void joblogWriteErrorIsReported();
    void filesKeepStderrAndReportWriteErrors();
    void resultsCsvHasCpuTimeAndPeakMemory();
    void runNeedsNoWidgets();
    void pipeFeedsEveryByteOnce();
    void stdinIsReadWhileJobsRun();
    void stdinWithABadTemplateRunsNothing();
    void closedStdoutStopsEverythingInOrder();
    void usageErrors_data();
    void usageErrors();

private:
    static void startRun(QProcess &p, const QStringList &args)
    {
        p.setStandardInputFile(QProcess::nullDevice());
        startRunFedByTest(p, args);
    }
    // Its stdin is a pipe the test writes.
    static void startRunFedByTest(QProcess &p, const QStringList &args)
    {
        p.setProgram(QStringLiteral(PROCDECK_BIN));
        p.setArguments(QStringList{QStringLiteral("run")} + args);
        p.start();
    }
    static bool finish(QProcess &p)
    {
        QSignalSpy done(&p, &QProcess::finished);
        return p.state() == QProcess::NotRunning || done.wait(30000);
    }
};

void TestHeadless::stdinIsReadWhileJobsRun()
{
    // A slow producer: its first line has run before its second is written.
    QProcess p;
    startRunFedByTest(p, {QStringLiteral("-k"), QStringLiteral("-j2"), QStringLiteral("echo"),
                          QStringLiteral("got")});
    QVERIFY(p.waitForStarted());
    p.write("first\n");
    QTRY_COMPARE(p.peek(64), QByteArray("got first\n"));
    QCOMPARE(p.state(), QProcess::Running); // stdin is still open
    p.write("second\nthird");               // the last line without its newline
    p.closeWriteChannel();
    QVERIFY(finish(p));
    QCOMPARE(p.exitCode(), 0);
    QCOMPARE(p.readAllStandardOutput(), QByteArray("got first\ngot second\ngot third\n"));
}

void TestHeadless::stdinWithABadTemplateRunsNothing()
{
    QTemporaryDir dir;
    const QString marker = dir.filePath(QStringLiteral("ran"));
    const QString joblog = dir.filePath(QStringLiteral("joblog"));
    QProcess p;
    startRunFedByTest(
        p, {QStringLiteral("--joblog"), joblog, QStringLiteral("touch %1; echo {3}").arg(marker)});
    QVERIFY(p.waitForStarted());
    p.write("a\nb\n");
    p.closeWriteChannel();
    QVERIFY(finish(p));
    QCOMPARE(p.exitCode(), 255);
    QVERIFY2(p.readAllStandardError().contains("{3}"), "the message names it");
    QVERIFY(!QFile::exists(marker));
    QVERIFY(!QFile::exists(joblog)); // said before anything was written
}

void TestHeadless::closedStdoutStopsEverythingInOrder()
{
    // stdout's reader leaves after 10 bytes while -k holds finished jobs
    // back: every job stops, nothing printed or released twice, 141.
    QProcess p;
    p.setStandardInputFile(QProcess::nullDevice());
    p.start(QStringLiteral("bash"),
            {QStringLiteral("-c"), QStringLiteral("'%1' run -k -j3 'head -c 1000000 /dev/zero; "
                                                  "echo {}' ::: 1 2 3 4 5 6 7 8 | head -c 10 "
                                                  ">/dev/null; echo ${PIPESTATUS[0]}")
                                       .arg(QStringLiteral(PROCDECK_BIN))});
    QVERIFY(finish(p));
    const QByteArray err = p.readAllStandardError();
    QCOMPARE(p.readAllStandardOutput(), QByteArray("141\n"));
    QVERIFY2(!err.contains("Sanitizer") && !err.contains("runtime error"), err.constData());
}

void TestHeadless::failedStartSaysWhy()
{
    QProcess p;
    startRun(p, {QStringLiteral("/nonexistent/prog"), QStringLiteral(":::"), QStringLiteral("a")});
    QVERIFY(finish(p));
    QCOMPARE(p.exitCode(), 1);
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QVERIFY2(err.contains(QStringLiteral("job 1 (/nonexistent/prog a) failed to start")),
             qPrintable(err));
    QVERIFY(err.contains(QStringLiteral("No such file")));
}

void TestHeadless::quietWhenStderrIsNotATerminal()
{
    QProcess p;
    startRun(p, {QStringLiteral("-j2"), QStringLiteral("echo"), QStringLiteral(":::"),
                 QStringLiteral("a"), QStringLiteral("b")});
    QVERIFY(finish(p));
    QCOMPARE(p.exitCode(), 0);
    QCOMPARE(p.readAllStandardError(), QByteArray()); // no progress line in a pipe
    const QByteArray out = p.readAllStandardOutput();
    QVERIFY(out == "a\nb\n" || out == "b\na\n");
}

void TestHeadless::progressLineOnATerminal()
{
    // script(1) runs procdeck on a pseudo-terminal, as a user's shell would.
    const QString script = QStandardPaths::findExecutable(QStringLiteral("script"));
    if (script.isEmpty())
        QSKIP("script(1) from util-linux is not installed");
    QProcess p;
    p.start(script, {QStringLiteral("-qec"),
                     QStringLiteral(PROCDECK_BIN) +
                         QStringLiteral(" run -j2 'sleep 0.6; echo job {}' ::: a b c"),
                     QStringLiteral("/dev/null")});
    QVERIFY(finish(p));
    QCOMPARE(p.exitCode(), 0);
    const QString screen = QString::fromUtf8(p.readAllStandardOutput());
    // Ticks every 200 ms while the 0.6 s jobs run: some say two are running.
    QVERIFY2(screen.contains(QStringLiteral("/3 done, 2 running, 0 failed, ETA")),
             qPrintable(screen));
    QVERIFY(screen.contains(QStringLiteral("procdeck: 3/3 done, 0 running, 0 failed in ")));
    // The progress line is cleared before a job's output is printed.
    for (const char *job : {"job a", "job b", "job c"})
        QVERIFY2(screen.contains(QStringLiteral("\r\033[K") + QLatin1String(job)), job);
}

void TestHeadless::lineBufferPrintsBeforeTheJobEnds()
{
    // The job prints "ready" and then hangs: with --line-buffer the line
    // arrives while it still runs; grouped output would wait for its end.
    QProcess p;
    startRun(p, {QStringLiteral("--line-buffer"), QStringLiteral("--tag"), childPath(),
                 QStringLiteral(":::"), QStringLiteral("ignoreterm")});
    QTRY_COMPARE(QString::fromUtf8(p.peek(64)), QStringLiteral("ignoreterm\tready\n"));
    QCOMPARE(p.state(), QProcess::Running);
    ::kill(pid_t(p.processId()), SIGTERM);
    QVERIFY(finish(p));
    QCOMPARE(p.exitCode(), 128 + SIGTERM);
}

void TestHeadless::sigtermStopsEveryJobAndStillLogs()
{
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("joblog"));
    QProcess p;
    startRun(p, {QStringLiteral("-j2"), QStringLiteral("--joblog"), log,
                 QStringLiteral("sh -c 'echo $$; sleep 300 & wait'"), QStringLiteral(":::"),
                 QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3")});
    // Wait until both running jobs have started their sleeps.
    QList<qint64> shells;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            shells.clear();
            QFile f(QStringLiteral("/proc/%1/task/%1/children").arg(p.processId()));
            if (!f.open(QIODevice::ReadOnly))
                return false;
            for (const QByteArray &pid : f.readAll().split(' ')) {
                if (!pid.trimmed().isEmpty())
                    shells << pid.trimmed().toLongLong();
            }
            if (shells.size() != 2)
                return false;
            for (qint64 shell : shells) {
                if (groupMembers(shell).size() < 2)
                    return false;
            }
            return true;
        }(),
        10000);
    QList<qint64> everything;
    for (qint64 shell : shells)
        everything += groupMembers(shell);
    ::kill(pid_t(p.processId()), SIGTERM);
    QVERIFY(finish(p));
    QCOMPARE(p.exitCode(), 128 + SIGTERM);
    for (qint64 pid : everything)
        QTRY_VERIFY(!processAlive(pid));
    // The two killed jobs are in the joblog (Exitval -1, Signal 15), and so
    // is the third, which never started (Exitval -1, Starttime 0).
    QFile f(log);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 4);
    int killed = 0;
    for (int i = 1; i < 4; ++i) {
        const QList<QByteArray> fields = lines[i].split('\t');
        QCOMPARE(fields.value(6), QByteArray("-1"));
        if (fields.value(0) == "3") {
            QCOMPARE(fields.value(2), QByteArray("0.000"));
            QCOMPARE(fields.value(7), QByteArray("0"));
        } else {
            QCOMPARE(fields.value(7), QByteArray("15"));
            ++killed;
        }
    }
    QCOMPARE(killed, 2);
}

void TestHeadless::stdinForJobs()
{
    QProcess text;
    startRun(text, {QStringLiteral("--stdin-text"), QStringLiteral("hello\n"), QStringLiteral("-k"),
                    QStringLiteral("md5sum"), QStringLiteral(":::"), QStringLiteral("-"),
                    QStringLiteral("-")});
    QVERIFY(finish(text));
    QCOMPARE(
        text.readAllStandardOutput(),
        QByteArray("b1946ac92492d2347c6235b4d2611184  -\nb1946ac92492d2347c6235b4d2611184  -\n"));
    QTemporaryDir dir;
    QFile f(dir.filePath(QStringLiteral("in")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("from a file");
    f.close();
    QProcess file;
    startRun(file, {QStringLiteral("--stdin-file"), f.fileName(), QStringLiteral("tr {} A-Z"),
                    QStringLiteral(":::"), QStringLiteral("a-z")});
    QVERIFY(finish(file));
    QCOMPARE(file.readAllStandardOutput(), QByteArray("FROM A FILE"));
    // Without either, a job reading stdin gets end-of-file at once.
    QProcess none;
    startRun(none, {QStringLiteral("wc -c"), QStringLiteral(":::"), QStringLiteral("-")});
    QVERIFY(finish(none));
    QCOMPARE(none.readAllStandardOutput(), QByteArray("0 -\n")); // wc -c -
}

void TestHeadless::lineBufferWithRetriesPrintsEveryAttempt()
{
    // The first attempt prints and fails, the second prints and succeeds:
    // with --line-buffer both attempts' lines come out, as with parallel.
    QTemporaryDir dir;
    QProcess p;
    startRun(p, {QStringLiteral("--line-buffer"), QStringLiteral("--retries"), QStringLiteral("2"),
                 QStringLiteral("if [ -e %1/{} ]; then echo second; else touch %1/{}; echo "
                                "first-attempt-long; exit 1; fi")
                     .arg(dir.path()),
                 QStringLiteral(":::"), QStringLiteral("x")});
    QVERIFY(finish(p));
    QCOMPARE(p.exitCode(), 0);
    QCOMPARE(p.readAllStandardOutput(), QByteArray("first-attempt-long\nsecond\n"));
}

void TestHeadless::lineBufferPrintsTheFinalAttemptAfterASilentOne()
{
    // Three tries: the first prints a long line, the second nothing, the
    // third a short line. Each attempt's log is new, and the third's could
    // get the first's address: the printer must still print the third
    // from its start (it once compared log addresses, not attempts).
    QTemporaryDir dir;
    QProcess p;
    startRun(p, {QStringLiteral("--line-buffer"), QStringLiteral("--retries"), QStringLiteral("3"),
                 QStringLiteral(": {}; n=$(cat %1/n 2>/dev/null || echo 0); echo $((n+1)) > %1/n; "
                                "case $n in 0) echo first-attempt-long-line; exit 1;; "
                                "1) exit 1;; *) echo third;; esac")
                     .arg(dir.path()),
                 QStringLiteral(":::"), QStringLiteral("x")});
    QVERIFY(finish(p));
    QCOMPARE(p.exitCode(), 0);
    QCOMPARE(p.readAllStandardOutput(), QByteArray("first-attempt-long-line\nthird\n"));
}

void TestHeadless::resultsCsvHasCpuTimeAndPeakMemory()
{
    // A CSV result file samples memory (about once a second): a job that
    // holds 24 MiB for 2.5 s has its peak in the row, after parallel's
    // columns; a short one has its CPU time and no peak.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("out.csv"));
    QProcess p;
    p.setStandardInputFile(QProcess::nullDevice());
    p.start(QStringLiteral(PROCDECK_BIN),
            {QStringLiteral("run"), QStringLiteral("--results"), path, childPath(),
             QStringLiteral("memory"), QStringLiteral("24"), QStringLiteral(":::"),
             QStringLiteral("2500")});
    QVERIFY(finish(p));
    QCOMPARE(p.exitCode(), 0);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray csv = f.readAll();
    QVERIFY(csv.startsWith("Seq,"));
    QVERIFY(csv.left(csv.indexOf('\n')).trimmed().endsWith(",Stdout,Stderr,CPUTime,PeakRSS"));
    // The row's stdout ("ready\n") is quoted over two lines; the last two
    // fields end the file.
    const QList<QByteArray> row = csv.trimmed().split(',');
    QVERIFY2(row.last().toLongLong() >= 24 << 20, csv.constData());
    bool ok = false;
    QVERIFY(row.at(row.size() - 2).toDouble(&ok) >= 0);
    QVERIFY(ok);
}

void TestHeadless::joblogWriteErrorIsReported()
{
    // The joblog's file may not grow past its header: the first job's line
    // fails. procdeck says so once, runs every job, and exits 255.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("joblog"));
    QProcess p;
    // prlimit(1) caps the file size procdeck may write (the header is 70
    // bytes); a job line past it fails with EFBIG (SIGXFSZ is ignored).
    const QString prlimit = QStandardPaths::findExecutable(QStringLiteral("prlimit"));
    if (prlimit.isEmpty())
        QSKIP("prlimit(1) from util-linux is not installed");
    p.setProgram(QStringLiteral("/bin/sh"));
    p.setArguments({QStringLiteral("-c"),
                    QStringLiteral("trap '' XFSZ; exec %1 --fsize=100 %2 run --joblog %3 "
                                   "-j1 echo ::: a b c")
                        .arg(prlimit, QStringLiteral(PROCDECK_BIN), path)});
    p.setStandardInputFile(QProcess::nullDevice());
    p.start();
    QVERIFY(finish(p));
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QCOMPARE(p.exitCode(), 255);
    QCOMPARE(err.count(QStringLiteral("cannot write the joblog")), 1);
    QVERIFY2(err.contains(path), qPrintable(err));
    QCOMPARE(p.readAllStandardOutput(), QByteArray("a\nb\nc\n")); // every job ran
}

void TestHeadless::filesKeepStderrAndReportWriteErrors()
{
    // --files: stdout goes into the file, stderr is printed as it is
    // (parallel drops it).
    QTemporaryDir dir;
    QProcess p;
    startRun(p,
             {QStringLiteral("--no-history"), QStringLiteral("--files"), QStringLiteral("--tmpdir"),
              dir.path(), QStringLiteral("echo out {}; echo err {} >&2"), QStringLiteral(":::"),
              QStringLiteral("a")});
    QVERIFY(finish(p));
    QCOMPARE(p.exitCode(), 0);
    const QString name = QString::fromUtf8(p.readAllStandardOutput()).trimmed();
    QVERIFY2(QRegularExpression(
                 QStringLiteral("^%1/par\\w{6}\\.par$").arg(QRegularExpression::escape(dir.path())))
                 .match(name)
                 .hasMatch(),
             qPrintable(name));
    QFile file(name);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("out a\n"));
    QCOMPARE(file.permissions() & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
    QCOMPARE(p.readAllStandardError(), QByteArray("err a\n"));

    // A file that cannot be written (past a file size limit): said, no
    // part of it left, the other jobs written, and the run ends with 255.
    const QString prlimit = QStandardPaths::findExecutable(QStringLiteral("prlimit"));
    if (prlimit.isEmpty())
        QSKIP("prlimit(1) from util-linux is not installed");
    QTemporaryDir limited;
    QProcess q;
    q.setProgram(QStringLiteral("/bin/sh"));
    q.setArguments({QStringLiteral("-c"),
                    QStringLiteral("trap '' XFSZ; exec %1 --fsize=100 %2 run --no-history -k -j1 "
                                   "--files --tmpdir %3 seq 1 ::: 100 3")
                        .arg(prlimit, QStringLiteral(PROCDECK_BIN), limited.path())});
    q.setStandardInputFile(QProcess::nullDevice());
    q.start();
    QVERIFY(finish(q));
    QCOMPARE(q.exitCode(), 255);
    const QString err = QString::fromUtf8(q.readAllStandardError());
    QVERIFY2(err.contains(QStringLiteral("--files: cannot write job 1's output")), qPrintable(err));
    const QStringList printed =
        QString::fromUtf8(q.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(printed.size(), 1); // job 2's file
    QCOMPARE(QDir(limited.path()).entryList(QDir::Files).size(), 1);
    QFile second(printed.value(0));
    QVERIFY(second.open(QIODevice::ReadOnly));
    QCOMPARE(second.readAll(), QByteArray("1\n2\n3\n"));
}

void TestHeadless::runNeedsNoWidgets()
{
    // `procdeck run` is Qt Core only: Qt Widgets (or Gui) is never loaded.
    QProcess p;
    startRun(p, {QStringLiteral("--line-buffer"), childPath(), QStringLiteral(":::"),
                 QStringLiteral("ignoreterm")});
    // The job said "ready": procdeck is up and running a batch.
    QTRY_VERIFY(p.peek(64).contains("ready"));
    QFile maps(QStringLiteral("/proc/%1/maps").arg(p.processId()));
    QVERIFY(maps.open(QIODevice::ReadOnly));
    const QByteArray mapped = maps.readAll();
    QVERIFY(mapped.contains("libQt6Core"));
    QVERIFY(!mapped.contains("libQt6Widgets"));
    QVERIFY(!mapped.contains("libQt6Gui"));
    ::kill(pid_t(p.processId()), SIGTERM);
    QVERIFY(finish(p));
}

void TestHeadless::pipeFeedsEveryByteOnce()
{
    // --pipe with bytes of every value, NULs and all: each block reaches
    // its job's stdin whole, in order, and no byte twice.
    QByteArray input;
    QRandomGenerator random(7);
    while (input.size() < 3 * 1024 * 1024)
        input += char(random.bounded(256));
    QProcess p;
    p.setProgram(QStringLiteral(PROCDECK_BIN));
    p.setArguments({QStringLiteral("run"), QStringLiteral("-k"), QStringLiteral("-j3"),
                    QStringLiteral("--pipe"), QStringLiteral("--block"), QStringLiteral("100k"),
                    QStringLiteral("cat")});
    p.start();
    QVERIFY(p.waitForStarted());
    p.write(input);
    p.closeWriteChannel();
    QVERIFY(finish(p));
    QCOMPARE(p.exitCode(), 0);
    const QByteArray out = p.readAllStandardOutput();
    QCOMPARE(out.size(), input.size());
    QVERIFY(out == input);
}

void TestHeadless::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown option")
        << QStringList{"--frobnicate", "echo"} << "unknown option --frobnicate";
    QTest::newRow("bad -j") << QStringList{"-j", "many", "echo", ":::", "a"}
                            << "-j: \"many\" is not a number";
    QTest::newRow("missing value") << QStringList{"--timeout"} << "option --timeout needs a value";
    QTest::newRow("bad timeout") << QStringList{"--timeout", "soon", "true", ":::", "a"}
                                 << "--timeout: \"soon\"";
    QTest::newRow("bad halt") << QStringList{"--halt", "later", "true", ":::", "a"}
                              << "--halt: \"later\"";
    QTest::newRow("bad termseq") << QStringList{"--termseq", "FOO", "true", ":::", "a"}
                                 << "\"FOO\" is not a signal";
    QTest::newRow("missing file") << QStringList{"echo", "::::", "/nonexistent/args"}
                                  << "cannot open input file /nonexistent/args";
    QTest::newRow("linked first") << QStringList{"echo", ":::+", "a"}
                                  << ":::+ needs an input source before it";
    QTest::newRow("unwritable joblog")
        << QStringList{"--joblog", "/proc/nope/log", "true", ":::", "a"}
        << "cannot write the joblog /proc/nope/log";
    QTest::newRow("unbalanced") << QStringList{"echo 'a", ":::", "x"}
                                << "unbalanced quote ' at column 6";
    QTest::newRow("bad -n") << QStringList{"-n", "two", "echo", ":::", "a"}
                            << "-n: \"two\" is not a whole number of values";
    QTest::newRow("bad -s") << QStringList{"-m", "-s", "0", "echo", ":::", "a"}
                            << "-s: a command line needs at least 1 byte";
    QTest::newRow("bad colsep") << QStringList{"--colsep", "(", "echo", ":::", "a"}
                                << "--colsep: \"(\" is not a regular expression";
    QTest::newRow("-q -X") << QStringList{"-q", "-X", "echo", ":::", "a"}
                           << "-q cannot be combined with -X";
    QTest::newRow("bad nice") << QStringList{"--nice", "low", "echo", ":::", "a"}
                              << "--nice: \"low\" is not a whole number";
    QTest::newRow("missing tmpdir") << QStringList{"--tmpdir", "/nonexistent/t", "echo", ":::", "a"}
                                    << "--tmpdir: /nonexistent/t is not a folder";
    QTest::newRow("env _") << QStringList{"--env", "_", "echo", ":::", "a"} << "--env _ needs";
    QTest::newRow("resume without joblog")
        << QStringList{"--resume", "echo", ":::", "a"} << "--resume needs --joblog FILE";
    QTest::newRow("retry-failed without joblog")
        << QStringList{"--retry-failed", "echo", ":::", "a"} << "--retry-failed needs --joblog";
    QTest::newRow("files -u") << QStringList{"--files", "-u", "echo", ":::", "a"}
                              << "--files cannot be combined with -u";
    QTest::newRow("block word") << QStringList{"--pipe", "--block", "big", "cat"}
                                << "--block: \"big\" is not a size of 1 byte or more";
    QTest::newRow("block too small")
        << QStringList{"--pipe", "--blocksize=0.5", "cat"} << "--blocksize: \"0.5\" is not a size";
    QTest::newRow("pipe without command") << QStringList{"--pipe"} << "--pipe needs a command";
    QTest::newRow("pipe with sources")
        << QStringList{"--pipe", "cat", ":::", "a"} << "--pipe reads its input from stdin";
    QTest::newRow("pipe with -a") << QStringList{"--pipe", "-a", "/dev/null", "cat"}
                                  << "--pipe reads its input from stdin";
    QTest::newRow("pipe stdin-text") << QStringList{"--pipe", "--stdin-text", "x", "cat"}
                                     << "cannot be combined with --stdin-text";
    QTest::newRow("pipe -X") << QStringList{"--pipe", "-X", "cat"}
                             << "--pipe cannot be combined with -X";
    QTest::newRow("pipe header") << QStringList{"--pipe", "--header", ":", "cat"}
                                 << "--pipe cannot be combined with --header";
    QTest::newRow("regexp -N") << QStringList{"--pipe", "--regexp", "-N2", "cat"}
                               << "--regexp cannot be combined with -N";
    QTest::newRow("bad regexp") << QStringList{"--pipe", "--regexp", "--recend", "(", "cat"}
                                << "--regexp: \"(\" is not a regular expression";
    QTest::newRow("bad load") << QStringList{"--load", "busy", "echo", ":::", "a"}
                              << "--load: \"busy\" is not a load";
    QTest::newRow("bad load percent")
        << QStringList{"--load", "1.5%", "echo", ":::", "a"} << "--load: \"1.5%\"";
    QTest::newRow("bad memfree") << QStringList{"--memfree", "-1G", "echo", ":::", "a"}
                                 << "--memfree: \"-1G\" is not a size";
}

void TestHeadless::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    QProcess p;
    startRun(p, args);
    QVERIFY(finish(p));
    QCOMPARE(p.exitCode(), 255);
    QCOMPARE(p.readAllStandardOutput(), QByteArray()); // nothing ran
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QVERIFY2(err.contains(message), qPrintable(err));
}

QTEST_GUILESS_MAIN(TestHeadless)
#include "tst_headless.moc"
