// The launcher seam: the Scheduler runs jobs through whatever JobLauncher
// it is given (here a fake one, with no processes at all), and the local
// LaunchedJob takes stdin from its caller and signals from anyone.
#include "app/engine/scheduler.h"
#include "app/process/joblauncher.h"
#include "app/process/jobrunner.h"
#include "testsupport.h"

#include <QSignalSpy>
#include <QTest>

#include <csignal>

using namespace procdeck;
using namespace testsupport;

namespace {

// A job that runs nowhere: it starts when told, ends when the test says.
class FakeJob : public LaunchedJob
{
    Q_OBJECT
public:
    FakeJob(const JobSpec &spec, OutputLog *log, QObject *parent)
        : LaunchedJob(parent)
        , spec(spec)
        , log(log)
    {}
    void start() override
    {
        m_result.pid = 4242;
        emit started(m_result.pid);
    }
    void writeStdin(const QByteArray &bytes) override { stdinBytes += bytes; }
    void closeStdin() override { stdinClosed = true; }
    void sendSignal(int signal) override { signals_ << signal; }
    void stop() override
    {
        stopped = true;
        m_result.stoppedByUser = true;
        end(Outcome::Signaled, 0, SIGTERM);
    }
    void kill() override { end(Outcome::Signaled, 0, SIGKILL); }
    void setGracePeriod(int ms) override { graceMs = ms; }
    bool isFinished() const override { return m_finished; }
    qint64 startedNs() const override { return 1; }
    const JobResult &result() const override { return m_result; }

    void end(Outcome outcome, int exitCode, int signal = 0)
    {
        if (m_finished)
            return;
        m_finished = true;
        m_result.outcome = outcome;
        m_result.exitCode = exitCode;
        m_result.signal = signal;
        log->finish();
        emit finished();
    }

    JobSpec spec;
    OutputLog *log;
    QByteArray stdinBytes;
    bool stdinClosed = false;
    QList<int> signals_;
    bool stopped = false;
    int graceMs = 0;

private:
    JobResult m_result;
    bool m_finished = false;
};

class FakeLauncher : public JobLauncher
{
public:
    LaunchedJob *launch(const JobSpec &spec, OutputLog *log, QObject *parent) override
    {
        auto *job = new FakeJob(spec, log, parent);
        jobs << job;
        return job;
    }
    QList<QPointer<FakeJob>> jobs;
};

} // namespace

class TestJobLauncher : public QObject
{
    Q_OBJECT
private slots:
    void init() { failOnLeakedProcess(); }
    void schedulerRunsJobsThroughItsLauncher();
    void stopReachesTheLaunchedJob();
    void outputComesThroughTheLog();
    void localJobTakesStdinFromItsCaller();
    void localJobPassesSignalsToItsGroup();
};

void TestJobLauncher::schedulerRunsJobsThroughItsLauncher()
{
    FakeLauncher launcher;
    Scheduler s;
    s.setLauncher(&launcher);
    s.setGracePeriod(123);
    s.setMaxParallel(2);
    JobSpec spec;
    spec.program = QStringLiteral("/nonexistent/never-started");
    s.submit(QStringLiteral("fake"), times(spec, 3));
    QCOMPARE(launcher.jobs.size(), 2); // the limit holds for any launcher
    QCOMPARE(launcher.jobs[0]->graceMs, 123);
    QCOMPARE(launcher.jobs[0]->spec.program, spec.program);
    QCOMPARE(s.result(0).pid, qint64(4242));
    QCOMPARE(s.state(0), JobState::Running);

    launcher.jobs[0]->end(Outcome::Exited, 3);
    QCOMPARE(s.state(0), JobState::Finished);
    QCOMPARE(s.result(0).exitCode, 3);
    QCOMPARE(launcher.jobs.size(), 3); // the freed slot went to job 3
    launcher.jobs[1]->end(Outcome::Exited, 0);
    launcher.jobs[2]->end(Outcome::Exited, 0);
    QVERIFY(s.isIdle());
    QCOMPARE(s.batch(1).failed, 1);
    QCOMPARE(s.batch(1).succeeded, 2);
    // Finished runs are deleted later, as for real processes.
    QTRY_VERIFY(launcher.jobs[0].isNull());
}

void TestJobLauncher::stopReachesTheLaunchedJob()
{
    FakeLauncher launcher;
    Scheduler s;
    s.setLauncher(&launcher);
    s.submit(QStringLiteral("fake"), {shell(QStringLiteral("sleep 30"))});
    QCOMPARE(launcher.jobs.size(), 1);
    s.stopJob(0);
    QVERIFY(launcher.jobs[0]->stopped);
    QCOMPARE(s.result(0).outcome, Outcome::Signaled);
    QVERIFY(s.result(0).stoppedByUser);
    QVERIFY(s.isIdle());
}

void TestJobLauncher::outputComesThroughTheLog()
{
    FakeLauncher launcher;
    Scheduler s;
    s.setLauncher(&launcher);
    QSignalSpy output(&s, &Scheduler::jobOutput);
    s.submit(QStringLiteral("fake"), {shell(QStringLiteral("echo hi"))});
    FakeJob *job = launcher.jobs[0];
    job->log->append(Stream::Stdout, "from afar\n");
    emit job->outputReceived();
    QCOMPARE(output.size(), 1);
    QCOMPARE(s.output(0)->lastLine(), QStringLiteral("from afar"));
    job->end(Outcome::Exited, 0);
    QCOMPARE(s.output(0)->rawBytes(Stream::Stdout), QByteArray("from afar\n"));
}

void TestJobLauncher::localJobTakesStdinFromItsCaller()
{
    JobSpec spec;
    spec.program = QStringLiteral("cat");
    spec.stdinFromCaller = true;
    OutputLog log;
    LocalLauncher launcher;
    LaunchedJob *job = launcher.launch(spec, &log, this);
    QSignalSpy finished(job, &LaunchedJob::finished);
    job->start();
    job->writeStdin("fed ");
    job->writeStdin("by the caller\n");
    QTRY_COMPARE(log.rawBytes(Stream::Stdout), QByteArray("fed by the caller\n"));
    QVERIFY(!job->isFinished()); // cat waits for more until stdin ends
    job->closeStdin();
    QVERIFY(finished.wait(10000));
    QCOMPARE(job->result().exitCode, 0);
    delete job;
}

void TestJobLauncher::localJobPassesSignalsToItsGroup()
{
    // The shell and its sleep share the job's group: both get the signal.
    OutputLog log;
    LocalLauncher launcher;
    LaunchedJob *job =
        launcher.launch(shell(QStringLiteral("sleep 30; echo not reached")), &log, this);
    QSignalSpy started(job, &LaunchedJob::started);
    QSignalSpy finished(job, &LaunchedJob::finished);
    job->start();
    QVERIFY(started.count() == 1 || started.wait(10000));
    const qint64 pgid = job->result().pid;
    QTRY_COMPARE(groupMembers(pgid).size(), 2);
    job->sendSignal(SIGUSR1);
    QVERIFY(finished.wait(10000));
    QCOMPARE(job->result().outcome, Outcome::Signaled);
    QCOMPARE(job->result().signal, int(SIGUSR1));
    QTRY_VERIFY(groupMembers(pgid).isEmpty());
    QCOMPARE(log.byteCount(Stream::Stdout), qint64(0));
    delete job;
}

QTEST_GUILESS_MAIN(TestJobLauncher)
#include "tst_joblauncher.moc"
