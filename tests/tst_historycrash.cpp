// History across a crash: `procdeck run` killed with SIGKILL in the middle
// of a batch has committed every job that had ended, and the next procdeck
// to start marks the jobs it left running Interrupted and those it left
// queued Canceled, so nothing reads as lost, still running or succeeded.
#include "app/history/historydatabase.h"
#include "app/history/historyreader.h"
#include "tests/testsupport.h"

#include <QProcess>
#include <QScopeGuard>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <csignal>

using namespace procdeck;
using namespace testsupport;

class HistoryCrashTest : public QObject
{
    Q_OBJECT

    QString dbPath() const { return m_dir.filePath(QStringLiteral("history.sqlite")); }

    // The jobs' rows as the file holds them, read on a read-only connection
    // that is closed again at once: it never migrates, sweeps or writes, so
    // polling cannot change what procdeck or its successor do. Empty until
    // procdeck made the schema.
    struct JobRow
    {
        int seq = 0;
        int state = -1;
        int outcome = -1;
        qint64 pid = 0;
    };
    QList<JobRow> jobRows() const
    {
        QList<JobRow> rows;
        HistoryDatabase db;
        if (!db.openReadOnly(dbPath()))
            return rows;
        QSqlQuery q(db.db());
        if (!q.exec(QStringLiteral("SELECT seq, state, outcome, pid FROM jobs ORDER BY "
                                   "batch_id, seq")))
            return rows;
        while (q.next())
            rows.append(JobRow{q.value(0).toInt(), q.value(1).toInt(), q.value(2).toInt(),
                               q.value(3).toLongLong()});
        return rows;
    }
    static int countState(const QList<JobRow> &rows, int state)
    {
        return int(std::count_if(rows.begin(), rows.end(),
                                 [state](const JobRow &r) { return r.state == state; }));
    }
    static int runningWithPid(const QList<JobRow> &rows)
    {
        return int(std::count_if(rows.begin(), rows.end(),
                                 [](const JobRow &r) { return r.state == 1 && r.pid > 0; }));
    }
    static QString describeRows(const QList<JobRow> &rows)
    {
        QStringList out;
        for (const JobRow &r : rows)
            out << QStringLiteral("%1:state %2 pid %3").arg(r.seq).arg(r.state).arg(r.pid);
        return QStringLiteral("jobs in the file: [%1]").arg(out.join(QStringLiteral(", ")));
    }

    void startRun(QProcess &p, const QStringList &args) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PROCDECK_HISTORY"), dbPath());
        p.setProcessEnvironment(env);
        p.setStandardInputFile(QProcess::nullDevice());
        startsOwnProcessGroup(p);
        p.start(QStringLiteral(PROCDECK_BIN), QStringList{QStringLiteral("run")} + args);
    }

    QTemporaryDir m_dir;

private slots:
    void init()
    {
        failOnLeakedProcess();
        QVERIFY(HistoryDatabase::removeFiles(dbPath()));
    }

    void sigkillMidBatchKeepsFinishedJobs()
    {
        // -j2 on six jobs: 1 to 3 end at once, 4 and 5 then hang in both
        // slots, and 6 waits for a slot that never frees.
        QProcess run;
        startRun(run, {QStringLiteral("-j2"), childPath(), QStringLiteral("{1}"),
                       QStringLiteral("{2}"), QStringLiteral(":::"), QStringLiteral("echo"),
                       QStringLiteral("exit"), QStringLiteral("echo"), QStringLiteral("hang"),
                       QStringLiteral("hang"), QStringLiteral("echo"), QStringLiteral(":::+"),
                       QStringLiteral("one"), QStringLiteral("3"), QStringLiteral("three"),
                       QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("six")});
        // Whatever fails below, procdeck and its jobs die and are reaped.
        const auto guard = qScopeGuard([&run] { killProcessTree(run); });
        QVERIFY2(run.waitForStarted(30000), qPrintable(run.errorString()));

        // Until the three ends and the two starts, with their pids, are
        // committed (procdeck commits every 20 ms; a loaded machine can take
        // a while). Not longer: Qt Test waits twice as long again on failure,
        // and ctest gives the whole suite 300 s.
        QList<JobRow> rows;
        QTRY_VERIFY2_WITH_TIMEOUT(
            (rows = jobRows(), countState(rows, 2) == 3 && runningWithPid(rows) == 2 &&
                                   run.state() == QProcess::Running),
            qPrintable(describeRows(rows) + QStringLiteral(", procdeck stderr: ") +
                       QString::fromLocal8Bit(run.readAllStandardError())),
            30000);

        // kill -9: procdeck gets no chance to write anything more.
        const QList<qint64> jobGroups = killProcessTree(run);
        QCOMPARE(run.exitStatus(), QProcess::CrashExit);
        // The two hanging jobs, each its own group (its pid): history names
        // them, so after a crash the jobs that outlived procdeck can be found.
        QList<qint64> recordedPids{rows[3].pid, rows[4].pid};
        QList<qint64> killedGroups = jobGroups;
        std::sort(recordedPids.begin(), recordedPids.end());
        std::sort(killedGroups.begin(), killedGroups.end());
        QCOMPARE(killedGroups, recordedPids);
        for (qint64 group : jobGroups)
            QTRY_VERIFY_WITH_TIMEOUT(groupMembers(group).isEmpty(), 30000);

        // As procdeck left the file: the ended jobs are in, the hanging
        // ones still read as running, the last one as queued.
        rows = jobRows();
        QCOMPARE(rows.size(), 6);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(rows[i].state, 2);
        QCOMPARE(rows[3].state, 1);
        QCOMPARE(rows[4].state, 1);
        QCOMPARE(rows[5].state, 0);

        // The next procdeck to start sweeps the dead session.
        QProcess next;
        startRun(next, {childPath(), QStringLiteral("exit"), QStringLiteral("{}"),
                        QStringLiteral(":::"), QStringLiteral("0")});
        const auto nextGuard = qScopeGuard([&next] { killProcessTree(next); });
        QVERIFY2(next.waitForFinished(30000), qPrintable(next.errorString()));
        QCOMPARE(next.exitStatus(), QProcess::NormalExit);
        QCOMPARE(next.exitCode(), 0);
        const QString nextErrors = QString::fromLocal8Bit(next.readAllStandardError());
        QVERIFY2(!nextErrors.contains(QStringLiteral("history")), qPrintable(nextErrors));
        rows = jobRows(); // still read-only: what the restart wrote, not this test
        QCOMPARE(rows.size(), 7);
        QCOMPARE(rows[3].state, 2);
        QCOMPARE(rows[3].outcome, int(Outcome::Interrupted));
        QCOMPARE(rows[4].outcome, int(Outcome::Interrupted));
        QCOMPARE(rows[5].outcome, int(Outcome::Canceled));

        // And it all reads back as the history list and the window show it.
        HistoryReader reader;
        const Expected<void> opened = reader.open(dbPath());
        QVERIFY2(opened, qPrintable(opened.error()));
        const Expected<QList<StoredBatchSummary>> list = reader.listBatches();
        QVERIFY2(list, qPrintable(list.error()));
        QCOMPARE(list->size(), 2);
        const StoredBatchSummary &crashed = list->last(); // newest first
        QCOMPARE(crashed.origin, QStringLiteral("run"));
        QVERIFY(crashed.isFinished());
        QCOMPARE(crashed.jobCount, 6);
        QCOMPARE(crashed.succeeded, 2);
        QCOMPARE(crashed.failed, 1);
        QCOMPARE(crashed.interrupted, 2);
        QCOMPARE(crashed.canceled, 1);
        QCOMPARE(crashed.running, 0);
        QVERIFY(list->first().isFinished());
        QCOMPARE(list->first().succeeded, 1);

        Expected<std::unique_ptr<StoredJobs>> batch = reader.loadBatch(crashed.id, true);
        QVERIFY2(batch, qPrintable(batch.error()));
        const StoredJobs &jobs = **batch;
        QCOMPARE(jobs.jobCount(), 6);
        QVERIFY(jobs.result(0).succeeded());
        QCOMPARE(jobs.output(0)->rawBytes(Stream::Stdout), QByteArray("one\n"));
        QCOMPARE(jobs.lastLine(0), QStringLiteral("one"));
        QCOMPARE(jobs.result(1).outcome, Outcome::Exited);
        QCOMPARE(jobs.result(1).exitCode, 3);
        QVERIFY(!jobs.output(1)); // printed nothing
        QVERIFY(jobs.result(2).succeeded());
        QCOMPARE(jobs.output(2)->rawBytes(Stream::Stdout), QByteArray("three\n"));
        for (int i : {3, 4}) {
            QCOMPARE(jobs.state(i), JobState::Finished);
            QCOMPARE(jobs.result(i).outcome, Outcome::Interrupted);
            QCOMPARE(describeOutcome(jobs.result(i)), QStringLiteral("Interrupted"));
            QVERIFY(!jobs.result(i).succeeded());
            QVERIFY(jobs.result(i).failed());
            QVERIFY(jobs.result(i).pid > 0);
            QVERIFY(jobs.result(i).startedAtMs > 0);
        }
        QCOMPARE(jobs.state(5), JobState::Finished);
        QCOMPARE(jobs.result(5).outcome, Outcome::Canceled);
        QCOMPARE(jobs.result(5).pid, qint64(0)); // never started
        // Rerunning the failed ones runs the exit 3 and the two interrupted.
        QCOMPARE(jobs.specsToRerun(true).size(), size_t(3));
    }
};

QTEST_GUILESS_MAIN(HistoryCrashTest)
#include "tst_historycrash.moc"
