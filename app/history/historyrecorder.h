#pragma once

#include "app/history/historydatabase.h"
#include "app/history/historywriter.h"

#include <QHash>
#include <QObject>

#include <vector>

namespace procdeck {

class Scheduler;

// Turns a Scheduler's signals into history events: a batch when it is
// submitted (its launch settings and every job's spec), each job when it
// starts and when it ends (its result and the last HistoryLimits::streamBytes
// of each stream), the batch when it ends. Runs on the Scheduler's thread
// and only copies; the HistoryWriter's thread does the rest.
//
// Make it before anything that frees a finished job's output (procdeck
// run's printer does, once it printed a job): Qt calls a signal's
// receivers in the order they were connected, and this one must see the
// output first.
class HistoryRecorder : public QObject
{
    Q_OBJECT
public:
    HistoryRecorder(Scheduler *scheduler, HistoryWriter *writer, const QString &origin,
                    const HistoryLimits &limits = HistoryLimits::fromEnvironment(),
                    QObject *parent = nullptr);

private:
    void onJobsAdded(int first, int last);
    void onJobChanged(int index);
    void onJobFinished(int index);
    void onBatchFinished(int batchId);
    bool recording() const;
    // A JobStarted or JobFinished event with the fields both take.
    HistoryEvent jobEvent(HistoryEvent::Kind kind, int index) const;

    // What was last recorded of a job's start.
    struct Started
    {
        int attempt = 0;
        qint64 pid = 0;
    };

    Scheduler *m_scheduler;
    HistoryWriter *m_writer;
    QString m_origin;
    HistoryLimits m_limits;
    QHash<int, Started> m_started; // by job index, while it has not finished
};

} // namespace procdeck
