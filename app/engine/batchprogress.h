#pragma once

#include <QString>
#include <QtGlobal>

namespace procdeck {

class JobQuery;
struct BatchInfo;

// How far some batches have got: jobs done out of all, how many failed,
// and an estimate of the time left. Plain numbers, computed from a
// JobQuery at a moment the caller gives (no clock of its own), so the
// status bar, the window title and the tests all read the same figures.
struct BatchProgress
{
    int total = 0;
    int done = 0; // ended in any way: succeeded, failed or canceled
    int failed = 0;
    int succeeded = 0;
    int canceled = 0;
    bool running = false;    // some of these batches still have queued or running jobs
    qint64 elapsedNs = 0;    // since the earliest of them was submitted
    qint64 remainingNs = -1; // the estimate; -1: not known (yet)

    // batchId > 0: that batch. 0: the batches still running, or every
    // batch once none runs. nowNs is on JobRunner::monotonicNowNs()'s clock.
    static BatchProgress of(const JobQuery &jobs, int batchId, qint64 nowNs);
};

// The time left when `done` of `total` jobs took `elapsedNs`, at the same
// throughput (remaining x elapsed / done); -1 until `minDone` jobs are done,
// as the first few say little about the rest.
qint64 estimateRemainingNs(int done, int total, qint64 elapsedNs, int minDone = 3);

// "about 40 s left", "about 2 min left", "about 1 h 5 min left"; empty for
// an unknown (negative) estimate.
QString describeRemaining(qint64 remainingNs);

// A span for people: "0.4 s", "12 s", "1 min 12 s", "2 h 5 min".
QString describeDuration(qint64 ns);

// "Batch 3 finished: 98 succeeded, 2 failed in 1 min 12 s" (and
// ", 1 canceled" when some were): what a desktop notification says.
QString describeFinishedBatch(const BatchInfo &batch);

} // namespace procdeck
