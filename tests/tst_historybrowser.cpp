// The window's way into history, without widgets: HistoryBrowser answers
// lists, batches, output, exports and clears from its own thread, with the
// ticket of each request; HistoryListModel keeps unchanged rows (and so a
// selection) across refreshes.
#include "app/engine/scheduler.h"
#include "app/history/historybrowser.h"
#include "app/history/historyrecorder.h"
#include "app/history/historywriter.h"
#include "app/models/historylistmodel.h"
#include "tests/testsupport.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace procdeck;
using namespace testsupport;

Q_DECLARE_METATYPE(std::shared_ptr<procdeck::StoredJobs>)

class HistoryBrowserTest : public QObject
{
    Q_OBJECT

    QString dbPath() const { return m_dir.filePath(QStringLiteral("history.sqlite")); }

    void recordBatch(const QString &label, std::vector<JobSpec> specs)
    {
        Scheduler scheduler;
        HistoryWriter writer(dbPath(), QStringLiteral("window"));
        HistoryRecorder recorder(&scheduler, &writer, QStringLiteral("window"));
        QSignalSpy idle(&scheduler, &Scheduler::idle);
        QVERIFY(scheduler.submit(label, std::move(specs)) > 0);
        QTRY_VERIFY_WITH_TIMEOUT(idle.count() > 0, 20000);
        QVERIFY2(writer.isUsable(), qPrintable(writer.errorString()));
    }

    QTemporaryDir m_dir;

private slots:
    void init() { QVERIFY(HistoryDatabase::removeFiles(dbPath())); }

    void listsOpensLoadsOutputExportsAndClears()
    {
        recordBatch(QStringLiteral("first"), {shell(QStringLiteral("echo hello; exit 3")),
                                              shell(QStringLiteral("echo fine"))});
        recordBatch(QStringLiteral("second"), {shell(QStringLiteral("true"))});
        HistoryBrowser browser(dbPath());

        QSignalSpy listed(&browser, &HistoryBrowser::batchesListed);
        QSignalSpy failed(&browser, &HistoryBrowser::failed);
        const int listTicket = browser.listBatches({});
        QTRY_COMPARE(listed.count(), 1);
        QCOMPARE(listed[0][0].toInt(), listTicket);
        const auto batches = listed[0][1].value<QList<StoredBatchSummary>>();
        QCOMPARE(batches.size(), 2);
        QCOMPARE(batches[0].label, QStringLiteral("second")); // newest first
        QCOMPARE(batches[1].failed, 1);
        const qint64 first = batches[1].id;

        // The batch comes back as jobs that live on this thread.
        std::shared_ptr<StoredJobs> jobs;
        connect(&browser, &HistoryBrowser::batchOpened, this,
                [&](int, std::shared_ptr<StoredJobs> j) { jobs = std::move(j); });
        browser.openBatch(first);
        QTRY_VERIFY(jobs != nullptr);
        QCOMPARE(jobs->thread(), QThread::currentThread());
        QCOMPARE(jobs->jobCount(), 2);
        QCOMPARE(jobs->result(0).exitCode, 3);
        QVERIFY(jobs->hasOutput(0));
        QVERIFY(!jobs->isOutputLoaded(0));

        QSignalSpy output(&browser, &HistoryBrowser::outputLoaded);
        browser.loadOutput(first, jobs->seq(0));
        QTRY_COMPARE(output.count(), 1);
        const auto kept = output[0][3].value<StoredOutput>();
        QCOMPARE(kept.stdoutKept.bytes, QByteArray("hello\n"));
        jobs->setOutput(0, kept);
        QVERIFY(jobs->output(0) != nullptr);

        // Export with output, read back from the database on its thread.
        QSignalSpy exported(&browser, &HistoryBrowser::exported);
        const QString joblog = m_dir.filePath(QStringLiteral("joblog"));
        browser.exportBatch(first, {}, ExportFormat::Joblog, joblog);
        QTRY_COMPARE(exported.count(), 1);
        QFile log(joblog);
        QVERIFY(log.open(QIODevice::ReadOnly));
        QCOMPARE(log.readAll().trimmed().split('\n').size(), 3); // header + two jobs
        const QString results = m_dir.filePath(QStringLiteral("out"));
        browser.exportBatch(first, {0}, ExportFormat::ResultsFolder, results);
        QTRY_COMPARE(exported.count(), 2);
        QFile out(results + QStringLiteral("/1/stdout")); // a job without input values

        QVERIFY2(out.open(QIODevice::ReadOnly), qPrintable(out.fileName()));
        QCOMPARE(out.readAll(), QByteArray("hello\n"));

        // Bad requests fail with their ticket and a message naming them.
        const int noJob = browser.exportBatch(first, {7}, ExportFormat::Csv,
                                              m_dir.filePath(QStringLiteral("x.csv")));
        QTRY_COMPARE(failed.count(), 1);
        QCOMPARE(failed[0][0].toInt(), noJob);
        QVERIFY(failed[0][1].toString().contains(QStringLiteral("no job 8")));
        const int unwritable =
            browser.exportBatch(first, {}, ExportFormat::Csv, QStringLiteral("/proc/nope/x.csv"));
        QTRY_COMPARE(failed.count(), 2);
        QCOMPARE(failed[1][0].toInt(), unwritable);
        QVERIFY2(failed[1][1].toString().contains(QStringLiteral("/proc/nope")),
                 qPrintable(failed[1][1].toString()));

        QSignalSpy cleared(&browser, &HistoryBrowser::cleared);
        browser.clear();
        QTRY_COMPARE(cleared.count(), 1);
        QCOMPARE(cleared[0][1].toInt(), 2);
        browser.listBatches({});
        QTRY_COMPARE(listed.count(), 2);
        QVERIFY(listed[1][1].value<QList<StoredBatchSummary>>().isEmpty());
    }

    void corruptDatabaseFailsEveryRequestWithItsName()
    {
        {
            QFile f(dbPath());
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray("not sqlite at all ").repeated(300));
        }
        HistoryBrowser browser(dbPath());
        QSignalSpy failed(&browser, &HistoryBrowser::failed);
        const int a = browser.listBatches({});
        const int b = browser.openBatch(1);
        QTRY_COMPARE(failed.count(), 2);
        QCOMPARE(failed[0][0].toInt(), a);
        QCOMPARE(failed[1][0].toInt(), b);
        QVERIFY2(failed[0][1].toString().contains(dbPath()), qPrintable(failed[0][1].toString()));
    }

    void destroyingWithRequestsQueuedDropsThem()
    {
        recordBatch(QStringLiteral("x"), {shell(QStringLiteral("true"))});
        const QStringList connections = QSqlDatabase::connectionNames();
        int answers = 0;
        {
            HistoryBrowser browser(dbPath());
            connect(&browser, &HistoryBrowser::batchesListed, this, [&] { ++answers; });
            for (int i = 0; i < 50; ++i)
                browser.listBatches({});
        }
        QCoreApplication::processEvents();
        QCOMPARE(answers, 0); // nothing answered after the browser went
        // Its reader's connection went with it, closed on its own thread.
        QCOMPARE(QSqlDatabase::connectionNames(), connections);
        {
            HistoryBrowser idle(dbPath());
            QSignalSpy listed(&idle, &HistoryBrowser::batchesListed);
            idle.listBatches({});
            QTRY_COMPARE(listed.count(), 1);
            QCOMPARE(QSqlDatabase::connectionNames().size(), connections.size() + 1);
        }
        QCOMPARE(QSqlDatabase::connectionNames(), connections);
    }

    void listModelKeepsUnchangedRows()
    {
        HistoryListModel model;
        QAbstractItemModelTester tester(&model);
        auto batch = [](qint64 id, int ok) {
            StoredBatchSummary b;
            b.id = id;
            b.label = QStringLiteral("batch %1").arg(id);
            b.jobCount = 3;
            b.succeeded = ok;
            b.submittedAtMs = 1000 * id;
            return b;
        };
        model.setBatches({batch(2, 0), batch(1, 3)});
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QPersistentModelIndex second = model.index(1, 0);
        // A new batch on top, the running one's counts moved.
        model.setBatches({batch(3, 0), batch(2, 2), batch(1, 3)});
        QCOMPARE(reset.count(), 0);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(second.row(), 2); // the old row moved down, kept
        QCOMPARE(model.rowOf(2), 1);
        QCOMPARE(model.index(1, HistoryListModel::Succeeded).data().toInt(), 2);
        QCOMPARE(model.index(0, HistoryListModel::Id).data().toString(), QStringLiteral("#3"));
        // Another list altogether (a search): reset.
        model.setBatches({batch(1, 3)});
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 1);
    }

    void wallTimesReadAsPeopleSayThem()
    {
        QCOMPARE(HistoryListModel::formatWall(25), QStringLiteral("25 ms"));
        QCOMPARE(HistoryListModel::formatWall(12'340), QStringLiteral("12.3 s"));
        QCOMPARE(HistoryListModel::formatWall(245'000), QStringLiteral("4 min 05 s"));
        QCOMPARE(HistoryListModel::formatWall(7'380'000), QStringLiteral("2 h 03 min"));
    }
};

QTEST_GUILESS_MAIN(HistoryBrowserTest)
#include "tst_historybrowser.moc"
