// OutputPane: one job's output, stderr in its own color, followed live,
// bounded however much the job prints, and only the current attempt's;
// ANSI colors shown as colors; the find bar.
#include "app/core/shellquote.h"
#include "app/engine/scheduler.h"
#include "app/output/outputlog.h"
#include "testsupport.h"
#include "ui/output/findbar.h"
#include "ui/output/outputpane.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
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
    void ansiColorsAreShownAsColors();
    void stderrKeepsItsColorWhereNoneIsSet();
    void colorSplitAcrossReadsStillApplies();
    void terminalJobsSaySoInThePane();
    void findHighlightsEveryMatchAndMoves();
    void findWithMatchCaseAndNoMatch();
    void findKeys();
    void findFollowsLiveOutput();
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

static QPlainTextEdit *textEdit(const OutputPane &pane)
{
    return pane.findChild<QPlainTextEdit *>(QStringLiteral("outputText"));
}

// The format the pane gives the first character of `word`.
static QTextCharFormat formatOf(const OutputPane &pane, const QString &word)
{
    const qsizetype at = pane.text().indexOf(word);
    if (at < 0)
        return {};
    QTextCursor cursor(textEdit(pane)->document());
    cursor.setPosition(int(at) + 1); // the format of the character before
    return cursor.charFormat();
}

static QColor foregroundOf(const OutputPane &pane, const QString &word)
{
    const QTextCharFormat format = formatOf(pane, word);
    return format.hasProperty(QTextFormat::ForegroundBrush) ? format.foreground().color()
                                                            : QColor();
}

void TestOutputPane::ansiColorsAreShownAsColors()
{
    Scheduler s;
    OutputPane pane(&s);
    pane.show();
    s.submit(QStringLiteral("colors"),
             {shell(QStringLiteral(
                 "printf '\\033[1;32mgreen\\033[0m plain \\033[38;5;208morange\\033[K"
                 " \\033[38;2;1;2;3;4mrgb\\033[m \\033]0;a title\\007\\033[?25lend\\n'"))});
    pane.setJob(0);
    QTRY_VERIFY(s.isIdle());
    QTRY_COMPARE(pane.text(), QStringLiteral("green plain orange rgb end\n"));
    QCOMPARE(foregroundOf(pane, QStringLiteral("green")), QColor(0x4e9a06));
    QCOMPARE(formatOf(pane, QStringLiteral("green")).fontWeight(), int(QFont::Bold));
    QCOMPARE(foregroundOf(pane, QStringLiteral("plain")), QColor());
    QCOMPARE(formatOf(pane, QStringLiteral("plain")).fontWeight(), int(QFont::Normal));
    QCOMPARE(foregroundOf(pane, QStringLiteral("orange")), QColor(0xff8700));
    QCOMPARE(foregroundOf(pane, QStringLiteral("rgb")), QColor(1, 2, 3));
    QVERIFY(formatOf(pane, QStringLiteral("rgb")).fontUnderline());
    QCOMPARE(foregroundOf(pane, QStringLiteral("end")), QColor());
    // The log keeps the bytes as they came: exports write those.
    const QByteArray raw = s.store().job(0).output->rawBytes(Stream::Stdout);
    QVERIFY(raw.startsWith("\x1b[1;32mgreen\x1b[0m"));
    QVERIFY(raw.contains("\x1b]0;a title\x07\x1b[?25l"));
}

void TestOutputPane::stderrKeepsItsColorWhereNoneIsSet()
{
    Scheduler s;
    OutputPane pane(&s);
    pane.show();
    s.submit(QStringLiteral("err"),
             {shell(QStringLiteral("printf 'red \\033[34mblue\\033[39m back\\n' >&2"))});
    pane.setJob(0);
    QTRY_VERIFY(s.isIdle());
    QTRY_COMPARE(pane.text(), QStringLiteral("red blue back\n"));
    QCOMPARE(pane.stderrText(), QStringLiteral("red  back"));
    QCOMPARE(foregroundOf(pane, QStringLiteral("blue")), QColor(0x3465a4));
}

void TestOutputPane::colorSplitAcrossReadsStillApplies()
{
    // The escape comes in two reads: nothing of it may show, and its color
    // still applies to what follows.
    QTemporaryDir dir;
    const QString go = dir.filePath(QStringLiteral("go"));
    Scheduler s;
    OutputPane pane(&s);
    pane.show();
    s.submit(
        QStringLiteral("split"),
        {shell(QStringLiteral("printf 'a\\033[3'; %1; printf '5mmagenta\\n'").arg(waitFor(go)))});
    pane.setJob(0);
    // The header shows the count in the same refresh that adds the text.
    QTRY_VERIFY(header(pane).contains(QStringLiteral("stdout 4 bytes")));
    QCOMPARE(pane.text(), QStringLiteral("a"));
    QVERIFY(touch(go));
    QTRY_VERIFY(s.isIdle());
    QTRY_COMPARE(pane.text(), QStringLiteral("amagenta\n"));
    QCOMPARE(foregroundOf(pane, QStringLiteral("magenta")), QColor(0x75507b));
}

void TestOutputPane::terminalJobsSaySoInThePane()
{
    Scheduler s;
    OutputPane pane(&s);
    pane.show();
    JobSpec onTerminal = shell(QStringLiteral("echo out; echo err >&2"));
    onTerminal.usePty = true;
    s.submit(QStringLiteral("two"), {shell(QStringLiteral("echo plain")), onTerminal});
    QTRY_VERIFY(s.isIdle());
    auto *note = pane.findChild<QLabel *>(QStringLiteral("outputTerminalNote"));
    QVERIFY(note);
    pane.setJob(0);
    QVERIFY(!note->isVisibleTo(&pane));
    pane.setJob(1);
    QVERIFY(note->isVisibleTo(&pane));
    QVERIFY(note->text().contains(QStringLiteral("one stream")));
    QTRY_COMPARE(pane.text(), QStringLiteral("out\nerr\n"));
    QCOMPARE(pane.stderrText(), QString()); // all of it came as stdout
    pane.setJob(-1);
    QVERIFY(!note->isVisibleTo(&pane));
}

// A finished job that printed `text`, shown in the pane.
static void showFinished(Scheduler &s, OutputPane &pane, const QString &text)
{
    s.submit(QStringLiteral("text"), {shell(QStringLiteral("printf %1").arg(shellQuote(text)))});
    pane.setJob(0);
    QTRY_VERIFY(s.isIdle());
    QTRY_COMPARE(pane.text(), text);
}

// The position of the current match's highlight, checking that it is the
// one drawn differently from all the others.
static int currentHighlight(const OutputPane &pane)
{
    const QList<QTextEdit::ExtraSelection> all = textEdit(pane)->extraSelections();
    if (all.isEmpty())
        return -1;
    const QColor current = all.last().format.background().color();
    for (qsizetype i = 0; i + 1 < all.size(); ++i) {
        if (all.at(i).format.background().color() == current)
            return -2; // not told apart
    }
    return all.last().cursor.selectionStart();
}

void TestOutputPane::findHighlightsEveryMatchAndMoves()
{
    const QString text = QStringLiteral("alpha\nBeta\nalphabet\ngamma ALPHA\n");
    Scheduler s;
    OutputPane pane(&s);
    pane.show();
    showFinished(s, pane, text);
    FindBar *bar = pane.findBar();
    QVERIFY(bar->isHidden());
    pane.showFindBar();
    QVERIFY(bar->isVisible());
    bar->setQuery(QStringLiteral("alpha"));
    // Case-insensitive unless asked: alpha, alpha(bet), ALPHA.
    QCOMPARE(bar->matchCount(), 3);
    QCOMPARE(bar->statusText(), QStringLiteral("1 of 3"));
    QCOMPARE(textEdit(pane)->extraSelections().size(), 3);
    const int first = 0;
    const int second = int(text.indexOf(QStringLiteral("alphabet")));
    const int third = int(text.indexOf(QStringLiteral("ALPHA")));
    QCOMPARE(currentHighlight(pane), first);
    bar->findNext();
    QCOMPARE(bar->statusText(), QStringLiteral("2 of 3"));
    QCOMPARE(textEdit(pane)->textCursor().position(), second);
    QCOMPARE(currentHighlight(pane), second);
    bar->findNext();
    QCOMPARE(textEdit(pane)->textCursor().position(), third);
    QCOMPARE(bar->statusText(), QStringLiteral("3 of 3"));
    bar->findNext(); // wraps around
    QCOMPARE(textEdit(pane)->textCursor().position(), first);
    QCOMPARE(bar->currentMatch(), 0);
    bar->findPrevious(); // and back
    QCOMPARE(textEdit(pane)->textCursor().position(), third);
    QCOMPARE(currentHighlight(pane), third);
    QCOMPARE(textEdit(pane)->extraSelections().size(), 3);
    bar->dismiss();
    QVERIFY(bar->isHidden());
    QVERIFY(textEdit(pane)->extraSelections().isEmpty());
}

void TestOutputPane::findWithMatchCaseAndNoMatch()
{
    Scheduler s;
    OutputPane pane(&s);
    pane.show();
    showFinished(s, pane, QStringLiteral("alpha\nBeta\nalphabet\ngamma ALPHA\n"));
    FindBar *bar = pane.findBar();
    pane.showFindBar();
    bar->setCaseSensitive(true);
    bar->setQuery(QStringLiteral("alpha"));
    QCOMPARE(bar->matchCount(), 2);
    QCOMPARE(bar->statusText(), QStringLiteral("1 of 2"));
    bar->setQuery(QStringLiteral("zzz"));
    QCOMPARE(bar->matchCount(), 0);
    QCOMPARE(bar->currentMatch(), -1);
    QCOMPARE(bar->statusText(), QStringLiteral("No matches"));
    QVERIFY(textEdit(pane)->extraSelections().isEmpty());
    bar->findNext(); // nothing to go to: nothing happens
    QCOMPARE(bar->statusText(), QStringLiteral("No matches"));
    bar->setQuery(QString());
    QCOMPARE(bar->statusText(), QString());
}

void TestOutputPane::findKeys()
{
    const QString text = QStringLiteral("one x\ntwo x\nthree x\n");
    Scheduler s;
    OutputPane pane(&s);
    pane.show();
    QApplication::setActiveWindow(&pane);
    QVERIFY(QTest::qWaitForWindowActive(&pane));
    showFinished(s, pane, text);
    QCOMPARE(pane.findAction()->shortcut(), QKeySequence(QKeySequence::Find));
    QCOMPARE(pane.findAction()->shortcutContext(), Qt::WidgetWithChildrenShortcut);
    FindBar *bar = pane.findBar();
    auto *query = bar->findChild<QLineEdit *>(QStringLiteral("findQuery"));
    textEdit(pane)->setFocus();
    QTRY_VERIFY(textEdit(pane)->hasFocus());
    QTest::keyClick(textEdit(pane), Qt::Key_F, Qt::ControlModifier);
    QVERIFY(bar->isVisible());
    QTRY_VERIFY(query->hasFocus());
    QTest::keyClicks(query, QStringLiteral("X"));
    QCOMPARE(bar->statusText(), QStringLiteral("1 of 3"));
    QTest::keyClick(query, Qt::Key_Return);
    QCOMPARE(bar->statusText(), QStringLiteral("2 of 3"));
    QTest::keyClick(query, Qt::Key_Enter);
    QCOMPARE(bar->statusText(), QStringLiteral("3 of 3"));
    QTest::keyClick(query, Qt::Key_Return, Qt::ShiftModifier);
    QCOMPARE(bar->statusText(), QStringLiteral("2 of 3"));
    QTest::keyClick(query, Qt::Key_F3);
    QCOMPARE(bar->statusText(), QStringLiteral("3 of 3"));
    QTest::keyClick(query, Qt::Key_F3, Qt::ShiftModifier);
    QCOMPARE(bar->statusText(), QStringLiteral("2 of 3"));
    QCOMPARE(textEdit(pane)->textCursor().position(),
             int(text.indexOf(QStringLiteral("x\nthree"))));
    QTest::keyClick(query, Qt::Key_Escape);
    QVERIFY(bar->isHidden());
    QVERIFY(textEdit(pane)->extraSelections().isEmpty());
    // F3 from the text goes on with the last query.
    QTRY_VERIFY(textEdit(pane)->hasFocus());
    QTest::keyClick(textEdit(pane), Qt::Key_F3);
    QVERIFY(bar->isVisible());
    QCOMPARE(bar->query(), QStringLiteral("X"));
    QCOMPARE(bar->matchCount(), 3);
}

void TestOutputPane::findFollowsLiveOutput()
{
    QTemporaryDir dir;
    const QString go = dir.filePath(QStringLiteral("go"));
    Scheduler s;
    OutputPane pane(&s);
    pane.show();
    s.submit(QStringLiteral("live"),
             {shell(QStringLiteral("echo tick; %1; echo tick; echo tock").arg(waitFor(go)))});
    pane.setJob(0);
    QTRY_COMPARE(pane.text(), QStringLiteral("tick\n"));
    pane.showFindBar();
    pane.findBar()->setQuery(QStringLiteral("tick"));
    QCOMPARE(pane.findBar()->statusText(), QStringLiteral("1 of 1"));
    QVERIFY(touch(go));
    QTRY_VERIFY(s.isIdle());
    QTRY_COMPARE(pane.findBar()->statusText(), QStringLiteral("1 of 2"));
    QCOMPARE(textEdit(pane)->extraSelections().size(), 2);
}

QTEST_MAIN(TestOutputPane)
#include "tst_outputpane.moc"
