// The real main window, offscreen: launch a batch from the panel, watch the
// rows, read a job's output, stop jobs, quit with jobs running, filter the
// table, follow the progress, get told when a batch ends, come back to the
// last layout and batch; and screenshots for the README (after a 10-job
// batch, and on a first start).
#include "app/core/rawtext.h"
#include "app/engine/scheduler.h"
#include "app/history/historybrowser.h"
#include "app/history/historydatabase.h"
#include "app/history/historyrecorder.h"
#include "app/history/historywriter.h"
#include "app/history/storedjobs.h"
#include "app/models/historylistmodel.h"
#include "app/models/jobfilterproxy.h"
#include "app/models/jobtablemodel.h"
#include "simulatedlauncher.h"
#include "testsupport.h"
#include "ui/export/exportdialog.h"
#include "ui/history/historyview.h"
#include "ui/launch/launchpanel.h"
#include "ui/output/findbar.h"
#include "ui/output/outputpane.h"
#include "ui/timeline/timelineview.h"
#include "ui/window/emptystatehint.h"
#include "ui/window/jobfilterbar.h"
#include "ui/window/mainwindow.h"
#include "ui/window/notifier.h"
#include "ui/window/summarybar.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <QToolButton>
#include <QWidgetAction>

using namespace procdeck;
using namespace testsupport;

namespace {

// Keeps what the window would have shown on the desktop.
struct FakeNotifier : Notifier
{
    void notify(const QString &title, const QString &body) override
    {
        messages << title + QStringLiteral(": ") + body;
    }
    QStringList messages;
};

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        // Settings (the export dialog's and the window's memory) go to a
        // folder of the test's, never the user's.
        QVERIFY(m_settingsDir.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        QCoreApplication::setOrganizationName(QStringLiteral("procdeck-tests"));
        QVERIFY(QSettings().fileName().startsWith(m_settingsDir.path()));
    }
    // Each test starts as on a first start: no window remembers the last.
    void init()
    {
        failOnLeakedProcess();
        QSettings().clear();
    }
    void launchRunSelectAndReadOutput();
    void stderrIsShownDistinct();
    void outputFollowsARunningJob();
    void badInputShowsMessageAndRunsNothing();
    void deleteKeyStopsSelectedJob();
    void parallelJobsTakesEffectWhileRunning();
    void batchFilterShowsOneBatch();
    void closingStopsEveryJob();
    void openingABatchFileRunsNothing();
    void argumentsThatAreNoUtf8();
    void templatePreviewAndRange();
    void exportFromTheWindow();
    void timeoutRetriesAndStdinFromThePanel();
    void bigArgumentFileIsReadAsTheBatchRuns();
    void filterByTextAndStatus();
    void filterShortcutsFocusTheBox();
    void progressInStatusBarAndTitle();
    void notifiesWhenInactiveOnly();
    void emptyStateHintUntilFirstJob();
    void toolbarActionsHaveIconsAndShortcutTips();
    void remembersLayoutAndLaunchPanel();
    void screenshotAfterTenJobBatch();
    void screenshotOfFirstStart();
    void terminalCheckboxRunsJobsOnATerminal();
    void timelineTabSelectsTheClickedJob();
    void findInOutputFromAnywhere();
    void columnsHideAndAreRemembered();
    void historyListsOpensAndRerunsFailed();
    void historyExportsAPastBatch();
    void pastBatchGivesWayToLiveJobs();
    void pastBatchKeepsFewOutputsLoaded();
    void historyClearAsksFirst();
    void corruptHistoryNamesTheProblemAndJobsStillRun();
    void screenshotOfHistory();

private:
    QTemporaryDir m_settingsDir;
    static void saveScreenshot(MainWindow &w, const QString &name)
    {
        const QString dir = qEnvironmentVariable("PROCDECK_SCREENSHOT_DIR", QDir::tempPath());
        QDir().mkpath(dir);
        const QString path = dir + QLatin1Char('/') + name;
        const QImage image = w.grab().toImage();
        QVERIFY(!image.isNull());
        QVERIFY(image.save(path));
        qInfo("screenshot: %s", qPrintable(path));
        // The picture is not blank: widgets drew in several colors.
        QSet<QRgb> colors;
        for (int y = 0; y < image.height(); y += 7)
            for (int x = 0; x < image.width(); x += 7)
                colors.insert(image.pixel(x, y));
        QVERIFY(colors.size() > 20);
    }
    static void fill(MainWindow &w, const QString &command, const QString &arguments, int runs = 1)
    {
        auto *commandEdit = w.findChild<QLineEdit *>(QStringLiteral("commandEdit"));
        commandEdit->clear();
        QTest::keyClicks(commandEdit, command);
        auto *args = w.findChild<QPlainTextEdit *>(QStringLiteral("argumentsEdit"));
        args->setPlainText(arguments);
        w.findChild<QSpinBox *>(QStringLiteral("timesSpin"))->setValue(runs);
    }
    // A window recording into a history database of the test's.
    struct RecordingWindow
    {
        explicit RecordingWindow(const QString &path)
            : writer(path, QStringLiteral("window"))
            , recorder(&scheduler, &writer, QStringLiteral("window"))
            , window(&scheduler)
        {
            window.setHistory(path, &writer);
        }
        Scheduler scheduler;
        HistoryWriter writer;
        HistoryRecorder recorder;
        MainWindow window;
    };
    // Runs "exit 0 / 1 / 2" jobs that print first, and waits until history
    // lists the batch as finished.
    static void runThreeJobsIntoHistory(RecordingWindow &r)
    {
        MainWindow &w = r.window;
        fill(w, QStringLiteral("sh -c 'echo out-$0; exit $0' {}"), QStringLiteral("0\n1\n2\n"));
        QVERIFY(w.runBatch() > 0);
        QTRY_VERIFY(r.scheduler.isIdle());
        w.findChild<QAction *>(QStringLiteral("historyAction"))->trigger();
        QCOMPARE(w.jobViews()->currentWidget(), w.historyView());
        HistoryListModel *list = w.historyView()->model();
        QTRY_VERIFY_WITH_TIMEOUT(list->rowCount() == 1 && list->batch(0).isFinished(), 20000);
    }
    static void selectRow(MainWindow &w, int proxyRow)
    {
        w.jobTable()->setFocus();
        w.jobTable()->selectRow(proxyRow);
        w.jobTable()->setCurrentIndex(w.jobTable()->model()->index(proxyRow, 0));
    }
};

void TestMainWindow::launchRunSelectAndReadOutput()
{
    Scheduler s;
    MainWindow w(&s);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    fill(w, childPath() + QStringLiteral(" echo"), QStringLiteral("alpha\nbeta\ngamma\n"));
    QTRY_COMPARE(w.findChild<QLabel *>(QStringLiteral("jobCountLabel"))->text(),
                 QStringLiteral("3 jobs, one per argument"));
    QTest::keyClick(&w, Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(w.jobTable()->model()->rowCount(), 3);
    QTRY_VERIFY(s.isIdle());
    QTRY_COMPARE(w.jobTable()->model()->index(1, JobTableModel::Status).data().toString(),
                 QStringLiteral("Exit 0"));
    QCOMPARE(w.jobTable()->model()->index(1, JobTableModel::Output).data().toString(),
             QStringLiteral("beta"));
    selectRow(w, 1);
    QTRY_COMPARE(w.outputPane()->text(), QStringLiteral("beta\n"));
    QTRY_VERIFY(w.summary()->text().contains(QStringLiteral("Succeeded 3")));
    QVERIFY(w.summary()->text().contains(QStringLiteral("Finished in ")));
    QVERIFY(w.summary()->text().contains(QStringLiteral("seconds")));
}

void TestMainWindow::stderrIsShownDistinct()
{
    Scheduler s;
    MainWindow w(&s);
    w.show();
    fill(w, childPath() + QStringLiteral(" mixed"), QString());
    QVERIFY(w.runBatch() > 0);
    QTRY_VERIFY(s.isIdle());
    selectRow(w, 0);
    QTRY_COMPARE(w.outputPane()->text(), QStringLiteral("out 1\nerr 1\nout 2\n"));
    QCOMPARE(w.outputPane()->stderrText(), QStringLiteral("err 1")); // line breaks carry no color
}

void TestMainWindow::outputFollowsARunningJob()
{
    Scheduler s;
    s.setGracePeriod(200);
    MainWindow w(&s);
    w.show();
    fill(w, childPath() + QStringLiteral(" partial"), QString());
    QVERIFY(w.runBatch() > 0);
    selectRow(w, 0);
    // The pane shows text while the job still runs, and the rest as it comes.
    QTRY_VERIFY(w.outputPane()->text().startsWith(QStringLiteral("par")));
    QTRY_VERIFY(s.isIdle());
    QTRY_COMPARE(w.outputPane()->text(), QStringLiteral("partial\ncafé\ncrlf\nlone\nend"));
}

void TestMainWindow::badInputShowsMessageAndRunsNothing()
{
    Scheduler s;
    MainWindow w(&s);
    w.show();
    fill(w, QStringLiteral("echo 'oops"), QString());
    QCOMPARE(w.runBatch(), 0);
    QCOMPARE(s.store().jobCount(), 0);
    QVERIFY(
        w.launchPanel()->errorText().contains(QStringLiteral("Unbalanced quote ' at column 6")));
    fill(w, QStringLiteral(""), QString());
    w.findChild<QPushButton *>(QStringLiteral("runButton"))->click();
    QCOMPARE(s.store().jobCount(), 0);
    QVERIFY(w.launchPanel()->errorText().contains(QStringLiteral("The command is empty")));
}

void TestMainWindow::deleteKeyStopsSelectedJob()
{
    Scheduler s;
    MainWindow w(&s);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    fill(w, childPath() + QStringLiteral(" hang"), QString(), 2);
    QVERIFY(w.runBatch() > 0);
    QTRY_COMPARE(s.runningCount(), 2);
    QApplication::setActiveWindow(&w);
    selectRow(w, 0);
    QTRY_VERIFY(w.jobTable()->hasFocus());
    QTest::keyClick(w.jobTable(), Qt::Key_Delete);
    QTRY_COMPARE(w.jobTable()->model()->index(0, JobTableModel::Status).data().toString(),
                 QStringLiteral("Terminated by SIGTERM"));
    QCOMPARE(s.runningCount(), 1); // only the selected job stopped
    w.stopAll();
    QTRY_VERIFY(s.isIdle());
}

void TestMainWindow::parallelJobsTakesEffectWhileRunning()
{
    Scheduler s;
    MainWindow w(&s);
    w.show();
    w.launchPanel()->setParallelJobs(1);
    fill(w, childPath() + QStringLiteral(" hang"), QString(), 5);
    QVERIFY(w.runBatch() > 0);
    QCOMPARE(s.runningCount(), 1);
    w.findChild<QSpinBox *>(QStringLiteral("parallelSpin"))->setValue(3);
    QCOMPARE(s.runningCount(), 3);
    QTRY_COMPARE(w.jobTable()->model()->index(3, JobTableModel::Status).data().toString(),
                 QStringLiteral("Queued"));
    w.stopAll();
    QTRY_VERIFY(s.isIdle());
    QTRY_COMPARE(w.jobTable()->model()->index(3, JobTableModel::Status).data().toString(),
                 QStringLiteral("Canceled"));
}

void TestMainWindow::batchFilterShowsOneBatch()
{
    Scheduler s;
    MainWindow w(&s);
    w.show();
    fill(w, childPath() + QStringLiteral(" exit 0"), QString(), 3);
    QVERIFY(w.runBatch() == 1);
    fill(w, childPath() + QStringLiteral(" exit 1"), QString(), 2);
    QVERIFY(w.runBatch() == 2);
    auto *filter = w.findChild<QComboBox *>(QStringLiteral("batchFilter"));
    QCOMPARE(filter->count(), 3);
    filter->setCurrentIndex(2);
    QCOMPARE(w.jobTable()->model()->rowCount(), 2);
    QTRY_VERIFY(s.isIdle());
    QTRY_VERIFY(w.summary()->text().contains(QStringLiteral("Failed 2")));
    QVERIFY(w.summary()->text().startsWith(QStringLiteral("Total 2 ")));
    filter->setCurrentIndex(0);
    QCOMPARE(w.jobTable()->model()->rowCount(), 5);
    QTRY_VERIFY(w.summary()->text().startsWith(QStringLiteral("Total 5 ")));
}

void TestMainWindow::closingStopsEveryJob()
{
    Scheduler s;
    s.setGracePeriod(300);
    MainWindow w(&s);
    w.show();
    fill(w, childPath() + QStringLiteral(" grandchild ignoreterm"), QString(), 2);
    QVERIFY(w.runBatch() > 0);
    QTRY_VERIFY(s.store().job(1).output && !s.store().job(1).output->lastLine().isEmpty());
    QTRY_VERIFY(!s.store().job(0).output->lastLine().isEmpty());
    const qint64 g0 = s.store().job(0).output->lastLine().toLongLong();
    const qint64 g1 = s.store().job(1).output->lastLine().toLongLong();
    QVERIFY(processAlive(g0) && processAlive(g1));
    QVERIFY(!w.close()); // refused for now: jobs are stopping
    QVERIFY(w.isVisible());
    QTRY_VERIFY(!w.isVisible()); // closes by itself once every job ended
    QVERIFY(s.isIdle());
    QTRY_VERIFY(!processAlive(g0) && !processAlive(g1));
}

void TestMainWindow::openingABatchFileRunsNothing()
{
    Scheduler s;
    MainWindow w(&s);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("b.batch"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("command: echo\nparallel: 7\n---\nx\ny\n");
    f.close();
    QVERIFY(w.openBatchFile(path));
    QCOMPARE(s.store().jobCount(), 0);
    QCOMPARE(w.launchPanel()->request().arguments(), (QStringList{"x", "y"}));
    QCOMPARE(w.launchPanel()->parallelJobs(), 7);
    // Saving writes the same batch back.
    const QString saved = dir.filePath(QStringLiteral("saved.batch"));
    QVERIFY(w.saveBatchFile(saved));
    QVERIFY(w.openBatchFile(saved));
    QCOMPARE(w.launchPanel()->request().command, QStringLiteral("echo"));
    // A bad file is reported and changes nothing.
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write("nonsense\n");
    f.close();
    QVERIFY(!w.openBatchFile(path));
    QVERIFY(w.launchPanel()->errorText().contains(QStringLiteral("line 1")));
    QVERIFY(!w.openBatchFile(dir.filePath(QStringLiteral("missing.batch"))));
    QVERIFY(w.launchPanel()->errorText().contains(QStringLiteral("Could not open")));
    QVERIFY(!w.saveBatchFile(QStringLiteral("/proc/procdeck-cannot-write/x.batch")));
    QVERIFY(w.launchPanel()->errorText().contains(QStringLiteral("Could not save")));
    QCOMPARE(s.store().jobCount(), 0);
}

void TestMainWindow::exportFromTheWindow()
{
    Scheduler s;
    MainWindow w(&s);
    w.show();
    fill(w, QStringLiteral("echo"), QStringLiteral("one\ntwo\nthree\n"));
    QVERIFY(w.runBatch() > 0);
    QTRY_VERIFY(s.isIdle());
    selectRow(w, 1);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("selected.jsonl"));

    ExportDialog *dialog = w.openExportDialog();
    QVERIFY(dialog->isVisible());
    dialog->setFormat(ExportFormat::JsonLines);
    dialog->setScope(ExportDialog::SelectedRows);
    QCOMPARE(dialog->jobs(), QList<int>{1});
    // An unwritable place: the dialog stays open and says why.
    dialog->setPath(QStringLiteral("/proc/self/nope/x.jsonl"));
    dialog->findChild<QPushButton *>(QStringLiteral("exportButton"))->click();
    QVERIFY(dialog->isVisible());
    QVERIFY2(dialog->errorText().contains(QStringLiteral("Could not export")),
             qPrintable(dialog->errorText()));
    dialog->setPath(path);
    QPointer<ExportDialog> guard(dialog);
    dialog->findChild<QPushButton *>(QStringLiteral("exportButton"))->click();
    QTRY_VERIFY(guard.isNull()); // closed (and deleted) on success
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject o = QJsonDocument::fromJson(f.readAll().trimmed()).object();
    QCOMPARE(o.value(QStringLiteral("Stdout")).toString(), QStringLiteral("two\n"));

    // The next export remembers the format, the scope and the path.
    ExportDialog *again = w.openExportDialog();
    QCOMPARE(again->format(), ExportFormat::JsonLines);
    QCOMPARE(again->scope(), ExportDialog::SelectedRows);
    QCOMPARE(again->path(), path);
    again->reject();
}

void TestMainWindow::argumentsThatAreNoUtf8()
{
    // A batch file with a Latin-1 file name: the box shows U+FFFD, the job
    // gets the bytes, and saving writes them back.
    Scheduler s;
    MainWindow w(&s);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("latin1.batch"));
    const QByteArray batch =
        "command: " + QFile::encodeName(childPath()) + " echo\n---\ncaf\xe9\nok\n";
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(batch);
    f.close();
    QVERIFY(w.openBatchFile(path));
    auto *args = w.findChild<QPlainTextEdit *>(QStringLiteral("argumentsEdit"));
    QVERIFY(args);
    QCOMPARE(args->toPlainText(), QStringLiteral("caf\uFFFD\nok"));
    QCOMPARE(w.launchPanel()->request().arguments(),
             (QStringList{RawText::decode("caf\xe9"), QStringLiteral("ok")}));
    QVERIFY(w.runBatch() > 0);
    QTRY_VERIFY(s.isIdle());
    QCOMPARE(s.store().job(0).output->rawBytes(Stream::Stdout), QByteArray("caf\xe9\n"));
    const QModelIndex command = w.jobTable()->model()->index(0, JobTableModel::Command);
    QVERIFY2(command.data().toString().endsWith(QStringLiteral("'caf\uFFFD'")),
             qPrintable(command.data().toString()));
    const QString saved = dir.filePath(QStringLiteral("saved.batch"));
    QVERIFY(w.saveBatchFile(saved));
    QFile back(saved);
    QVERIFY(back.open(QIODevice::ReadOnly));
    QVERIFY(back.readAll().endsWith("---\ncaf\xe9\nok\n"));
    // Once edited, the box's text is what runs.
    args->setPlainText(QStringLiteral("edited"));
    QCOMPARE(w.launchPanel()->request().arguments(), QStringList{QStringLiteral("edited")});
}

void TestMainWindow::templatePreviewAndRange()
{
    Scheduler s;
    MainWindow w(&s);
    w.show();
    fill(w, QStringLiteral("echo {#}:{}.{/.}"), QString());
    w.findChild<QSpinBox *>(QStringLiteral("rangeFrom"))->setValue(3);
    w.findChild<QSpinBox *>(QStringLiteral("rangeTo"))->setValue(9);
    w.findChild<QToolButton *>(QStringLiteral("fillRange"))->click();
    QCOMPARE(w.launchPanel()->request().arguments().size(), 7);
    auto *preview = w.findChild<QPlainTextEdit *>(QStringLiteral("previewText"));
    QTRY_VERIFY(preview->toPlainText().startsWith(QStringLiteral("echo 1:3.3\necho 2:4.4")));
    QVERIFY(preview->toPlainText().contains(QStringLiteral("… and 3 more")));
    QCOMPARE(s.store().jobCount(), 0); // a preview runs nothing
    QVERIFY(w.runBatch() > 0);
    QTRY_VERIFY(s.isIdle());
    QCOMPARE(s.store().job(6).output->rawBytes(Stream::Stdout), QByteArray("7:9.9\n"));
    // A bad template shows its problem in the preview and runs nothing.
    fill(w, QStringLiteral("echo {2}"), QStringLiteral("a\n"));
    QTRY_VERIFY(preview->toPlainText().contains(QStringLiteral("{2}")));
    QCOMPARE(w.runBatch(), 0);
    QVERIFY(w.launchPanel()->errorText().contains(QStringLiteral("refers to input source 2")));
}

void TestMainWindow::bigArgumentFileIsReadAsTheBatchRuns()
{
    // Bigger than what is pasted into the box: the batch reads it as it
    // runs. Jobs on a simulated clock, so 20,000 of them take a moment.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("args.txt"));
    QByteArray data;
    const int lines = 20000;
    for (int i = 1; i <= lines; ++i) {
        data += "arg" + QByteArray::number(i) + QByteArray(60, 'x') + '\n';
        if (i == 7)
            data += '\n'; // an empty line is no argument, as in the box
    }
    QVERIFY(data.size() > LaunchPanel::pasteLimitBytes);
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly) && f.write(data) == data.size());
    f.close();

    SimulatedLauncher launcher;
    Scheduler s;
    s.setLauncher(&launcher);
    MainWindow w(&s);
    w.show();
    fill(w, QStringLiteral("echo {#}:{}"), QString());
    QVERIFY(w.launchPanel()->loadArguments(path));
    auto *args = w.findChild<QPlainTextEdit *>(QStringLiteral("argumentsEdit"));
    QVERIFY(args->toPlainText().isEmpty());
    QVERIFY(!args->isEnabled());
    QVERIFY(args->placeholderText().contains(QStringLiteral("args.txt")));
    auto *preview = w.findChild<QPlainTextEdit *>(QStringLiteral("previewText"));
    QTRY_VERIFY(preview->toPlainText().startsWith(QStringLiteral("echo 1:arg1") +
                                                  QString(60, QLatin1Char('x'))));
    QVERIFY(preview->toPlainText().contains(QStringLiteral("each further line of the file")));

    const int batchId = w.runBatch();
    QVERIFY(batchId > 0);
    // The jobs come as the file is read: run what is there until the
    // file's end has closed the batch.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            launcher.finishUntil();
            return s.batch(batchId).isFinished();
        }(),
        60000);
    const BatchInfo &b = s.batch(batchId);
    QCOMPARE(b.jobCount, lines);
    QCOMPARE(b.succeeded, lines);
    QCOMPARE(w.jobTable()->model()->rowCount(), lines);
    QCOMPARE(s.spec(b.firstJob + lines - 1).displayCommand(),
             QStringLiteral("echo %1:arg%1").arg(lines) + QString(60, QLatin1Char('x')));

    // Typing instead forgets the file.
    w.findChild<QToolButton *>(QStringLiteral("clearArgumentFile"))->click();
    QVERIFY(args->isEnabled());
    QVERIFY(w.launchPanel()->request().argumentsFile.isEmpty());
}

void TestMainWindow::timeoutRetriesAndStdinFromThePanel()
{
    Scheduler s;
    s.setGracePeriod(200);
    MainWindow w(&s);
    w.show();
    fill(w, childPath() + QStringLiteral(" hang"), QString());
    w.findChild<QDoubleSpinBox *>(QStringLiteral("timeoutSpin"))->setValue(0.2);
    QVERIFY(w.runBatch() > 0);
    QTRY_COMPARE(w.jobTable()->model()->index(0, JobTableModel::Status).data().toString(),
                 QStringLiteral("Timed out after 0.2 s"));
    w.findChild<QDoubleSpinBox *>(QStringLiteral("timeoutSpin"))->setValue(0);

    fill(w, childPath() + QStringLiteral(" exit 2"), QString());
    w.findChild<QSpinBox *>(QStringLiteral("attemptsSpin"))->setValue(3);
    QVERIFY(w.runBatch() > 0);
    QTRY_COMPARE(w.jobTable()->model()->index(1, JobTableModel::Status).data().toString(),
                 QStringLiteral("Exit 2 (attempt 3 of 3)"));
    w.findChild<QSpinBox *>(QStringLiteral("attemptsSpin"))->setValue(1);

    fill(w, QStringLiteral("tr a-z A-Z"), QString());
    auto *mode = w.findChild<QComboBox *>(QStringLiteral("stdinMode"));
    mode->setCurrentIndex(mode->findText(QStringLiteral("Text")));
    w.findChild<QLineEdit *>(QStringLiteral("stdinText"))->setText(QStringLiteral("fed to stdin"));
    w.findChild<QLineEdit *>(QStringLiteral("environmentEdit"))
        ->setText(QStringLiteral("A=1 'B=two words'"));
    QCOMPARE(w.launchPanel()->request().environment, (QStringList{"A=1", "B=two words"}));
    QVERIFY(w.runBatch() > 0);
    QTRY_VERIFY(s.isIdle());
    QCOMPARE(s.store().job(2).output->rawBytes(Stream::Stdout), QByteArray("FED TO STDIN"));
}

void TestMainWindow::filterByTextAndStatus()
{
    Scheduler s;
    MainWindow w(&s);
    w.show();
    // Job 2 prints 42, which its command does not hold.
    fill(w, QStringLiteral("sh -c"),
         QStringLiteral("echo alpha; exit 0\necho $((6*7)); exit 0\necho Gamma; exit 4\n"));
    QVERIFY(w.runBatch() > 0);
    QTRY_VERIFY(s.isIdle());
    QTRY_COMPARE(w.jobTable()->model()->index(2, JobTableModel::Status).data().toString(),
                 QStringLiteral("Exit 4"));
    JobFilterBar *bar = w.filterBar();
    QCOMPARE(bar->textEdit()->placeholderText(),
             QStringLiteral("Filter: text in command or output"));
    QVERIFY(bar->countText().isEmpty()); // no filter, no count

    QTest::keyClicks(bar->textEdit(), QStringLiteral("gamma"));
    // Typing waits for a pause before filtering.
    QCOMPARE(w.jobTable()->model()->rowCount(), 3);
    QTRY_COMPARE(w.jobTable()->model()->rowCount(), 1);
    QCOMPARE(bar->countText(), QStringLiteral("1 of 3 jobs shown"));

    // Text in the output only.
    bar->textEdit()->setText(QStringLiteral("42"));
    bar->applyText();
    QCOMPARE(w.jobTable()->model()->rowCount(), 1);
    QCOMPARE(w.jobTable()->model()->index(0, JobTableModel::Number).data().toInt(), 2);

    bar->textEdit()->setText(QStringLiteral("echo"));
    bar->applyText();
    QCOMPARE(w.jobTable()->model()->rowCount(), 3);
    bar->statusBox()->setCurrentIndex(bar->statusBox()->findText(QStringLiteral("Failed")));
    QCOMPARE(w.jobTable()->model()->rowCount(), 1);
    QCOMPARE(w.jobTable()->model()->index(0, JobTableModel::Number).data().toInt(), 3);
    QCOMPARE(bar->countText(), QStringLiteral("1 of 3 jobs shown"));
    bar->statusBox()->setCurrentIndex(bar->statusBox()->findText(QStringLiteral("Succeeded")));
    QCOMPARE(w.jobTable()->model()->rowCount(), 2);
    bar->statusBox()->setCurrentIndex(0);
    bar->textEdit()->clear();
    bar->applyText();
    QCOMPARE(w.jobTable()->model()->rowCount(), 3);
    QVERIFY(bar->countText().isEmpty());
}

void TestMainWindow::filterShortcutsFocusTheBox()
{
    Scheduler s;
    MainWindow w(&s);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QApplication::setActiveWindow(&w);
    QTRY_VERIFY(w.isActiveWindow());
    QLineEdit *edit = w.filterBar()->textEdit();
    const QKeyCombination keys[] = {Qt::CTRL | Qt::Key_L, Qt::CTRL | Qt::SHIFT | Qt::Key_F};
    for (const QKeyCombination key : keys) {
        w.jobTable()->setFocus();
        QTRY_VERIFY(w.jobTable()->hasFocus());
        QTest::keyClick(w.jobTable(), key.key(), key.keyboardModifiers());
        QTRY_VERIFY(edit->hasFocus());
    }
}

void TestMainWindow::progressInStatusBarAndTitle()
{
    Scheduler s;
    s.setGracePeriod(200);
    MainWindow w(&s);
    w.show();
    QCOMPARE(w.windowTitle(), QStringLiteral("procdeck"));
    QVERIFY(!w.summary()->progressBar()->isVisible()); // nothing to show yet
    w.launchPanel()->setParallelJobs(5);
    const QString hang = childPath() + QStringLiteral(" hang");
    const QString fail = childPath() + QStringLiteral(" exit 1");
    fill(w, QStringLiteral("sh -c"), QStringList{hang, hang, hang, fail, fail}.join('\n'));
    QVERIFY(w.runBatch() > 0);
    // Two failed, three still running.
    QTRY_COMPARE(w.windowTitle(), QStringLiteral("procdeck — 2/5 (2 failed)"));
    QProgressBar *bar = w.summary()->progressBar();
    QVERIFY(bar->isVisible());
    QCOMPARE(bar->value(), 2);
    QCOMPARE(bar->maximum(), 5);
    QVERIFY(w.summary()->progressText().startsWith(QStringLiteral("2 failed")));
    // Two done is too few to guess the rest from.
    QVERIFY(!w.summary()->progressText().contains(QStringLiteral("left")));
    w.stopAll();
    QTRY_VERIFY(s.isIdle());
    QTRY_COMPARE(w.windowTitle(), QStringLiteral("procdeck"));
    QTRY_COMPARE(bar->value(), 5); // canceled and stopped jobs are done too
}

void TestMainWindow::notifiesWhenInactiveOnly()
{
    Scheduler s;
    MainWindow w(&s);
    auto owned = std::make_unique<FakeNotifier>();
    FakeNotifier *notifier = owned.get();
    w.setNotifier(std::move(owned));
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    // The user is in another window. (Offscreen, a window shown last may
    // be active; the test makes sure another one is.)
    QWidget elsewhere;
    elsewhere.show();
    QVERIFY(QTest::qWaitForWindowExposed(&elsewhere));
    QApplication::setActiveWindow(&elsewhere);
    QTRY_VERIFY(elsewhere.isActiveWindow());
    QVERIFY(!w.isActiveWindow());
    QSignalSpy finished(&s, &Scheduler::batchFinished);
    fill(w, QStringLiteral("sh -c"), QStringLiteral("true\ntrue\nexit 3\n"));
    QVERIFY(w.runBatch() == 1);
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(notifier->messages.size(), 1);
    const QString message = notifier->messages.value(0);
    QVERIFY2(
        QRegularExpression(
            QStringLiteral(
                "^procdeck: Batch 1 finished: 2 succeeded, 1 failed in ([0-9]+ min )?[0-9.]+ s$"))
            .match(message)
            .hasMatch(),
        qPrintable(message));

    // Someone looking at the window sees it end: no notification.
    QApplication::setActiveWindow(&w);
    QTRY_VERIFY(w.isActiveWindow());
    QVERIFY(w.runBatch() == 2);
    QTRY_COMPARE(finished.size(), 2);
    QCOMPARE(notifier->messages.size(), 1);
}

void TestMainWindow::emptyStateHintUntilFirstJob()
{
    Scheduler s;
    MainWindow w(&s);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    EmptyStateHint *hint = w.emptyStateHint();
    QVERIFY(hint->isVisible());
    QVERIFY(hint->text().startsWith(QStringLiteral("No jobs yet.")));
    QVERIFY(hint->text().contains(QStringLiteral("Run (Ctrl+Enter)")));
    // It covers the table's empty area.
    QCOMPARE(hint->size(), w.jobTable()->viewport()->size());
    fill(w, QStringLiteral("true"), QString());
    QVERIFY(w.runBatch() > 0);
    QVERIFY(!hint->isVisible());
    QTRY_VERIFY(s.isIdle());
    // A filter that hides every row is not a first start.
    w.filterBar()->textEdit()->setText(QStringLiteral("nothing matches this"));
    w.filterBar()->applyText();
    QCOMPARE(w.jobTable()->model()->rowCount(), 0);
    QVERIFY(!hint->isVisible());
}

void TestMainWindow::toolbarActionsHaveIconsAndShortcutTips()
{
    Scheduler s;
    MainWindow w(&s);
    QVERIFY(QFile::exists(QStringLiteral(":/icons/run.svg")));
    auto *toolbar = w.findChild<QToolBar *>(QStringLiteral("jobsToolBar"));
    QVERIFY(toolbar);
    int actions = 0;
    for (QAction *action : toolbar->actions()) {
        if (action->isSeparator() || qobject_cast<QWidgetAction *>(action))
            continue;
        ++actions;
        QVERIFY2(!action->icon().isNull(), qPrintable(action->text()));
        QVERIFY2(!action->icon().pixmap(22, 22).isNull(), qPrintable(action->text()));
        const QString key = action->shortcut().toString(QKeySequence::NativeText);
        QVERIFY2(!key.isEmpty(), qPrintable(action->text()));
        QVERIFY2(action->toolTip().endsWith(QStringLiteral("(%1)").arg(key)),
                 qPrintable(action->toolTip()));
    }
    QCOMPARE(actions, 5); // Run, Stop, Stop All, Rerun, Export
    const QList<QAction *> all = toolbar->actions();
    auto stop = std::find_if(all.begin(), all.end(),
                             [](QAction *a) { return a->text() == QStringLiteral("&Stop"); });
    QVERIFY(stop != all.end());
    QVERIFY((*stop)->toolTip().startsWith(QStringLiteral("Stop the selected jobs")));
    QVERIFY((*stop)->toolTip().endsWith(QStringLiteral("(Del)")));
}

void TestMainWindow::remembersLayoutAndLaunchPanel()
{
    QList<int> sizes;
    QByteArray geometry;
    {
        Scheduler s;
        MainWindow w(&s);
        w.resize(1100, 700);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        fill(w, QStringLiteral("gzip -k {}"), QStringLiteral("a.txt\nb.txt\n"));
        w.launchPanel()->setParallelJobs(0); // "No limit"
        w.findChild<QDoubleSpinBox *>(QStringLiteral("timeoutSpin"))->setValue(2.5);
        w.findChild<QSpinBox *>(QStringLiteral("attemptsSpin"))->setValue(3);
        w.findChild<QLineEdit *>(QStringLiteral("workingDirectoryEdit"))
            ->setText(QStringLiteral("/tmp"));
        w.findChild<QLineEdit *>(QStringLiteral("environmentEdit"))
            ->setText(QStringLiteral("A=1 'B=two words'"));
        auto *mode = w.findChild<QComboBox *>(QStringLiteral("stdinMode"));
        mode->setCurrentIndex(mode->findText(QStringLiteral("Text")));
        w.findChild<QLineEdit *>(QStringLiteral("stdinText"))->setText(QStringLiteral("hello"));
        w.mainSplitter()->setSizes({420, 680});
        sizes = w.mainSplitter()->sizes();
        geometry = w.saveGeometry();
        QVERIFY(w.close());
    }
    QVERIFY(QFile::exists(QSettings().fileName()));
    QVERIFY(QSettings().fileName().startsWith(m_settingsDir.path()));

    Scheduler s;
    MainWindow w(&s);
    const BatchRequest r = w.launchPanel()->request();
    QCOMPARE(r.command, QStringLiteral("gzip -k {}"));
    QCOMPARE(r.arguments(), (QStringList{"a.txt", "b.txt"}));
    QCOMPARE(w.launchPanel()->parallelJobs(), 0);
    QCOMPARE(r.timeoutMs, 2500);
    QCOMPARE(r.attempts, 3);
    QCOMPARE(r.workingDirectory, QStringLiteral("/tmp"));
    QCOMPARE(r.environment, (QStringList{"A=1", "B=two words"}));
    QCOMPARE(r.stdinMode, BatchRequest::Stdin::Text);
    QCOMPARE(r.stdinText, QStringLiteral("hello"));
    QCOMPARE(s.maxParallel(), 0); // the restored limit is the scheduler's too
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QCOMPARE(w.size(), QSize(1100, 700));
    QCOMPARE(w.mainSplitter()->sizes(), sizes);
    QCOMPARE(s.store().jobCount(), 0); // remembering runs nothing
}

void TestMainWindow::screenshotAfterTenJobBatch()
{
    Scheduler s;
    s.setResourceSampling(true, 100); // the CPU and memory columns, as the app has them
    MainWindow w(&s);
    w.resize(1280, 720);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.launchPanel()->setParallelJobs(10);
    // A realistic batch: ten shell jobs that print in color, one fails, and
    // two keep a busy background process (its CPU counts: the whole group
    // is sampled) until the batch is stopped.
    fill(w,
         QStringLiteral("sh -c 'printf \"\\033[1;32mok\\033[0m checking %s\\n\" \"$0\"; "
                        "sleep 0.$((${#0} % 4)); case $0 in [ik]*) yes >/dev/null & sleep 30;; "
                        "esac; test ${#0} -lt 11 || { echo \"too long: $0\" >&2; exit 3; }'"),
         QStringLiteral("alpha.log\nbeta.log\ngamma.log\ndelta.log\nepsilon.log\nzeta.log\neta."
                        "log\ntheta.log\niota.log\nkappa.log\n"));
    QVERIFY(w.runBatch() > 0);
    QCOMPARE(w.jobTable()->model()->rowCount(), 10);
    QTRY_VERIFY_WITH_TIMEOUT(s.batch(1).succeeded + s.batch(1).failed == 8, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(s.liveUsage(8).cpuPercent > 20 && s.liveUsage(9).cpuPercent > 20,
                             20000);
    selectRow(w, 4);
    QTRY_VERIFY(w.outputPane()->text().contains(QStringLiteral("too long")));
    QTRY_VERIFY(!w.jobTable()->model()->index(9, JobTableModel::Memory).data().isNull());
    QTRY_VERIFY(w.summary()->text().contains(QStringLiteral("Running 2")));
    saveScreenshot(w, QStringLiteral("procdeck-window.png"));
    w.jobViews()->setCurrentWidget(w.timeline());
    QTRY_VERIFY(w.timeline()->barRect(9).isValid());
    saveScreenshot(w, QStringLiteral("procdeck-timeline.png"));
    s.stopAll();
    QTRY_VERIFY_WITH_TIMEOUT(s.isIdle(), 20000);
}

void TestMainWindow::screenshotOfFirstStart()
{
    Scheduler s;
    MainWindow w(&s);
    w.resize(1280, 720);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.emptyStateHint()->isVisible());
    saveScreenshot(w, QStringLiteral("procdeck-empty.png"));
}

void TestMainWindow::timelineTabSelectsTheClickedJob()
{
    Scheduler s;
    MainWindow w(&s);
    w.resize(1100, 700);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.launchPanel()->setParallelJobs(2);
    fill(w, childPath() + QStringLiteral(" echo"), QStringLiteral("one\ntwo\nthree\n"));
    QVERIFY(w.runBatch() > 0);
    QTRY_VERIFY(s.isIdle());
    QCOMPARE(w.jobViews()->currentIndex(), 0);
    QTest::keyClick(&w, Qt::Key_T, Qt::ControlModifier);
    QCOMPARE(w.jobViews()->currentWidget(), w.timeline());
    QTRY_VERIFY(w.timeline()->barRect(2).isValid());
    // A click on job 3's bar selects its row and shows its output.
    QTest::mouseClick(w.timeline()->viewport(), Qt::LeftButton, {},
                      w.timeline()->barRect(2).center());
    QCOMPARE(w.jobTable()->currentIndex().data(JobTableModel::JobIndexRole).toInt(), 2);
    QCOMPARE(w.outputPane()->job(), 2);
    QTRY_COMPARE(w.outputPane()->text(), QStringLiteral("three\n"));
    QTest::keyClick(&w, Qt::Key_T, Qt::ControlModifier);
    QCOMPARE(w.jobViews()->currentIndex(), 0);
}

void TestMainWindow::findInOutputFromAnywhere()
{
    Scheduler s;
    MainWindow w(&s);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    fill(w, childPath() + QStringLiteral(" lines"), QStringLiteral("5\n"));
    QVERIFY(w.runBatch() > 0);
    QTRY_VERIFY(s.isIdle());
    selectRow(w, 0);
    QTRY_VERIFY(w.outputPane()->text().contains(QStringLiteral("line 5")));
    // Ctrl+F with the focus in the table opens the output pane's find bar.
    w.jobTable()->setFocus();
    QVERIFY(!w.outputPane()->findBar()->isVisible());
    QTest::keyClick(w.jobTable(), Qt::Key_F, Qt::ControlModifier);
    QVERIFY(w.outputPane()->findBar()->isVisible());
    w.outputPane()->findBar()->setQuery(QStringLiteral("line"));
    QTRY_COMPARE(w.outputPane()->findBar()->matchCount(), 5);
}

void TestMainWindow::columnsHideAndAreRemembered()
{
    Scheduler s;
    {
        MainWindow w(&s);
        QHeaderView *header = w.jobTable()->horizontalHeader();
        // By default the resource columns show; batch, exit code, start
        // time and PID wait.
        QVERIFY(!header->isSectionHidden(JobTableModel::CpuPercent));
        QVERIFY(!header->isSectionHidden(JobTableModel::PeakMemory));
        QVERIFY(header->isSectionHidden(JobTableModel::Pid));
        QMenu *menu = w.columnMenu();
        const QList<QAction *> actions = menu->actions();
        QCOMPARE(actions.size(), int(JobTableModel::ColumnCount));
        QVERIFY(!actions.at(JobTableModel::Command)->isEnabled());
        QVERIFY(!actions.at(JobTableModel::Pid)->isChecked());
        actions.at(JobTableModel::Pid)->trigger();     // show
        actions.at(JobTableModel::CpuTime)->trigger(); // hide
        QVERIFY(!header->isSectionHidden(JobTableModel::Pid));
        QVERIFY(header->isSectionHidden(JobTableModel::CpuTime));
        delete menu;
        w.close();
    }
    MainWindow again(&s);
    QHeaderView *header = again.jobTable()->horizontalHeader();
    QVERIFY(!header->isSectionHidden(JobTableModel::Pid));
    QVERIFY(header->isSectionHidden(JobTableModel::CpuTime));
}

void TestMainWindow::terminalCheckboxRunsJobsOnATerminal()
{
    Scheduler s;
    MainWindow w(&s);
    w.show();
    auto *usePty = w.findChild<QCheckBox *>(QStringLiteral("usePty"));
    QVERIFY(usePty);
    QVERIFY(!usePty->isChecked()); // off unless asked
    QVERIFY(usePty->toolTip().contains(QStringLiteral("one stream")));
    fill(w, QStringLiteral("test -t 1 && echo tty || echo pipe; echo {} >&2"),
         QStringLiteral("a\n"));
    QVERIFY(w.runBatch() > 0);
    usePty->setChecked(true);
    QVERIFY(w.launchPanel()->request().usePty);
    QVERIFY(w.runBatch() > 0);
    QTRY_VERIFY(s.isIdle());
    QCOMPARE(s.store().job(0).output->rawBytes(Stream::Stdout), QByteArray("pipe\n"));
    QCOMPARE(s.store().job(1).output->rawBytes(Stream::Stdout), QByteArray("tty\na\n"));
    QVERIFY(s.spec(1).usePty);
    // Opening a saved batch sets it as the file says.
    BatchRequest plain = w.launchPanel()->request();
    plain.usePty = false;
    w.launchPanel()->setRequest(plain);
    QVERIFY(!usePty->isChecked());
}

void TestMainWindow::historyListsOpensAndRerunsFailed()
{
    QTemporaryDir dir;
    RecordingWindow r(dir.filePath(QStringLiteral("history.sqlite")));
    MainWindow &w = r.window;
    w.show();
    runThreeJobsIntoHistory(r);
    HistoryListModel *list = w.historyView()->model();
    auto cell = [&](int column) { return list->index(0, column).data().toString(); };
    QCOMPARE(cell(HistoryListModel::Command), QStringLiteral("sh -c 'echo out-$0; exit $0' {}"));
    QCOMPARE(cell(HistoryListModel::Jobs), QStringLiteral("3"));
    QCOMPARE(cell(HistoryListModel::Succeeded), QStringLiteral("1"));
    QCOMPARE(cell(HistoryListModel::Failed), QStringLiteral("2"));
    QCOMPARE(cell(HistoryListModel::Origin), QStringLiteral("window"));

    // A search that matches nothing, then one that matches.
    QTest::keyClicks(w.historyView()->searchField(), QStringLiteral("no-such-command"));
    QTRY_COMPARE(list->rowCount(), 0);
    QTRY_VERIFY(w.historyView()->statusLabel()->text().contains(QStringLiteral("No batch")));
    w.historyView()->searchField()->setText(QStringLiteral("OUT-"));
    QTRY_COMPARE(list->rowCount(), 1);

    // Enter on the list opens the batch in the job table.
    w.historyView()->focusList();
    QTest::keyClick(w.historyView()->list(), Qt::Key_Return);
    QTRY_VERIFY(w.storedBatch() != nullptr);
    QCOMPARE(w.jobViews()->currentIndex(), 0);
    QVERIFY(w.storedBanner()->isVisible());
    QCOMPARE(w.jobTable()->model()->rowCount(), 3);
    QCOMPARE(w.jobTable()->model()->index(2, JobTableModel::Status).data().toString(),
             QStringLiteral("Exit 2"));
    QVERIFY(w.findChild<QComboBox *>(QStringLiteral("batchFilter"))
                ->currentText()
                .startsWith(QStringLiteral("History #")));
    // Its output comes from the database when the job is selected.
    selectRow(w, 1);
    QTRY_COMPARE(w.outputPane()->text(), QStringLiteral("out-1\n"));
    QAction *stop = nullptr;
    for (QAction *a : w.findChildren<QAction *>()) {
        if (a->text() == QStringLiteral("&Stop"))
            stop = a;
    }
    QVERIFY(stop);
    QVERIFY(!stop->isEnabled()); // nothing of a past batch runs

    // Rerun Failed runs jobs 2 and 3 again as a new live batch, and shows it.
    w.storedBanner()->findChild<QPushButton *>(QStringLiteral("storedRerunFailed"))->click();
    QCOMPARE(w.storedBatch(), nullptr);
    QCOMPARE(r.scheduler.batchCount(), 2);
    QCOMPARE(r.scheduler.batch(2).jobCount, 2);
    QTRY_VERIFY(r.scheduler.isIdle());
    QCOMPARE(w.proxy()->batchFilter(), 2);
    QCOMPARE(w.jobTable()->model()->rowCount(), 2);
    QCOMPARE(r.scheduler.spec(r.scheduler.batch(2).firstJob).displayCommand(),
             QStringLiteral("sh -c 'echo out-$0; exit $0' 1"));
    // And history lists it too, newest first.
    w.findChild<QAction *>(QStringLiteral("historyAction"))->trigger();
    w.historyView()->searchField()->clear();
    QTRY_VERIFY_WITH_TIMEOUT(list->rowCount() == 2 && list->batch(0).isFinished(), 20000);
    QCOMPARE(list->index(0, HistoryListModel::Jobs).data().toString(), QStringLiteral("2"));
}

void TestMainWindow::historyExportsAPastBatch()
{
    QTemporaryDir dir;
    RecordingWindow r(dir.filePath(QStringLiteral("history.sqlite")));
    MainWindow &w = r.window;
    w.show();
    runThreeJobsIntoHistory(r);
    w.historyView()->selectBatch(w.historyView()->model()->batch(0).id);
    w.historyView()->findChild<QPushButton *>(QStringLiteral("historyExport"))->click();
    ExportDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = w.findChild<ExportDialog *>()) != nullptr);
    QVERIFY(w.storedBatch() != nullptr);
    QCOMPARE(dialog->jobs(), (QList<int>{0, 1, 2}));
    const QString folder = dir.filePath(QStringLiteral("results"));
    dialog->setFormat(ExportFormat::ResultsFolder);
    dialog->setScope(ExportDialog::AllJobs);
    dialog->setPath(folder);
    QPointer<ExportDialog> guard(dialog);
    dialog->findChild<QPushButton *>(QStringLiteral("exportButton"))->click();
    QTRY_VERIFY(guard.isNull()); // written off the GUI thread, then closed
    QFile out(folder + QStringLiteral("/1/1/stdout"));
    QVERIFY2(out.open(QIODevice::ReadOnly), qPrintable(out.fileName()));
    QCOMPARE(out.readAll(), QByteArray("out-1\n"));

    // A joblog of the selected row, from the same past batch.
    selectRow(w, 2);
    ExportDialog *joblog = w.openExportDialog();
    joblog->setFormat(ExportFormat::Joblog);
    joblog->setScope(ExportDialog::SelectedRows);
    joblog->setPath(dir.filePath(QStringLiteral("joblog")));
    guard = joblog;
    joblog->findChild<QPushButton *>(QStringLiteral("exportButton"))->click();
    QTRY_VERIFY(guard.isNull());
    QFile log(dir.filePath(QStringLiteral("joblog")));
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = log.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 2); // the header and the one job
    const QList<QByteArray> fields = lines[1].split('\t');
    QCOMPARE(fields.value(6), QByteArray("2")); // Exitval
    QCOMPARE(fields.value(8), QByteArray("sh -c 'echo out-$0; exit $0' 2"));
}

void TestMainWindow::pastBatchGivesWayToLiveJobs()
{
    QTemporaryDir dir;
    RecordingWindow r(dir.filePath(QStringLiteral("history.sqlite")));
    MainWindow &w = r.window;
    w.show();
    runThreeJobsIntoHistory(r);
    const qint64 past = w.historyView()->model()->batch(0).id;
    auto *chooser = w.findChild<QComboBox *>(QStringLiteral("batchFilter"));
    auto historyEntries = [&] {
        int n = 0;
        for (int i = 0; i < chooser->count(); ++i)
            n += chooser->itemData(i).toInt() < 0 ? 1 : 0;
        return n;
    };

    // A text filter set on the live rows, then the past batch: its rows are
    // filtered on their own output (the last line, until it is loaded).
    w.filterBar()->textEdit()->setText(QStringLiteral("out-2"));
    w.filterBar()->applyText();
    QCOMPARE(w.jobTable()->model()->rowCount(), 1);
    w.openHistoryBatch(past);
    QTRY_VERIFY(w.storedBatch() != nullptr);
    QCOMPARE(historyEntries(), 1);
    QCOMPARE(w.jobTable()->model()->rowCount(), 1);
    QCOMPARE(w.jobTable()->model()->index(0, JobTableModel::Output).data().toString(),
             QStringLiteral("out-2"));
    w.filterBar()->textEdit()->clear();
    w.filterBar()->applyText();
    QCOMPARE(w.jobTable()->model()->rowCount(), 3);

    // Back to Live (Alt+Left): the live jobs, no history entry left.
    QAction *back = w.findChild<QAction *>(QStringLiteral("backToLiveAction"));
    QVERIFY(back->isEnabled());
    back->trigger();
    QCOMPARE(w.storedBatch(), nullptr);
    QVERIFY(!w.storedBanner()->isVisible());
    QVERIFY(!back->isEnabled());
    QCOMPARE(historyEntries(), 0);
    QCOMPARE(w.jobTable()->model()->rowCount(), r.scheduler.jobCount());

    // Open again, and pick a live batch in "Show:": live again.
    w.openHistoryBatch(past);
    QTRY_VERIFY(w.storedBatch() != nullptr);
    chooser->setCurrentIndex(chooser->findData(1));
    QCOMPARE(w.storedBatch(), nullptr);
    QCOMPARE(w.proxy()->batchFilter(), 1);

    // An open overtaken by a new run: the answer, when it comes, is dropped.
    QSignalSpy opened(w.historyBrowser(), &HistoryBrowser::batchOpened);
    w.openHistoryBatch(past);
    fill(w, QStringLiteral("echo"), QStringLiteral("fresh\n"));
    const int fresh = w.runBatch();
    QVERIFY(fresh > 0);
    QTRY_COMPARE(opened.count(), 1);
    QCoreApplication::processEvents();
    QCOMPARE(w.storedBatch(), nullptr);
    QTRY_VERIFY(r.scheduler.isIdle());
    QCOMPARE(w.proxy()->batchFilter(), 1); // as the user left it
    chooser->setCurrentIndex(chooser->findData(fresh));
    QCOMPARE(w.jobTable()->model()->rowCount(), 1);
}

void TestMainWindow::pastBatchKeepsFewOutputsLoaded()
{
    QTemporaryDir dir;
    RecordingWindow r(dir.filePath(QStringLiteral("history.sqlite")));
    MainWindow &w = r.window;
    w.show();
    QStringList values;
    for (int i = 1; i <= 24; ++i)
        values << QStringLiteral("v%1").arg(i);
    fill(w, QStringLiteral("echo"), values.join(QLatin1Char('\n')));
    QVERIFY(w.runBatch() > 0);
    QTRY_VERIFY(r.scheduler.isIdle());
    w.findChild<QAction *>(QStringLiteral("historyAction"))->trigger();
    HistoryListModel *list = w.historyView()->model();
    QTRY_VERIFY_WITH_TIMEOUT(list->rowCount() == 1 && list->batch(0).isFinished(), 20000);
    w.openHistoryBatch(list->batch(0).id);
    QTRY_VERIFY(w.storedBatch() != nullptr);
    const StoredJobs *stored = w.storedBatch();
    auto loaded = [&] {
        int n = 0;
        for (int i = 0; i < stored->jobCount(); ++i)
            n += stored->isOutputLoaded(i) ? 1 : 0;
        return n;
    };
    // Click through every job: each one's output shows, few stay loaded.
    for (int row = 0; row < 24; ++row) {
        selectRow(w, row);
        QTRY_COMPARE(w.outputPane()->text(), QStringLiteral("v%1\n").arg(row + 1));
    }
    QVERIFY2(loaded() <= 16, qPrintable(QString::number(loaded())));
    QVERIFY(!stored->isOutputLoaded(0));
    QVERIFY(stored->isOutputLoaded(23));
    // The first one comes back when it is selected again.
    selectRow(w, 0);
    QTRY_COMPARE(w.outputPane()->text(), QStringLiteral("v1\n"));
}

void TestMainWindow::historyClearAsksFirst()
{
    QTemporaryDir dir;
    RecordingWindow r(dir.filePath(QStringLiteral("history.sqlite")));
    MainWindow &w = r.window;
    w.show();
    runThreeJobsIntoHistory(r);
    w.historyView()->clearButton()->click();
    QMessageBox *question = nullptr;
    QTRY_VERIFY((question = w.findChild<QMessageBox *>(QStringLiteral("clearHistoryQuestion"))) !=
                nullptr);
    // Cancel keeps everything.
    question->button(QMessageBox::Cancel)->click();
    QTRY_VERIFY(w.findChild<QMessageBox *>(QStringLiteral("clearHistoryQuestion")) == nullptr);
    w.historyView()->refresh();
    QTRY_VERIFY(!w.historyView()->isRefreshing());
    QCOMPARE(w.historyView()->model()->rowCount(), 1);
    w.historyView()->clearButton()->click();
    QTRY_VERIFY((question = w.findChild<QMessageBox *>(QStringLiteral("clearHistoryQuestion"))) !=
                nullptr);
    QAbstractButton *yes = nullptr;
    for (QAbstractButton *b : question->buttons()) {
        if (question->buttonRole(b) == QMessageBox::DestructiveRole)
            yes = b;
    }
    QVERIFY(yes);
    yes->click();
    QTRY_COMPARE(w.historyView()->statusLabel()->text(), QStringLiteral("Cleared 1 batch."));
    QCOMPARE(w.historyView()->model()->rowCount(), 0);
}

void TestMainWindow::corruptHistoryNamesTheProblemAndJobsStillRun()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.sqlite"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray("this is not a database, ").repeated(400));
    }
    RecordingWindow r(path);
    MainWindow &w = r.window;
    w.show();
    w.findChild<QAction *>(QStringLiteral("historyAction"))->trigger();
    QLabel *recording = w.historyView()->findChild<QLabel *>(QStringLiteral("historyRecording"));
    QTRY_VERIFY(recording->isVisible());
    QVERIFY2(recording->text().contains(path), qPrintable(recording->text()));
    QTRY_VERIFY2(w.historyView()->statusLabel()->text().contains(path),
                 qPrintable(w.historyView()->statusLabel()->text()));
    // The window works on without history.
    fill(w, QStringLiteral("echo"), QStringLiteral("still\n"));
    QVERIFY(w.runBatch() > 0);
    QTRY_VERIFY(r.scheduler.isIdle());
    QCOMPARE(r.scheduler.result(0).exitCode, 0);
}

void TestMainWindow::screenshotOfHistory()
{
    QTemporaryDir dir;
    RecordingWindow r(dir.filePath(QStringLiteral("history.sqlite")));
    MainWindow &w = r.window;
    w.resize(1280, 720);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    // A few past batches of different kinds, the way a day's use leaves them.
    const QList<std::pair<QString, QString>> batches{
        {QStringLiteral("sh -c 'echo compressing $0; sleep 0.2' {}"),
         QStringLiteral("access.log\nerror.log\naudit.log\n")},
        {QStringLiteral("sh -c 'echo checking $0; test $0 != beta' {}"),
         QStringLiteral("alpha\nbeta\ngamma\ndelta\n")},
        {QStringLiteral("echo {#} {}"), QStringLiteral("one\ntwo\nthree\nfour\nfive\nsix\n")},
    };
    for (const auto &[command, arguments] : batches) {
        fill(w, command, arguments);
        QVERIFY(w.runBatch() > 0);
        QTRY_VERIFY(r.scheduler.isIdle());
    }
    w.findChild<QAction *>(QStringLiteral("historyAction"))->trigger();
    HistoryListModel *list = w.historyView()->model();
    QTRY_VERIFY_WITH_TIMEOUT(list->rowCount() == 3 && list->batch(0).isFinished(), 20000);
    w.historyView()->selectBatch(list->batch(1).id);
    QTest::qWait(50); // a paint
    saveScreenshot(w, QStringLiteral("history.png"));
    // The batch opened: its jobs in the table, a failed one's output below.
    w.openHistoryBatch(list->batch(1).id);
    QTRY_VERIFY(w.storedBatch() != nullptr);
    selectRow(w, 1);
    QTRY_VERIFY(w.outputPane()->text().contains(QStringLiteral("checking beta")));
    saveScreenshot(w, QStringLiteral("history-batch.png"));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
