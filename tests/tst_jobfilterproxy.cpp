// JobFilterProxy's filters over a JobTableModel: status, text in the
// command or the output's display tail, combined with the batch filter,
// and rows that enter or leave the view as jobs change. The jobs are a fake
// JobQuery, so every state is set by hand; QAbstractItemModelTester watches
// the model and the proxy.
#include "app/engine/jobquery.h"
#include "app/models/jobfilterproxy.h"
#include "app/models/jobtablemodel.h"
#include "app/output/outputlog.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QTest>

#include <deque>
#include <memory>

using namespace procdeck;
using Status = JobFilterProxy::StatusFilter;

namespace {

// Jobs and batches set by the test, told to the model through JobQuery's signals.
class FakeJobs : public JobQuery
{
public:
    struct Job
    {
        JobSpec spec;
        JobResult result;
        JobState state = JobState::Queued;
        int batchId = 1;
        std::unique_ptr<OutputLog> output;
    };

    int addBatch()
    {
        BatchInfo b;
        b.id = int(m_batches.size()) + 1;
        m_batches.push_back(b);
        return b.id;
    }
    // Adds jobs without telling anyone; announce() tells the model.
    Job &addJob(int batchId, const QString &command)
    {
        Job &job = m_jobs.emplace_back();
        job.batchId = batchId;
        job.spec.shellCommand = command;
        m_batches[size_t(batchId - 1)].jobCount++;
        return job;
    }
    void announce(int first) { emit jobsAdded(first, jobCount() - 1); }
    Job &job(int index) { return m_jobs[size_t(index)]; }

    void start(int index)
    {
        job(index).state = JobState::Running;
        emit jobChanged(index);
    }
    void finish(int index, Outcome outcome, int exitCode = 0)
    {
        Job &j = job(index);
        j.state = outcome == Outcome::None ? JobState::Queued : JobState::Finished;
        j.result.outcome = outcome;
        j.result.exitCode = exitCode;
        emit jobChanged(index);
    }
    void print(int index, Stream stream, const QByteArray &bytes, qint64 displayChars = 256 * 1024)
    {
        Job &j = job(index);
        if (!j.output) {
            OutputLog::Limits limits;
            limits.displayChars = displayChars;
            j.output = std::make_unique<OutputLog>(limits);
        }
        j.output->append(stream, bytes);
        emit jobOutput(index);
    }

    int jobCount() const override { return int(m_jobs.size()); }
    int batchCount() const override { return int(m_batches.size()); }
    const BatchInfo &batch(int id) const override { return m_batches[size_t(id - 1)]; }
    JobState state(int index) const override { return m_jobs[size_t(index)].state; }
    JobSpec spec(int index) const override { return m_jobs[size_t(index)].spec; }
    const JobResult &result(int index) const override { return m_jobs[size_t(index)].result; }
    int batchId(int index) const override { return m_jobs[size_t(index)].batchId; }
    int seq(int index) const override { return index + 1; }
    int attempt(int index) const override { return state(index) == JobState::Queued ? 0 : 1; }
    int slot(int) const override { return 0; }
    qint64 runtimeNs(int) const override { return 0; }
    LiveUsage liveUsage(int) const override { return {}; }
    qint64 startedNs(int) const override { return 0; }
    const OutputLog *output(int index) const override { return m_jobs[size_t(index)].output.get(); }
    QList<int> runningJobs() const override
    {
        QList<int> running;
        for (int i = 0; i < jobCount(); ++i)
            if (state(i) == JobState::Running)
                running << i;
        return running;
    }

private:
    std::deque<Job> m_jobs; // deque: a Job holds a unique_ptr and never moves
    std::vector<BatchInfo> m_batches;
};

// Model, proxy and their testers over one FakeJobs.
struct Table
{
    // tested: with QAbstractItemModelTester on both (too slow for 100,000 rows).
    explicit Table(FakeJobs *jobs, bool tested = true)
        : model(jobs)
    {
        if (tested) {
            modelTester = std::make_unique<QAbstractItemModelTester>(
                &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
            proxyTester = std::make_unique<QAbstractItemModelTester>(
                &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        }
        proxy.setSourceModel(&model);
        proxy.sort(JobTableModel::Number);
    }
    // The job numbers (1-based) the proxy shows, in order.
    QList<int> shown() const
    {
        QList<int> numbers;
        for (int r = 0; r < proxy.rowCount(); ++r)
            numbers << proxy.index(r, JobTableModel::Number).data().toInt();
        return numbers;
    }
    JobTableModel model;
    JobFilterProxy proxy;
    std::unique_ptr<QAbstractItemModelTester> modelTester;
    std::unique_ptr<QAbstractItemModelTester> proxyTester;
};

} // namespace

class TestJobFilterProxy : public QObject
{
    Q_OBJECT
private slots:
    void statusFilter();
    void textFilterMatchesCommand();
    void textFilterMatchesOutputTail();
    void textAndStatusCombineWithBatchFilter();
    void runningJobThatFailsEntersFailedView();
    void outputThatArrivesLaterMatches();
    void textFilterOverManyRows();
};

// One job of each kind: 1 queued, 2 running, 3 exit 0, 4 exit 2,
// 5 timed out, 6 canceled, 7 failed to start.
static void addOneOfEach(FakeJobs &jobs)
{
    const int b = jobs.addBatch();
    for (int i = 0; i < 7; ++i)
        jobs.addJob(b, QStringLiteral("job %1").arg(i + 1));
    jobs.job(1).state = JobState::Running;
    auto end = [&](int i, Outcome outcome, int exitCode) {
        jobs.job(i).state = JobState::Finished;
        jobs.job(i).result.outcome = outcome;
        jobs.job(i).result.exitCode = exitCode;
    };
    end(2, Outcome::Exited, 0);
    end(3, Outcome::Exited, 2);
    end(4, Outcome::TimedOut, -1);
    end(5, Outcome::Canceled, -1);
    end(6, Outcome::FailedToStart, -1);
    jobs.announce(0);
}

void TestJobFilterProxy::statusFilter()
{
    FakeJobs jobs;
    Table t(&jobs);
    addOneOfEach(jobs);
    QCOMPARE(t.shown(), (QList<int>{1, 2, 3, 4, 5, 6, 7}));
    QVERIFY(!t.proxy.isFiltering());
    t.proxy.setStatusFilter(Status::Running);
    QVERIFY(t.proxy.isFiltering());
    QCOMPARE(t.shown(), QList<int>{2});
    t.proxy.setStatusFilter(Status::Succeeded);
    QCOMPARE(t.shown(), QList<int>{3});
    // Failed is every way of failing: an exit status, a timeout, not starting.
    t.proxy.setStatusFilter(Status::Failed);
    QCOMPARE(t.shown(), (QList<int>{4, 5, 7}));
    t.proxy.setStatusFilter(Status::TimedOut);
    QCOMPARE(t.shown(), QList<int>{5});
    t.proxy.setStatusFilter(Status::Canceled);
    QCOMPARE(t.shown(), QList<int>{6});
    t.proxy.setStatusFilter(Status::All);
    QCOMPARE(t.proxy.rowCount(), 7);
}

void TestJobFilterProxy::textFilterMatchesCommand()
{
    FakeJobs jobs;
    Table t(&jobs);
    const int b = jobs.addBatch();
    jobs.addJob(b, QStringLiteral("gzip -k Alpha.log"));
    jobs.addJob(b, QStringLiteral("gzip -k beta.log"));
    jobs.addJob(b, QStringLiteral("sha256sum alpha.iso"));
    jobs.announce(0);
    t.proxy.setTextFilter(QStringLiteral("ALPHA"));
    QCOMPARE(t.shown(), (QList<int>{1, 3}));
    t.proxy.setTextFilter(QStringLiteral("gzip"));
    QCOMPARE(t.shown(), (QList<int>{1, 2}));
    t.proxy.setTextFilter(QStringLiteral("nowhere"));
    QCOMPARE(t.shown(), QList<int>{});
    t.proxy.setTextFilter(QString());
    QCOMPARE(t.proxy.rowCount(), 3);
    QVERIFY(!t.proxy.isFiltering());
}

void TestJobFilterProxy::textFilterMatchesOutputTail()
{
    FakeJobs jobs;
    Table t(&jobs);
    const int b = jobs.addBatch();
    for (int i = 0; i < 5; ++i)
        jobs.addJob(b, QStringLiteral("check"));
    jobs.announce(0);
    jobs.print(0, Stream::Stdout, "all good\n");
    jobs.print(1, Stream::Stderr, "WARNING: disk nearly full\n");
    // Split across the two streams: the pane shows it as one word.
    jobs.print(2, Stream::Stdout, "a warn");
    jobs.print(2, Stream::Stderr, "ing here\n");
    // Scrolled out of a 40-character tail: no longer shown, so no match
    // (and the filter never reads the raw output).
    jobs.print(3, Stream::Stdout, "warning at the start\n", 40);
    jobs.print(3, Stream::Stdout, QByteArray(60, 'x') + "\n");
    t.model.flush();
    t.proxy.setTextFilter(QStringLiteral("Warning"));
    QCOMPARE(t.shown(), (QList<int>{2, 3}));
    t.proxy.setTextFilter(QStringLiteral("good"));
    QCOMPARE(t.shown(), QList<int>{1});
    t.proxy.setTextFilter(QStringLiteral("xxxxx"));
    QCOMPARE(t.shown(), QList<int>{4});
}

void TestJobFilterProxy::textAndStatusCombineWithBatchFilter()
{
    FakeJobs jobs;
    Table t(&jobs);
    const int one = jobs.addBatch();
    jobs.addJob(one, QStringLiteral("deploy web1"));
    jobs.addJob(one, QStringLiteral("deploy web2"));
    const int two = jobs.addBatch();
    jobs.addJob(two, QStringLiteral("deploy web3"));
    jobs.addJob(two, QStringLiteral("deploy db1"));
    jobs.announce(0);
    for (int i : {0, 2, 3})
        jobs.finish(i, Outcome::Exited, 1);
    jobs.finish(1, Outcome::Exited, 0);
    t.model.flush();

    t.proxy.setTextFilter(QStringLiteral("web"));
    QCOMPARE(t.shown(), (QList<int>{1, 2, 3}));
    t.proxy.setBatchFilter(two);
    QCOMPARE(t.shown(), QList<int>{3});
    t.proxy.setBatchFilter(0);
    t.proxy.setStatusFilter(Status::Failed);
    QCOMPARE(t.shown(), (QList<int>{1, 3}));
    t.proxy.setBatchFilter(one);
    QCOMPARE(t.shown(), QList<int>{1});
    t.proxy.setTextFilter(QString());
    t.proxy.setStatusFilter(Status::Succeeded);
    QCOMPARE(t.shown(), QList<int>{2});
}

void TestJobFilterProxy::runningJobThatFailsEntersFailedView()
{
    FakeJobs jobs;
    Table t(&jobs);
    const int b = jobs.addBatch();
    jobs.addJob(b, QStringLiteral("a"));
    jobs.addJob(b, QStringLiteral("b"));
    jobs.announce(0);
    jobs.start(0);
    jobs.start(1);
    t.model.flush();

    JobFilterProxy running;
    QAbstractItemModelTester runningTester(&running,
                                           QAbstractItemModelTester::FailureReportingMode::QtTest);
    running.setSourceModel(&t.model);
    running.setStatusFilter(Status::Running);
    t.proxy.setStatusFilter(Status::Failed);
    QCOMPARE(t.proxy.rowCount(), 0);
    QCOMPARE(running.rowCount(), 2);

    jobs.finish(1, Outcome::Exited, 7);
    t.model.flush(); // what the model's timer does on its next tick
    QCOMPARE(t.shown(), QList<int>{2});
    QCOMPARE(running.rowCount(), 1); // and it left the "running" view
    QCOMPARE(running.index(0, JobTableModel::Number).data().toInt(), 1);
    jobs.finish(0, Outcome::TimedOut);
    t.model.flush();
    QCOMPARE(t.shown(), (QList<int>{1, 2}));
    QCOMPARE(running.rowCount(), 0);
}

void TestJobFilterProxy::outputThatArrivesLaterMatches()
{
    FakeJobs jobs;
    Table t(&jobs);
    const int b = jobs.addBatch();
    jobs.addJob(b, QStringLiteral("tail -f app.log"));
    jobs.announce(0);
    jobs.start(0);
    t.proxy.setTextFilter(QStringLiteral("panic"));
    QCOMPARE(t.proxy.rowCount(), 0);
    jobs.print(0, Stream::Stdout, "kernel: Panic in module\n");
    t.model.flush();
    QCOMPARE(t.proxy.rowCount(), 1);
}

void TestJobFilterProxy::textFilterOverManyRows()
{
    // The window filters 100,000 rows on each pause in typing. Timed for
    // the report only: no test asserts wall-clock time. The other tests
    // run the model testers; here they would check 100,000 rows per change.
    const int n = 100'000;
    FakeJobs jobs;
    Table t(&jobs, false);
    const int b = jobs.addBatch();
    for (int i = 0; i < n; ++i)
        jobs.addJob(b, QStringLiteral("process-file --input /data/set/file%1.csv").arg(i));
    jobs.announce(0);
    for (int i = 0; i < n; ++i) {
        jobs.job(i).state = JobState::Finished;
        jobs.job(i).result.outcome = Outcome::Exited;
        jobs.job(i).result.exitCode = i % 10 == 0 ? 1 : 0;
        jobs.print(i, Stream::Stdout,
                   QByteArray("read 1000 rows\nwrote ") + QByteArray::number(i) + " rows\n");
    }
    t.model.flush();
    QElapsedTimer timer;
    timer.start();
    t.proxy.setTextFilter(QStringLiteral("file9999")); // commands 9999, 99990..99999
    const qint64 commandMs = timer.restart();
    QCOMPARE(t.proxy.rowCount(), 11);
    t.proxy.setTextFilter(QStringLiteral("wrote 12345 ")); // only in one job's output
    const qint64 outputMs = timer.restart();
    QCOMPARE(t.shown(), QList<int>{12346});
    t.proxy.setTextFilter(QString());
    t.proxy.setStatusFilter(Status::Failed);
    const qint64 statusMs = timer.elapsed();
    QCOMPARE(t.proxy.rowCount(), n / 10);
    qInfo("100,000 rows: command text %lld ms, output text %lld ms, status %lld ms", commandMs,
          outputMs, statusMs);
}

QTEST_GUILESS_MAIN(TestJobFilterProxy)
#include "tst_jobfilterproxy.moc"
