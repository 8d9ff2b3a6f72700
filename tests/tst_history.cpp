// History: the schema and its migration, bad databases, recording a live
// Scheduler's batch and reading it back, output caps, the sweep of dead
// sessions, pruning and clearing.
#include "app/engine/scheduler.h"
#include "app/history/historycodec.h"
#include "app/history/historydatabase.h"
#include "app/history/historyreader.h"
#include "app/history/historyrecorder.h"
#include "app/history/historywriter.h"
#include "tests/testsupport.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>

#include <unistd.h>

using namespace procdeck;
using namespace testsupport;

class HistoryTest : public QObject
{
    Q_OBJECT

    QString dbPath() const { return m_dir.filePath(QStringLiteral("history.sqlite")); }

    // Runs specs as one batch on a Scheduler that records into dbPath();
    // returns once every event is committed and the writer is closed.
    void recordBatch(std::vector<JobSpec> specs, const HistoryLimits &limits = {},
                     const std::vector<int> &seqs = {})
    {
        Scheduler scheduler;
        HistoryWriter writer(dbPath(), QStringLiteral("test"), limits);
        QString problem;
        connect(&writer, &HistoryWriter::failed, this, [&](const QString &m) { problem = m; });
        HistoryRecorder recorder(&scheduler, &writer, QStringLiteral("test"), limits);
        QSignalSpy idle(&scheduler, &Scheduler::idle);
        QVERIFY(scheduler.submit(QStringLiteral("label"), std::move(specs), {}, seqs) > 0);
        QTRY_VERIFY_WITH_TIMEOUT(idle.count() > 0, 20000);
        QVERIFY2(writer.isUsable(), qPrintable(problem));
    }

    qint64 queryInt(const QString &sql)
    {
        HistoryDatabase db;
        if (!db.open(dbPath()))
            return -1;
        QSqlQuery q(db.db());
        if (!q.exec(sql) || !q.next())
            return -1;
        return q.value(0).toLongLong();
    }

    QTemporaryDir m_dir;

private slots:
    void init() { QVERIFY(HistoryDatabase::removeFiles(dbPath())); }

    void createsSchemaInWalMode()
    {
        HistoryDatabase db;
        const Expected<void> ok = db.open(dbPath());
        QVERIFY2(ok, qPrintable(ok.error()));
        QCOMPARE(db.schemaVersion(), HistoryDatabase::kSchemaVersion);
        QSqlQuery q(db.db());
        QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next());
        QCOMPARE(q.value(0).toString().toLower(), QStringLiteral("wal"));
        QVERIFY(q.exec(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                      "AND name IN ('sessions', 'batches', 'jobs', 'outputs')")) &&
                q.next());
        QCOMPARE(q.value(0).toInt(), 4);
    }

    void newFileOpenedByManyAtOnce()
    {
        // Procdecks starting together on a new file meet where it turns to
        // WAL, a step SQLite fails at once for all but one, without its busy
        // timeout's wait; the others must wait for that one. Four openers
        // released together, many times: a miss would show.
        QStringList errors;
        QMutex mutex;
        for (int round = 0; round < 200 && errors.isEmpty(); ++round) {
            QVERIFY(HistoryDatabase::removeFiles(dbPath()));
            std::atomic<int> ready{0};
            std::vector<std::unique_ptr<QThread>> threads;
            for (int t = 0; t < 4; ++t) {
                threads.emplace_back(QThread::create([&] {
                    ++ready;
                    while (ready.load() < 4)
                        QThread::yieldCurrentThread();
                    HistoryDatabase db;
                    if (const Expected<void> ok = db.open(dbPath()); !ok) {
                        QMutexLocker lock(&mutex);
                        errors << ok.error();
                    }
                }));
                threads.back()->start();
            }
            for (const auto &thread : threads) {
                // Returning would leave it with this frame's variables.
                if (!thread->wait(60000))
                    qFatal("an open of the history database took over 60 s");
            }
        }
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1Char('\n'))));
        HistoryDatabase db;
        QVERIFY(db.open(dbPath()));
        QCOMPARE(db.schemaVersion(), HistoryDatabase::kSchemaVersion);
    }

    void migratesVersionOneAndKeepsItsRows()
    {
        {
            HistoryDatabase db;
            QVERIFY(db.open(dbPath()));
            QSqlQuery q(db.db());
            // Back to schema 1 as it was released: no last_line, no time index.
            QVERIFY(q.exec(QStringLiteral("DROP INDEX batches_by_time")));
            QVERIFY(q.exec(QStringLiteral("ALTER TABLE jobs DROP COLUMN last_line")));
            QVERIFY(q.exec(QStringLiteral("INSERT INTO batches(session_id, label, settings, "
                                          "submitted_at_ms, finished_at_ms, job_count) VALUES "
                                          "(0, 'old', '{}', 1, 2, 1)")));
            QVERIFY(q.exec(QStringLiteral("INSERT INTO jobs(batch_id, seq, state, command, spec, "
                                          "outcome, exit_code) VALUES (1, 1, 2, 'true', "
                                          "'{\"program\":\"true\"}', 1, 0)")));
            QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 1")));
        }
        HistoryReader reader;
        const Expected<void> ok = reader.open(dbPath());
        QVERIFY2(ok, qPrintable(ok.error()));
        QCOMPARE(reader.database().schemaVersion(), 2);
        Expected<std::unique_ptr<StoredJobs>> batch = reader.loadBatch(1, false);
        QVERIFY2(batch, qPrintable(batch.error()));
        QCOMPARE((*batch)->jobCount(), 1);
        QCOMPARE((*batch)->spec(0).displayCommand(), QStringLiteral("true"));
        QVERIFY((*batch)->result(0).succeeded());
        QCOMPARE((*batch)->lastLine(0), QString()); // the new column, empty
    }

    void refusesSchemaFromNewerProcdeck()
    {
        {
            HistoryDatabase db;
            QVERIFY(db.open(dbPath()));
            QSqlQuery q(db.db());
            QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 99")));
        }
        HistoryDatabase db;
        const Expected<void> ok = db.open(dbPath());
        QVERIFY(!ok);
        QVERIFY2(ok.error().contains(QStringLiteral("newer procdeck")), qPrintable(ok.error()));
        QVERIFY(ok.error().contains(dbPath()));
        HistoryDatabase again; // and left as it was
        QVERIFY(!again.open(dbPath()));
    }

    void corruptFileNamesTheProblemAndRecordingStaysOff()
    {
        QFile f(dbPath());
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(8192, 'x'));
        f.close();
        HistoryDatabase db;
        const Expected<void> ok = db.open(dbPath());
        QVERIFY(!ok);
        QVERIFY2(ok.error().contains(dbPath()), qPrintable(ok.error()));
        QVERIFY2(ok.error().contains(QStringLiteral("not a database")), qPrintable(ok.error()));

        // The writer says so once and the jobs run without it.
        Scheduler scheduler;
        HistoryWriter writer(dbPath(), QStringLiteral("test"));
        QSignalSpy failed(&writer, &HistoryWriter::failed);
        HistoryRecorder recorder(&scheduler, &writer, QStringLiteral("test"));
        QSignalSpy idle(&scheduler, &Scheduler::idle);
        scheduler.submit(QStringLiteral("x"), times(child({QStringLiteral("exit"), "0"}), 3));
        QTRY_VERIFY(idle.count() > 0);
        QTRY_COMPARE(failed.count(), 1);
        QVERIFY(!writer.isUsable());
        QVERIFY(scheduler.result(2).succeeded());
        // And clearing starts afresh.
        QVERIFY(HistoryDatabase::removeFiles(dbPath()));
        HistoryDatabase fresh;
        QVERIFY(fresh.open(dbPath()));
    }

    void unwritableFolderNamesIt()
    {
        HistoryDatabase db;
        const Expected<void> ok = db.open(QStringLiteral("/proc/procdeck-test/history.sqlite"));
        QVERIFY(!ok);
        QVERIFY2(ok.error().contains(QStringLiteral("cannot create the folder")),
                 qPrintable(ok.error()));
    }

    void readOnlyFileStillLists()
    {
        if (::geteuid() == 0)
            QSKIP("root writes read-only files");
        recordBatch(times(child({QStringLiteral("echo"), QStringLiteral("hi")}), 2));
        QFile::setPermissions(dbPath(), QFile::ReadOwner);
        HistoryReader reader;
        const Expected<void> ok = reader.open(dbPath());
        QFile::setPermissions(dbPath(), QFile::ReadOwner | QFile::WriteOwner);
        QVERIFY2(ok, qPrintable(ok.error()));
        QVERIFY(reader.isReadOnly());
        QCOMPARE(reader.listBatches()->size(), 1);
    }

    void recordsEveryJobWithResultAndOutput()
    {
        std::vector<JobSpec> specs;
        specs.push_back(child({QStringLiteral("echo"), QStringLiteral("hello")}));
        specs.push_back(child({QStringLiteral("exit"), QStringLiteral("3")}));
        specs.push_back(child({QStringLiteral("stderr"), QStringLiteral("oops")}));
        specs.push_back(child({QStringLiteral("binary")}));
        recordBatch(std::move(specs));

        HistoryReader reader;
        QVERIFY(reader.open(dbPath()));
        const Expected<QList<StoredBatchSummary>> list = reader.listBatches();
        QVERIFY2(list, qPrintable(list.error()));
        QCOMPARE(list->size(), 1);
        const StoredBatchSummary &s = list->first();
        QCOMPARE(s.label, QStringLiteral("label"));
        QCOMPARE(s.origin, QStringLiteral("test"));
        QCOMPARE(s.jobCount, 4);
        QCOMPARE(s.succeeded, 3);
        QCOMPARE(s.failed, 1);
        QVERIFY(s.isFinished());
        QVERIFY(s.wallTimeMs() >= 0);

        Expected<std::unique_ptr<StoredJobs>> batch = reader.loadBatch(s.id, true);
        QVERIFY2(batch, qPrintable(batch.error()));
        const StoredJobs &jobs = **batch;
        QCOMPARE(jobs.jobCount(), 4);
        QCOMPARE(jobs.result(1).exitCode, 3);
        QCOMPARE(jobs.result(1).outcome, Outcome::Exited);
        QVERIFY(jobs.result(0).pid > 0);
        QVERIFY(jobs.result(0).startedAtMs > 0);
        QVERIFY(jobs.result(0).cpuNs >= 0);
        QCOMPARE(jobs.output(0)->rawBytes(Stream::Stdout), QByteArray("hello\n"));
        QCOMPARE(jobs.lastLine(0), QStringLiteral("hello"));
        QCOMPARE(jobs.output(2)->rawBytes(Stream::Stderr), QByteArray("oops\n"));
        QByteArray all(256, 0);
        for (int i = 0; i < 256; ++i)
            all[i] = char(i);
        QCOMPARE(jobs.output(3)->rawBytes(Stream::Stdout), all); // every byte
        QVERIFY(!jobs.output(1));                                // printed nothing
        QCOMPARE(jobs.specsToRerun(true).size(), size_t(1));
        QCOMPARE(jobs.specsToRerun(false).size(), size_t(4));
        QCOMPARE(jobs.batch(1).failed, 1);
    }

    void keepsTheLastBytesOfLongOutputAndMarksTheCut()
    {
        HistoryLimits limits;
        limits.streamBytes = 1000;
        recordBatch({child({QStringLiteral("lines"), QStringLiteral("1000")})}, limits);
        HistoryReader reader;
        QVERIFY(reader.open(dbPath()));
        Expected<std::unique_ptr<StoredJobs>> batch =
            reader.loadBatch(reader.latestBatchId().value(), true);
        QVERIFY(batch);
        const QByteArray kept = (*batch)->output(0)->rawBytes(Stream::Stdout);
        QCOMPARE(kept.size(), 1000);
        QVERIFY(kept.endsWith("line 1000\n"));
        const qint64 total = 1000 * 5 + 9 * 1 + 90 * 2 + 900 * 3 + 1 * 4 + 1000; // "line N\n"
        QCOMPARE((*batch)->cutBytes(0, Stream::Stdout), total - 1000);
    }

    void sweepsJobsOfADeadSession()
    {
        // A session whose process is gone: a child that was started and reaped.
        QProcess gone;
        gone.start(QStringLiteral("true"), {});
        QVERIFY(gone.waitForFinished());
        const qint64 deadPid = gone.processId() > 0 ? gone.processId() : 999999;
        {
            HistoryDatabase db;
            QVERIFY(db.open(dbPath()));
            QSqlQuery q(db.db());
            QVERIFY(q.exec(QStringLiteral("INSERT INTO sessions(id, pid, proc_start, boot_id, "
                                          "origin, started_at_ms, last_seen_ms) VALUES "
                                          "(7, 999999, 1, '%1', 'run', 1000, 5000)")
                               .arg(HistoryDatabase::bootId())));
            QVERIFY(q.exec(QStringLiteral("INSERT INTO batches(id, session_id, label, settings, "
                                          "submitted_at_ms, job_count) VALUES "
                                          "(3, 7, 'crashed', '{}', 1000, 3)")));
            for (const char *row :
                 {"(3, 1, 2, 'a', '{}', 1, 0, 1000)", "(3, 2, 1, 'b', '{}', 0, -1, 2000)",
                  "(3, 3, 0, 'c', '{}', 0, -1, 0)"}) {
                QVERIFY(q.exec(QStringLiteral("INSERT INTO jobs(batch_id, seq, state, command, "
                                              "spec, outcome, exit_code, started_at_ms) VALUES ") +
                               QLatin1String(row)));
            }
        }
        Q_UNUSED(deadPid);
        HistoryReader reader; // opening sweeps
        QVERIFY(reader.open(dbPath()));
        const Expected<QList<StoredBatchSummary>> list = reader.listBatches();
        QVERIFY(list && list->size() == 1);
        QVERIFY(list->first().isFinished());
        QCOMPARE(list->first().succeeded, 1);
        QCOMPARE(list->first().interrupted, 1);
        QCOMPARE(list->first().canceled, 1);
        Expected<std::unique_ptr<StoredJobs>> batch = reader.loadBatch(3, false);
        QVERIFY(batch);
        QCOMPARE((*batch)->result(1).outcome, Outcome::Interrupted);
        QCOMPARE(describeOutcome((*batch)->result(1)), QStringLiteral("Interrupted"));
        QCOMPARE((*batch)->result(1).runtimeNs, qint64(3000) * 1000000); // until last seen
        QCOMPARE((*batch)->state(1), JobState::Finished);
        QCOMPARE((*batch)->result(2).outcome, Outcome::Canceled);
        QVERIFY((*batch)->result(1).failed());
    }

    void liveSessionIsNotSwept()
    {
        // This process's own session, still open: a second writer (the
        // window beside procdeck run) must leave its running jobs alone.
        Scheduler scheduler;
        HistoryWriter writer(dbPath(), QStringLiteral("test"));
        HistoryRecorder recorder(&scheduler, &writer, QStringLiteral("test"));
        scheduler.submit(QStringLiteral("long"), {child({QStringLiteral("sleep"), "60000"})});
        // Batch and start committed (a loaded machine can take a while).
        QTRY_VERIFY_WITH_TIMEOUT(writer.committedEvents() >= 2, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(
            queryInt(QStringLiteral("SELECT count(*) FROM jobs WHERE state = 1")) == 1, 30000);
        HistoryReader other; // opens and sweeps
        QVERIFY(other.open(dbPath()));
        QCOMPARE(other.listBatches()->first().running, 1);
        scheduler.killAll();
        QTRY_VERIFY(scheduler.isIdle());
    }

    void concurrentWritersKeepEverything()
    {
        // Two `procdeck run`s and the window's writer (this process), all
        // starting on a new file at once: the schema is made once, and no
        // writer loses a row to another's lock.
        const int perBatch = 80;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PROCDECK_HISTORY"), dbPath());
        QProcess runs[2];
        const auto guard = qScopeGuard([&runs] {
            for (QProcess &run : runs)
                killProcessTree(run);
        });
        for (int r = 0; r < 2; ++r) {
            QStringList args{
                QStringLiteral("run"),  QStringLiteral("-j4"),          childPath(),
                QStringLiteral("echo"), QStringLiteral("run%1").arg(r), QStringLiteral("{}"),
                QStringLiteral(":::")};
            for (int i = 1; i <= perBatch; ++i)
                args << QString::number(i);
            runs[r].setProcessEnvironment(env);
            runs[r].setStandardInputFile(QProcess::nullDevice());
            startsOwnProcessGroup(runs[r]);
            runs[r].start(QStringLiteral(PROCDECK_BIN), args);
        }
        {
            Scheduler window;
            HistoryWriter writer(dbPath(), QStringLiteral("window"));
            QSignalSpy failed(&writer, &HistoryWriter::failed);
            HistoryRecorder recorder(&window, &writer, QStringLiteral("window"));
            window.setMaxParallel(4);
            window.submit(
                QStringLiteral("W"),
                times(child({QStringLiteral("echo"), QStringLiteral("window")}), perBatch));
            QTRY_VERIFY_WITH_TIMEOUT(window.isIdle() && runs[0].state() == QProcess::NotRunning &&
                                         runs[1].state() == QProcess::NotRunning,
                                     120000);
            // Its batch's end is its last event: committed, all is.
            QTRY_VERIFY2_WITH_TIMEOUT(
                queryInt(QStringLiteral("SELECT count(*) FROM batches b JOIN sessions s ON "
                                        "s.id = b.session_id WHERE s.origin = 'window' AND "
                                        "b.finished_at_ms IS NOT NULL")) == 1,
                qPrintable(QStringLiteral("window writer: %1 events committed, %2")
                               .arg(writer.committedEvents())
                               .arg(failed.isEmpty() ? QStringLiteral("no failure")
                                                     : failed.value(0).value(0).toString())),
                30000);
            QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
            QVERIFY(writer.isUsable());
        }
        for (QProcess &run : runs) {
            const QString errors = QString::fromLocal8Bit(run.readAllStandardError());
            QCOMPARE(run.exitStatus(), QProcess::NormalExit);
            QVERIFY2(run.exitCode() == 0, qPrintable(errors));
            QVERIFY2(!errors.contains(QStringLiteral("history")) &&
                         !errors.contains(QStringLiteral("locked")),
                     qPrintable(errors));
        }

        // Three sessions, each ended; three whole batches, one each.
        QCOMPARE(queryInt(QStringLiteral("SELECT count(*) FROM sessions WHERE ended_at_ms IS "
                                         "NOT NULL")),
                 qint64(3));
        QCOMPARE(queryInt(QStringLiteral("SELECT count(*) FROM sessions WHERE origin = 'run'")),
                 qint64(2));
        HistoryReader reader;
        QVERIFY(reader.open(dbPath()));
        const Expected<QList<StoredBatchSummary>> list = reader.listBatches();
        QVERIFY2(list, qPrintable(list.error()));
        QCOMPARE(list->size(), 3);
        QStringList seen;
        for (const StoredBatchSummary &s : *list) {
            QVERIFY(s.isFinished());
            QCOMPARE(s.jobCount, perBatch);
            QCOMPARE(s.succeeded, perBatch);
            QCOMPARE(s.failed + s.canceled + s.interrupted + s.running, 0);
            Expected<std::unique_ptr<StoredJobs>> batch = reader.loadBatch(s.id, true);
            QVERIFY2(batch, qPrintable(batch.error()));
            const StoredJobs &jobs = **batch;
            QCOMPARE(jobs.jobCount(), perBatch);
            // Each job's own output, whichever writer stored it.
            const QString who = jobs.spec(0).arguments.value(1);
            seen << s.origin + QLatin1Char(':') + who;
            for (int i = 0; i < perBatch; ++i) {
                QCOMPARE(jobs.seq(i), i + 1);
                QVERIFY(jobs.result(i).succeeded());
                QVERIFY(jobs.result(i).pid > 0);
                QByteArray expected = who.toUtf8();
                if (s.origin == QLatin1String("run"))
                    expected += ' ' + QByteArray::number(i + 1);
                QVERIFY(jobs.output(i));
                QCOMPARE(jobs.output(i)->rawBytes(Stream::Stdout), expected + '\n');
            }
        }
        seen.sort();
        QCOMPARE(seen, QStringList({QStringLiteral("run:run0"), QStringLiteral("run:run1"),
                                    QStringLiteral("window:window")}));
    }

    void prunesOldestBatchesPastTheSizeLimit()
    {
        // Random bytes do not compress: each batch stores about 300 KiB.
        const QString file = m_dir.filePath(QStringLiteral("noise"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QByteArray noise(300 * 1024, 0);
        QRandomGenerator gen(7);
        for (char &c : noise)
            c = char(gen.bounded(256));
        f.write(noise);
        f.close();
        HistoryLimits limits;
        limits.totalBytes = 700 * 1024;
        for (int i = 0; i < 4; ++i)
            recordBatch({shell(QStringLiteral("cat '%1'").arg(file))}, limits);
        HistoryReader reader;
        QVERIFY(reader.open(dbPath()));
        const QList<StoredBatchSummary> left = reader.listBatches().value();
        QVERIFY2(left.size() >= 1 && left.size() <= 2, qPrintable(QString::number(left.size())));
        QCOMPARE(left.first().id, qint64(4)); // the newest stays
        QVERIFY(reader.database().usedBytes() <= limits.totalBytes);
    }

    void clearRemovesFinishedBatches()
    {
        recordBatch(times(child({QStringLiteral("echo"), "x"}), 3));
        recordBatch(times(child({QStringLiteral("echo"), "y"}), 3));
        HistoryReader reader;
        QVERIFY(reader.open(dbPath()));
        QCOMPARE(reader.listBatches()->size(), 2);
        const Expected<int> cleared = reader.database().clear();
        QVERIFY2(cleared, qPrintable(cleared.error()));
        QCOMPARE(*cleared, 2);
        QCOMPARE(reader.listBatches()->size(), 0);
        QCOMPARE(queryInt(QStringLiteral("SELECT count(*) FROM jobs")), qint64(0));
    }

    void searchMatchesJobCommands()
    {
        recordBatch({shell(QStringLiteral("echo needle-in-haystack"))});
        recordBatch({shell(QStringLiteral("echo other"))});
        HistoryReader reader;
        QVERIFY(reader.open(dbPath()));
        QCOMPARE(reader.listBatches(QStringLiteral("NEEDLE"))->size(), 1);
        QCOMPARE(reader.listBatches(QStringLiteral("echo"))->size(), 2);
        QCOMPARE(reader.listBatches(QStringLiteral("100%"))->size(), 0); // % is literal
    }

    void procdeckRunNoHistoryRecordsNothing()
    {
        QProcess run;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PROCDECK_HISTORY"), dbPath());
        run.setProcessEnvironment(env);
        run.setStandardInputFile(QProcess::nullDevice());
        run.start(QStringLiteral(PROCDECK_BIN),
                  {QStringLiteral("run"), QStringLiteral("--no-history"), QStringLiteral("true"),
                   QStringLiteral(":::"), QStringLiteral("1")});
        QVERIFY(run.waitForFinished());
        QCOMPARE(run.exitCode(), 0);
        QVERIFY(!QFile::exists(dbPath()));
        run.setArguments({QStringLiteral("run"), QStringLiteral("true"), QStringLiteral(":::"),
                          QStringLiteral("1"), QStringLiteral("2")});
        run.start();
        QVERIFY(run.waitForFinished());
        QCOMPARE(run.exitCode(), 0);
        QCOMPARE(queryInt(QStringLiteral("SELECT count(*) FROM jobs WHERE state = 2")), qint64(2));
    }

    void resumedBatchKeepsItsSeqs()
    {
        // procdeck run --resume submits the jobs left under their own Seqs:
        // recorded, and each one's end found, by them.
        recordBatch(times(child({QStringLiteral("echo"), QStringLiteral("hi")}), 2), {}, {3, 7});
        QCOMPARE(queryInt(QStringLiteral("SELECT min(seq) FROM jobs")), qint64(3));
        QCOMPARE(queryInt(QStringLiteral("SELECT max(seq) FROM jobs")), qint64(7));
        QCOMPARE(queryInt(QStringLiteral("SELECT count(*) FROM jobs WHERE state = 2")), qint64(2));
    }

    void streamedBatchIsRecordedAsItsJobsCome()
    {
        // A batch whose jobs come from a source, a few at a time (as
        // procdeck run reads stdin): one batch row, its count growing, every
        // job under its own Seq.
        Scheduler scheduler;
        scheduler.setMaxParallel(2);
        scheduler.setLookahead(1); // parts of at most 3 jobs
        HistoryWriter writer(dbPath(), QStringLiteral("test"));
        HistoryRecorder recorder(&scheduler, &writer, QStringLiteral("test"));
        QSignalSpy added(&scheduler, &JobQuery::jobsAdded);
        const int jobs = 10;
        const int batchId = scheduler.submitSource(
            QStringLiteral("streamed"),
            std::make_unique<ListJobSource>(
                times(child({QStringLiteral("echo"), QStringLiteral("hi")}), jobs),
                std::vector<int>()));
        QTRY_VERIFY(scheduler.isIdle());
        QVERIFY(added.size() > 2); // it came in parts
        QCOMPARE(scheduler.batch(batchId).jobCount, jobs);
        QTRY_VERIFY_WITH_TIMEOUT(
            queryInt(QStringLiteral("SELECT count(*) FROM batches WHERE finished_at_ms IS NOT "
                                    "NULL")) == 1,
            30000);
        QCOMPARE(queryInt(QStringLiteral("SELECT count(*) FROM batches")), qint64(1));
        QCOMPARE(queryInt(QStringLiteral("SELECT job_count FROM batches")), qint64(jobs));
        QCOMPARE(queryInt(QStringLiteral("SELECT count(DISTINCT seq) FROM jobs WHERE state = 2 "
                                         "AND seq BETWEEN 1 AND %1")
                              .arg(jobs)),
                 qint64(jobs));
    }

    void specCodecRoundTrips()
    {
        JobSpec s;
        s.pipeline = {Stage{QStringLiteral("a"), {QStringLiteral("x y")}},
                      Stage{QStringLiteral("b"), {}}};
        s.inputValues = {QStringLiteral("é"), QString()};
        s.environment = {QStringLiteral("K=V")};
        s.timeoutMs = 1500;
        s.termSequence = {KillStep{15, 200}, KillStep{9, 0}};
        s.hasStdinData = true;
        s.stdinData = QByteArray("\0\x01\xff", 3);
        s.usePty = true;
        s.setsNice = true;
        s.nice = 7;
        const JobSpec back = HistoryCodec::decodeSpec(HistoryCodec::encodeSpec(s));
        QCOMPARE(back.pipeline.size(), 2);
        QCOMPARE(back.pipeline[0].arguments, QStringList{QStringLiteral("x y")});
        QCOMPARE(back.inputValues, s.inputValues);
        QCOMPARE(back.environment, s.environment);
        QCOMPARE(back.timeoutMs, 1500);
        QCOMPARE(back.termSequence.size(), 2);
        QCOMPARE(back.termSequence[1].signal, 9);
        QCOMPARE(back.stdinData, s.stdinData);
        QVERIFY(back.usePty);
        QVERIFY(back.setsNice);
        QCOMPARE(back.nice, 7);
        QVERIFY(!HistoryCodec::decodeSpec(HistoryCodec::encodeSpec(JobSpec())).setsNice);
        QCOMPARE(back.displayCommand(), s.displayCommand());

        BatchSettings settings;
        settings.options.attempts = 3;
        settings.options.halt = HaltPolicy::parse(QStringLiteral("soon,fail=20%")).value();
        settings.maxParallel = 8;
        const BatchSettings b =
            HistoryCodec::decodeSettings(HistoryCodec::encodeSettings(settings));
        QCOMPARE(b.options.attempts, 3);
        QCOMPARE(b.options.halt.when, HaltPolicy::When::Soon);
        QCOMPARE(b.options.halt.percent, settings.options.halt.percent);
        QCOMPARE(b.maxParallel, 8);
    }

    void sizesParse()
    {
        QCOMPARE(HistoryLimits::parseSize(QStringLiteral("16M")), qint64(16) << 20);
        QCOMPARE(HistoryLimits::parseSize(QStringLiteral("2GiB")), qint64(2) << 30);
        QCOMPARE(HistoryLimits::parseSize(QStringLiteral("500")), qint64(500));
        QCOMPARE(HistoryLimits::parseSize(QStringLiteral("lots")), qint64(-1));
    }
};

QTEST_GUILESS_MAIN(HistoryTest)
#include "tst_history.moc"
