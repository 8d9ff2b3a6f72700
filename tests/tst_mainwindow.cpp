// The real main window, offscreen: launch a batch from the panel, watch the
// rows, read a job's output, stop jobs, quit with jobs running; and a
// screenshot of the window after a 10-job batch for the README.
#include "app/engine/scheduler.h"
#include "app/models/jobfilterproxy.h"
#include "app/models/jobtablemodel.h"
#include "testsupport.h"
#include "ui/export/exportdialog.h"
#include "ui/launch/launchpanel.h"
#include "ui/output/outputpane.h"
#include "ui/window/mainwindow.h"
#include "ui/window/summarybar.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace procdeck;
using namespace testsupport;

class TestMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        // Settings (the export dialog's memory) go to a test location.
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("procdeck-tests"));
        QSettings().clear();
    }
    void init() { failOnLeakedProcess(); }
    void launchRunSelectAndReadOutput();
    void stderrIsShownDistinct();
    void outputFollowsARunningJob();
    void badInputShowsMessageAndRunsNothing();
    void deleteKeyStopsSelectedJob();
    void parallelJobsTakesEffectWhileRunning();
    void batchFilterShowsOneBatch();
    void closingStopsEveryJob();
    void openingABatchFileRunsNothing();
    void templatePreviewAndRange();
    void exportFromTheWindow();
    void timeoutRetriesAndStdinFromThePanel();
    void screenshotAfterTenJobBatch();
    void terminalCheckboxRunsJobsOnATerminal();

private:
    static void fill(MainWindow &w, const QString &command, const QString &arguments, int runs = 1)
    {
        auto *commandEdit = w.findChild<QLineEdit *>(QStringLiteral("commandEdit"));
        commandEdit->clear();
        QTest::keyClicks(commandEdit, command);
        auto *args = w.findChild<QPlainTextEdit *>(QStringLiteral("argumentsEdit"));
        args->setPlainText(arguments);
        w.findChild<QSpinBox *>(QStringLiteral("timesSpin"))->setValue(runs);
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

void TestMainWindow::screenshotAfterTenJobBatch()
{
    Scheduler s;
    MainWindow w(&s);
    w.resize(1280, 720);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.launchPanel()->setParallelJobs(10);
    // A realistic batch: ten shell jobs that print, some fail, one is slow.
    fill(w,
         QStringLiteral("sh -c 'echo \"checking $0\"; sleep 0.$((${#0} % 4)); test ${#0} -lt 11 || "
                        "{ echo \"too long: $0\" >&2; exit 3; }'"),
         QStringLiteral("alpha.log\nbeta.log\ngamma.log\ndelta.log\nepsilon.log\nzeta.log\neta."
                        "log\ntheta.log\niota.log\nkappa.log\n"));
    QVERIFY(w.runBatch() > 0);
    QCOMPARE(w.jobTable()->model()->rowCount(), 10);
    QTRY_VERIFY_WITH_TIMEOUT(s.isIdle(), 20000);
    QTRY_VERIFY(w.summary()->text().contains(QStringLiteral("Finished in")));
    selectRow(w, 4);
    QTRY_VERIFY(!w.outputPane()->text().isEmpty());
    QTRY_VERIFY(w.jobTable()
                    ->model()
                    ->index(9, JobTableModel::Status)
                    .data()
                    .toString()
                    .startsWith(QStringLiteral("Exit")));

    const QString dir = qEnvironmentVariable("PROCDECK_SCREENSHOT_DIR", QDir::tempPath());
    QDir().mkpath(dir);
    const QString path = dir + QStringLiteral("/procdeck-window.png");
    const QImage image = w.grab().toImage();
    QVERIFY(!image.isNull());
    QVERIFY(image.save(path));
    qInfo("screenshot: %s", qPrintable(path));
    // The picture is not blank: the table drew rows in several colors.
    QSet<QRgb> colors;
    for (int y = 0; y < image.height(); y += 7)
        for (int x = 0; x < image.width(); x += 7)
            colors.insert(image.pixel(x, y));
    QVERIFY(colors.size() > 20);
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
    QVERIFY(s.store().job(1).spec.usePty);
    // Opening a saved batch sets it as the file says.
    BatchRequest plain = w.launchPanel()->request();
    plain.usePty = false;
    w.launchPanel()->setRequest(plain);
    QVERIFY(!usePty->isChecked());
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
