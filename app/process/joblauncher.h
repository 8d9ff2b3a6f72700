#pragma once

#include "app/core/jobresult.h"
#include "app/core/jobspec.h"

#include <QByteArray>
#include <QObject>

namespace procdeck {

class OutputLog;

// One run of one job, wherever it runs: what the Scheduler drives. It
// starts, takes stdin, is signaled or stopped, puts its output into the
// OutputLog it was given and emits finished() exactly once, on every way
// out (exit, crash, failed start, timeout, stop), and never from inside
// start(), stop() or kill(): always from the event loop. Deleted with
// deleteLater() after finished().
class LaunchedJob : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual void start() = 0;
    // Bytes for the job's stdin, then closeStdin() for its end (nothing
    // happens once the job has finished).
    virtual void writeStdin(const QByteArray &bytes) = 0;
    virtual void closeStdin() = 0;
    // Sends one signal to every process of the job.
    virtual void sendSignal(int signal) = 0;
    // Asks the job to stop: TERM now, KILL after the grace period. Safe at
    // any time, any number of times.
    virtual void stop() = 0;
    // KILL now, no grace: a second "quit" while jobs are still stopping.
    virtual void kill() = 0;
    virtual void setGracePeriod(int ms) = 0;

    // The process group the job ran in on this machine, for the Scheduler
    // to stop what the job leaves behind; 0 when it ran elsewhere.
    virtual qint64 localProcessGroup() const { return 0; }

    virtual bool isFinished() const = 0;
    virtual qint64 startedNs() const = 0; // on JobRunner::monotonicNowNs()'s clock
    virtual const JobResult &result() const = 0;

signals:
    void started(qint64 pid);
    void outputReceived();
    void finished();
};

// Makes the LaunchedJob for a job spec: the seam where a launcher for
// remote hosts sits beside the local one.
class JobLauncher
{
public:
    virtual ~JobLauncher() = default;
    virtual LaunchedJob *launch(const JobSpec &spec, OutputLog *log, QObject *parent) = 0;
};

// Runs jobs on this machine, each with a JobRunner.
class LocalLauncher : public JobLauncher
{
public:
    LaunchedJob *launch(const JobSpec &spec, OutputLog *log, QObject *parent) override;
};

} // namespace procdeck
