// OutputPane: one job's output, stderr in its own color, followed live,
// bounded however much the job prints, and only the current attempt's.
#include "app/engine/scheduler.h"
#include "app/output/outputlog.h"
#include "testsupport.h"
#include "ui/output/outputpane.h"

#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace procdeck;
using namespace testsupport;

class TestOutputPane : public QObject
{
    Q_OBJECT
private slots:
    void init() { failOnLeakedProcess(); }
    void stderrIsShownInTheStderrColor();
    void followsARunningJobLive();
    void noJobClearsThePane();
    void switchingJobsShowsOnlyTheNewJob();
    void outputPaneStaysBounded();
    void paneFillsBackAfterAFlood();
    void selectingABigJobShowsABoundedTail();
    void paneShowsOnlyTheRetriedAttempt();
    void finalAttemptShownAfterASilentMiddleAttempt();
};

static int paneChars(const OutputPane &pane)
{
    return pane.findChild<QPlainTextEdit *>()->document()->characterCount();
}

static QString header(const OutputPane &pane)
{
    return pane.findChild<QLabel *>(QStringLiteral("outputHeader"))->text();
}

// A shell loop that waits until `path` exists: the test says when to go on.
static QString waitFor(const QString &path)
{
    return QStringLiteral("while [ ! -e %1 ]; do sleep 0.01; done").arg(path);
}

static bool touch(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly);
}

void TestOutputPane::stderrIsShownInTheStderrColor()
{
    // stdout and stderr come through two pipes: the job writes the next
    // line only once the pane shows the last, so their order is known.
    QTemporaryDir dir;
    const QString a = dir.filePath(QStringLiteral("a"));
    const QString b = dir.filePath(QStringLiteral("b"));
    Scheduler s;
    OutputPane pane(&s);
    pane.show();
    s.submit(QStringLiteral("mixed"),
             {shell(QStringLiteral("echo out 1; %1; echo err 1 >&2; %2; echo out 2")
                        .arg(waitFor(a), waitFor(b)))});
    pane.setJob(0);
    QTRY_COMPARE(pane.text(), QStringLiteral("out 1\n"));
    QCOMPARE(pane.stderrText(), QString());
    QVERIFY(touch(a));
    QTRY_COMPARE(pane.text(), QStringLiteral("out 1\nerr 1\n"));
    QVERIFY(touch(b));
    QTRY_VERIFY(s.isIdle());
    QTRY_COMPARE(pane.text(), QStringLiteral("out 1\nerr 1\nout 2\n"));
    QCOMPARE(pane.stderrText(), QStringLiteral("err 1")); // line breaks carry no color
}

void TestOutputPane::followsARunningJobLive()
{
    QTemporaryDir dir;
    const QString go = dir.filePath(QStringLiteral("go"));
    Scheduler s;
    OutputPane pane(&s);
    pane.show();
    s.submit(QStringLiteral("live"),
             {shell(QStringLiteral("echo first; %1; echo second").arg(waitFor(go)))});
    pane.setJob(0);
    // Shown while the job still runs: it cannot end before the file exists.
    QTRY_COMPARE(pane.text(), QStringLiteral("first\n"));
    QCOMPARE(s.store().job(0).state, JobState::Running);
    QVERIFY(header(pane).startsWith(QStringLiteral("Job 1 ")));
    QVERIFY(touch(go));
    QTRY_VERIFY(s.isIdle());
    QTRY_COMPARE(pane.text(), QStringLiteral("first\nsecond\n"));
}

void TestOutputPane::noJobClearsThePane()
{
    Scheduler s;
    OutputPane pane(&s);
    pane.show();
    s.submit(QStringLiteral("echo"), {child({QStringLiteral("echo"), QStringLiteral("hello")})});
    pane.setJob(0);
    QTRY_VERIFY(s.isIdle());
    QTRY_COMPARE(pane.text(), QStringLiteral("hello\n"));
    pane.setJob(-1);
    QCOMPARE(pane.job(), -1);
    QCOMPARE(pane.text(), QString());
    QCOMPARE(pane.stderrText(), QString());
    QCOMPARE(header(pane), QStringLiteral("Output"));
}

void TestOutputPane::switchingJobsShowsOnlyTheNewJob()
{
    QTemporaryDir dir;
    const QString go = dir.filePath(QStringLiteral("go"));
    Scheduler s;
    OutputPane pane(&s);
    pane.show();
    // Job 1 still prints after the pane has moved on to job 2.
    s.submit(QStringLiteral("two"),
             {shell(QStringLiteral("echo one; %1; echo more-from-one").arg(waitFor(go))),
              shell(QStringLiteral("echo two"))});
    pane.setJob(0);
    QTRY_COMPARE(pane.text(), QStringLiteral("one\n"));
    pane.setJob(1);
    QCOMPARE(pane.job(), 1);
    QTRY_COMPARE(pane.text(), QStringLiteral("two\n"));
    QVERIFY(header(pane).startsWith(QStringLiteral("Job 2 ")));
    QVERIFY(touch(go));
    QTRY_VERIFY(s.isIdle());
    QCOMPARE(s.store().job(0).output->lastLine(), QStringLiteral("more-from-one"));
    QTRY_COMPARE(pane.text(), QStringLiteral("two\n"));
    // And back: all of job 1, none of job 2.
    pane.setJob(0);
    QTRY_COMPARE(pane.text(), QStringLiteral("one\nmore-from-one\n"));
}

void TestOutputPane::outputPaneStaysBounded()
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

void TestOutputPane::paneFillsBackAfterAFlood()
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

void TestOutputPane::selectingABigJobShowsABoundedTail()
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

void TestOutputPane::paneShowsOnlyTheRetriedAttempt()
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

void TestOutputPane::finalAttemptShownAfterASilentMiddleAttempt()
{
    // Attempt 1 prints a long line, waits until the pane shows it, and
    // fails; attempt 2 prints nothing and fails at once; attempt 3 prints
    // "third". The pane once told attempts apart by their OutputLog's
    // address alone: attempt 3's log could get attempt 1's (attempt 2's is
    // made while attempt 1's still exists), and when the pane had not
    // looked during attempt 2 it went on from attempt 1's offsets and
    // showed attempt 1's text instead of "third".
    QTemporaryDir dir;
    const QString counter = dir.filePath(QStringLiteral("n"));
    const QString go = dir.filePath(QStringLiteral("go"));
    Scheduler s;
    OutputPane pane(&s);
    pane.show();
    pane.setJob(0); // selected before the job even exists
    BatchOptions options;
    options.attempts = 3;
    s.submit(QStringLiteral("three tries"),
             {shell(QStringLiteral("n=$(cat %1 2>/dev/null || echo 0); n=$((n+1)); echo $n > %1; "
                                   "case $n in "
                                   "1) head -c 5000 /dev/zero | tr '\\0' x; echo; %2; exit 1;; "
                                   "2) exit 1;; "
                                   "*) echo third;; "
                                   "esac")
                        .arg(counter, waitFor(go)))},
             options);
    const QString longLine = QString(5000, QLatin1Char('x')) + QLatin1Char('\n');
    QTRY_COMPARE(pane.text(), longLine);
    QCOMPARE(s.store().job(0).attempts, 1);
    QVERIFY(touch(go));
    QTRY_VERIFY(s.isIdle());
    QCOMPARE(s.store().job(0).attempts, 3);
    QCOMPARE(s.store().job(0).result.exitCode, 0);
    QTRY_COMPARE(pane.text(), QStringLiteral("third\n"));
}

QTEST_MAIN(TestOutputPane)
#include "tst_outputpane.moc"
