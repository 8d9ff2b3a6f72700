#pragma once

#include "app/core/jobresult.h"
#include "app/core/jobspec.h"
#include "app/output/outputlog.h"
#include "app/process/exactexec.h"
#include "app/process/joblauncher.h"
#include "app/process/pipereader.h"

#include <QList>
#include <QObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTimer>

#include <memory>
#include <vector>

namespace procdeck {

// Runs one job once: a program, a shell command, or a native pipeline of
// programs (stdout of each into stdin of the next, all at once). Every
// process of the job shares one process group of its own, so stopping the
// job reaches everything it started: SIGTERM to the group, then SIGKILL
// after a grace period (a timeout uses the spec's kill sequence).
// finished() is emitted exactly once, on every way out.
//
// With spec.usePty the job runs on a pseudo-terminal instead of pipes, as a
// session of its own whose controlling terminal it is (its pid is still
// its group's id, so stopping works the same); its stdout and stderr are
// the terminal, read as one Stdout stream.
//
// The local LaunchedJob (see LocalLauncher). Owned by the Scheduler, which
// deletes it with deleteLater() after finished(): a QProcess is never
// deleted inside its own signal handler. The OutputLog belongs to the
// job's record and outlives the runner.
class JobRunner : public LaunchedJob
{
    Q_OBJECT
public:
    JobRunner(const JobSpec &spec, OutputLog *log, QObject *parent = nullptr);
    ~JobRunner() override;

    void start() override;
    // Reaches the job's first process; the spec must ask for it
    // (stdinFromCaller), otherwise stdin is its text, its file or /dev/null.
    void writeStdin(const QByteArray &bytes) override;
    void closeStdin() override;
    // To the job's process group: every process the job started.
    void sendSignal(int signal) override;
    // TERM to the job's process group now, KILL after the grace period.
    void stop() override;
    void kill() override;
    void setGracePeriod(int ms) override { m_graceMs = ms; }
    int gracePeriod() const { return m_graceMs; }

    qint64 pid() const { return m_result.pid; }
    qint64 localProcessGroup() const override { return m_pgid; }
    qint64 startedNs() const override { return m_startNs; }
    bool isFinished() const override { return m_finished; }
    const JobResult &result() const override { return m_result; }

    // The monotonic clock all runtimes are measured on.
    static qint64 monotonicNowNs();

private:
    QProcess *createProcess(int stage, const QProcessEnvironment &env);
    void execExact(int stage) const;
    void onStageStarted(int stage);
    void onStageFinished(int stage, int exitCode, QProcess::ExitStatus status);
    void onErrorOccurred(int stage, QProcess::ProcessError error);
    void onTimeout();
    void runKillSequence(); // runs m_killSteps from the start, once
    void nextKillStep();
    void signalGroup(int signal);
    void complete();
    void setStartError(int stage, const QString &reason); // stage -1: the job's own
    void failToStart(int stage, const QString &reason);
    void armTimer(QTimer *&timer, int ms, void (JobRunner::*slot)());
    bool anyRunning() const;

    JobSpec m_spec;
    OutputLog *m_log;
    QList<QProcess *> m_processes;
    QList<bool> m_stageDone;
    // Per stage: its exact argv when its words hold bytes that are no
    // UTF-8, else null (QProcess's exec passes them on unchanged).
    std::vector<std::unique_ptr<ExactExec>> m_exactExecs;
    // The job's stdout and stderr are pipes of our own, not QProcess's:
    // reads go straight into the OutputLog.
    PipeReader *m_stdout;
    PipeReader *m_stderr;
    QTimer *m_killTimer = nullptr; // the kill sequence's waits
    QTimer *m_timeoutTimer = nullptr;
    QList<KillStep> m_killSteps;
    int m_killStep = 0;
    int m_graceMs = 2000;
    int m_stageCount = 0;
    qint64 m_pgid = 0; // shared by every stage: the first stage's pid
    JobResult m_result;
    qint64 m_startNs = 0;
    bool m_stopRequested = false;
    bool m_timedOut = false;
    bool m_signalsSent = false;
    bool m_finished = false;
};

} // namespace procdeck
