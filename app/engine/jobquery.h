#pragma once

#include "app/core/jobresult.h"
#include "app/core/jobspec.h"
#include "app/engine/jobstore.h"
#include "app/output/outputlog.h"

#include <QObject>

namespace procdeck {

// What views, exports and the command line's printer may know of jobs and
// batches: read-only, by job index and batch id, with signals for what
// changes. The Scheduler answers it for the live session; a stored history
// can answer it for past runs without any live job record behind it.
class JobQuery : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual int jobCount() const = 0;
    virtual int batchCount() const = 0;
    // Batch ids start at 1; valid for 1 <= id <= batchCount().
    virtual const BatchInfo &batch(int id) const = 0;

    virtual JobState state(int index) const = 0;
    virtual JobSpec spec(int index) const = 0; // made on demand: keep a copy, not a reference
    virtual const JobResult &result(int index) const = 0;
    virtual int batchId(int index) const = 0;
    virtual int seq(int index) const = 0;          // 1-based number within its batch
    virtual int attempt(int index) const = 0;      // how many times it was started (0: never)
    virtual int slot(int index) const = 0;         // 1-based slot of its last start; 0: none
    virtual qint64 runtimeNs(int index) const = 0; // so far while it runs, then final
    // CPU % and memory now, while it runs and resources are sampled; the
    // totals and peaks are in result() (cpuNs, peakRssBytes).
    virtual LiveUsage liveUsage(int index) const = 0;
    // When its last attempt started, on the monotonic clock of runtimeNs()
    // and BatchInfo::submittedNs; 0: it never started.
    virtual qint64 startedNs(int index) const = 0;
    // Its captured output, or null when none is kept (it printed nothing,
    // or it was released). Belongs to the current attempt: a retry gets a
    // new one, and attempt() tells them apart.
    virtual const OutputLog *output(int index) const = 0;
    // The last line of its output (the table's Output column). History
    // knows it without loading the output itself.
    virtual QString lastLine(int index) const;
    // The jobs running now (their rows change every moment: runtime).
    virtual QList<int> runningJobs() const = 0;

    // Totals over every batch.
    BatchCounts totals() const
    {
        BatchCounts c;
        for (int id = 1; id <= batchCount(); ++id)
            c.add(batch(id));
        return c;
    }

signals:
    void jobsAdded(int first, int last);
    void jobChanged(int index); // state, pid or result
    void jobOutput(int index);  // new output captured
    void jobFinished(int index);
    void batchFinished(int batchId);
    void countsChanged();
    void idle();
};

inline QString JobQuery::lastLine(int index) const
{
    const OutputLog *log = output(index);
    return log ? log->lastLine() : QString();
}

} // namespace procdeck
