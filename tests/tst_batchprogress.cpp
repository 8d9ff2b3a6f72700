// BatchProgress: done/total/failed over one batch or the running ones, the
// time-left estimate and how spans read. Times are given, never measured.
#include "app/engine/batchprogress.h"
#include "app/engine/jobquery.h"

#include <QTest>

using namespace procdeck;

namespace {

constexpr qint64 kSec = 1'000'000'000;

// Batches only: BatchProgress reads nothing of single jobs.
class FakeBatches : public JobQuery
{
public:
    BatchInfo &add(int jobs, int succeeded, int failed, qint64 submittedNs, qint64 finishedNs = 0)
    {
        BatchInfo &b = m_batches.emplace_back();
        b.id = int(m_batches.size());
        b.jobCount = jobs;
        b.succeeded = succeeded;
        b.failed = failed;
        b.submittedNs = submittedNs;
        b.finishedNs = finishedNs;
        return b;
    }
    int jobCount() const override { return 0; }
    int batchCount() const override { return int(m_batches.size()); }
    const BatchInfo &batch(int id) const override { return m_batches[size_t(id - 1)]; }
    JobState state(int) const override { return JobState::Queued; }
    JobSpec spec(int) const override { return m_spec; }
    const JobResult &result(int) const override { return m_result; }
    int batchId(int) const override { return 0; }
    int seq(int) const override { return 0; }
    int attempt(int) const override { return 0; }
    int slot(int) const override { return 0; }
    qint64 runtimeNs(int) const override { return 0; }
    LiveUsage liveUsage(int) const override { return {}; }
    qint64 startedNs(int) const override { return 0; }
    const OutputLog *output(int) const override { return nullptr; }
    QList<int> runningJobs() const override { return {}; }

private:
    std::vector<BatchInfo> m_batches;
    JobSpec m_spec;
    JobResult m_result;
};

} // namespace

class TestBatchProgress : public QObject
{
    Q_OBJECT
private slots:
    void estimateFromThroughput();
    void remainingReadsRoundly();
    void durationsRead();
    void finishedBatchReads();
    void oneBatchOrTheRunningOnes();
};

void TestBatchProgress::estimateFromThroughput()
{
    // 25 of 100 done in 30 s: 75 more at the same rate take 90 s.
    QCOMPARE(estimateRemainingNs(25, 100, 30 * kSec), 90 * kSec);
    QCOMPARE(estimateRemainingNs(100, 100, 30 * kSec), 0);
    // Too few done to say, nothing elapsed, or nonsense: unknown.
    QCOMPARE(estimateRemainingNs(2, 100, 30 * kSec), -1);
    QCOMPARE(estimateRemainingNs(0, 100, 30 * kSec), -1);
    QCOMPARE(estimateRemainingNs(5, 100, 0), -1);
    QCOMPARE(estimateRemainingNs(101, 100, 30 * kSec), -1);
    QCOMPARE(estimateRemainingNs(1, 10, 4 * kSec, 1), 36 * kSec);
    // Large batches over long times do not overflow.
    QCOMPARE(estimateRemainingNs(10, 1'000'000, 3600 * kSec) / kSec, qint64(359'996'400));
}

void TestBatchProgress::remainingReadsRoundly()
{
    QCOMPARE(describeRemaining(-1), QString());
    QCOMPARE(describeRemaining(0), QStringLiteral("about 5 s left"));
    QCOMPARE(describeRemaining(38 * kSec), QStringLiteral("about 40 s left"));
    QCOMPARE(describeRemaining(54 * kSec), QStringLiteral("about 55 s left"));
    QCOMPARE(describeRemaining(58 * kSec), QStringLiteral("about 1 min left"));
    QCOMPARE(describeRemaining(90 * kSec), QStringLiteral("about 2 min left"));
    QCOMPARE(describeRemaining(125 * kSec), QStringLiteral("about 2 min left"));
    QCOMPARE(describeRemaining(3900 * kSec), QStringLiteral("about 1 h 5 min left"));
}

void TestBatchProgress::durationsRead()
{
    QCOMPARE(describeDuration(400'000'000), QStringLiteral("0.4 s"));
    QCOMPARE(describeDuration(12 * kSec), QStringLiteral("12 s"));
    QCOMPARE(describeDuration(72 * kSec), QStringLiteral("1 min 12 s"));
    QCOMPARE(describeDuration(7500 * kSec), QStringLiteral("2 h 5 min"));
}

void TestBatchProgress::finishedBatchReads()
{
    BatchInfo b;
    b.id = 3;
    b.jobCount = 100;
    b.succeeded = 98;
    b.failed = 2;
    b.submittedNs = 5 * kSec;
    b.finishedNs = 77 * kSec;
    QCOMPARE(describeFinishedBatch(b),
             QStringLiteral("Batch 3 finished: 98 succeeded, 2 failed in 1 min 12 s"));
    b.canceled = 4;
    b.succeeded = 94;
    QCOMPARE(describeFinishedBatch(b),
             QStringLiteral("Batch 3 finished: 94 succeeded, 2 failed, 4 canceled in 1 min 12 s"));
}

void TestBatchProgress::oneBatchOrTheRunningOnes()
{
    FakeBatches jobs;
    jobs.add(10, 9, 1, 0, 20 * kSec);            // batch 1: finished
    jobs.add(100, 30, 2, 100 * kSec);            // batch 2: running since 100 s
    jobs.add(50, 5, 3, 120 * kSec).canceled = 2; // batch 3: running since 120 s
    const qint64 now = 140 * kSec;

    const BatchProgress one = BatchProgress::of(jobs, 1, now);
    QCOMPARE(one.total, 10);
    QCOMPARE(one.done, 10);
    QCOMPARE(one.failed, 1);
    QVERIFY(!one.running);
    QCOMPARE(one.elapsedNs, 20 * kSec);
    QCOMPARE(one.remainingNs, -1); // finished: nothing left to estimate

    const BatchProgress two = BatchProgress::of(jobs, 2, now);
    QCOMPARE(two.done, 32);
    QVERIFY(two.running);
    QCOMPARE(two.elapsedNs, 40 * kSec);
    QCOMPARE(two.remainingNs, estimateRemainingNs(32, 100, 40 * kSec));

    // All batches: the running ones only, timed from the earliest of them.
    const BatchProgress all = BatchProgress::of(jobs, 0, now);
    QCOMPARE(all.total, 150);
    QCOMPARE(all.done, 32 + 10);
    QCOMPARE(all.failed, 5);
    QCOMPARE(all.canceled, 2);
    QCOMPARE(all.elapsedNs, 40 * kSec);
    QVERIFY(all.remainingNs > 0);

    // Nothing runs: every batch, start to last finish.
    FakeBatches idle;
    idle.add(4, 4, 0, 0, 3 * kSec);
    idle.add(6, 5, 1, 10 * kSec, 12 * kSec);
    const BatchProgress done = BatchProgress::of(idle, 0, 100 * kSec);
    QCOMPARE(done.total, 10);
    QCOMPARE(done.done, 10);
    QCOMPARE(done.failed, 1);
    QVERIFY(!done.running);
    QCOMPARE(done.elapsedNs, 12 * kSec);

    // No batch at all, or one out of range: nothing.
    FakeBatches none;
    QCOMPARE(BatchProgress::of(none, 0, now).total, 0);
    QCOMPARE(BatchProgress::of(none, 3, now).total, 0);
}

QTEST_GUILESS_MAIN(TestBatchProgress)
#include "tst_batchprogress.moc"
