#include "app/engine/batchprogress.h"

#include "app/engine/jobquery.h"

#include <QCoreApplication>

#include <cmath>

namespace procdeck {

namespace {

constexpr qint64 kSecondNs = 1'000'000'000;

void addBatch(BatchProgress *p, const BatchInfo &b, qint64 nowNs, qint64 *earliestNs,
              qint64 *latestEndNs)
{
    p->total += b.jobCount;
    p->succeeded += b.succeeded;
    p->failed += b.failed;
    p->canceled += b.canceled;
    p->done += b.succeeded + b.failed + b.canceled;
    if (!b.isFinished())
        p->running = true;
    *earliestNs = *earliestNs < 0 ? b.submittedNs : qMin(*earliestNs, b.submittedNs);
    *latestEndNs = qMax(*latestEndNs, b.isFinished() ? b.finishedNs : nowNs);
}

} // namespace

BatchProgress BatchProgress::of(const JobQuery &jobs, int batchId, qint64 nowNs)
{
    BatchProgress p;
    qint64 earliest = -1;
    qint64 latestEnd = 0;
    if (batchId > 0 && batchId <= jobs.batchCount()) {
        addBatch(&p, jobs.batch(batchId), nowNs, &earliest, &latestEnd);
    } else {
        for (int id = 1; id <= jobs.batchCount(); ++id) {
            if (!jobs.batch(id).isFinished())
                addBatch(&p, jobs.batch(id), nowNs, &earliest, &latestEnd);
        }
        if (!p.running) {
            for (int id = 1; id <= jobs.batchCount(); ++id)
                addBatch(&p, jobs.batch(id), nowNs, &earliest, &latestEnd);
        }
    }
    p.elapsedNs = earliest < 0 ? 0 : qMax<qint64>(0, latestEnd - earliest);
    if (p.running)
        p.remainingNs = estimateRemainingNs(p.done, p.total, p.elapsedNs);
    return p;
}

qint64 estimateRemainingNs(int done, int total, qint64 elapsedNs, int minDone)
{
    if (done < qMax(1, minDone) || done > total || elapsedNs <= 0)
        return -1;
    // In double: 100,000 jobs times hours in ns overflows 64 bits.
    return qint64(double(total - done) * double(elapsedNs) / double(done));
}

QString describeRemaining(qint64 remainingNs)
{
    if (remainingNs < 0)
        return QString();
    const qint64 seconds = (remainingNs + kSecondNs / 2) / kSecondNs;
    // Finer than 5 s would flicker with every job that ends.
    const qint64 fives = qMax<qint64>(5, (seconds + 4) / 5 * 5);
    if (fives < 60)
        return QCoreApplication::translate("BatchProgress", "about %1 s left").arg(fives);
    const qint64 minutes = qMax<qint64>(1, (seconds + 30) / 60);
    if (minutes < 60)
        return QCoreApplication::translate("BatchProgress", "about %1 min left").arg(minutes);
    return QCoreApplication::translate("BatchProgress", "about %1 h %2 min left")
        .arg(minutes / 60)
        .arg(minutes % 60);
}

QString describeFinishedBatch(const BatchInfo &batch)
{
    QString counts = QCoreApplication::translate("BatchProgress", "%1 succeeded, %2 failed")
                         .arg(batch.succeeded)
                         .arg(batch.failed);
    if (batch.canceled > 0)
        counts += QCoreApplication::translate("BatchProgress", ", %1 canceled").arg(batch.canceled);
    return QCoreApplication::translate("BatchProgress", "Batch %1 finished: %2 in %3")
        .arg(batch.id)
        .arg(counts, describeDuration(batch.wallTimeNs()));
}

QString describeDuration(qint64 ns)
{
    if (ns < 10 * kSecondNs)
        return QCoreApplication::translate("BatchProgress", "%1 s")
            .arg(double(qMax<qint64>(0, ns)) / double(kSecondNs), 0, 'f', 1);
    const qint64 seconds = (ns + kSecondNs / 2) / kSecondNs;
    if (seconds < 60)
        return QCoreApplication::translate("BatchProgress", "%1 s").arg(seconds);
    if (seconds < 3600)
        return QCoreApplication::translate("BatchProgress", "%1 min %2 s")
            .arg(seconds / 60)
            .arg(seconds % 60);
    const qint64 minutes = (seconds + 30) / 60;
    return QCoreApplication::translate("BatchProgress", "%1 h %2 min")
        .arg(minutes / 60)
        .arg(minutes % 60);
}

} // namespace procdeck
