#pragma once

#include "jobresult.h"
#include "jobspec.h"
#include "outputlog.h"

#include <QObject>
#include <QProcess>
#include <QTimer>

namespace procdeck {

// Runs one job once on a QProcess. The child gets a process group of its
// own, so stopping the job reaches everything it started: SIGTERM to the
// group, then SIGKILL after a grace period. finished() is emitted exactly
// once, on every way out (exit, signal, failed start, timeout, stop).
//
// Owned by the Scheduler, which deletes it with deleteLater() after
// finished(): a QProcess is never deleted inside its own signal handler.
// The OutputLog belongs to the job's record and outlives the runner.
class JobRunner : public QObject
{
    Q_OBJECT
public:
    JobRunner(const JobSpec &spec, OutputLog *log, QObject *parent = nullptr);
    ~JobRunner() override;

    void start();
    // Asks the job to stop: TERM to its process group now, KILL after the
    // grace period. Safe to call at any time, any number of times.
    void stop();
    void setGracePeriod(int ms) { m_killTimer.setInterval(ms); }
    int gracePeriod() const { return m_killTimer.interval(); }

    qint64 pid() const { return m_result.pid; }
    qint64 startedNs() const { return m_startNs; }
    bool isFinished() const { return m_finished; }
    const JobResult &result() const { return m_result; }

    // The monotonic clock all runtimes are measured on.
    static qint64 monotonicNowNs();

signals:
    void started(qint64 pid);
    void outputReceived();
    void finished();

private:
    void onStarted();
    void onReadyRead(Stream stream);
    void onProcessFinished(int exitCode, QProcess::ExitStatus status);
    void onErrorOccurred(QProcess::ProcessError error);
    void onTimeout();
    void beginStopping();
    void signalGroup(int signal);
    void complete();

    JobSpec m_spec;
    OutputLog *m_log;
    QProcess *m_process;
    QTimer m_killTimer;
    QTimer m_timeoutTimer;
    JobResult m_result;
    qint64 m_startNs = 0;
    bool m_stopRequested = false;
    bool m_timedOut = false;
    bool m_signalsSent = false;
    bool m_finished = false;
};

} // namespace procdeck
