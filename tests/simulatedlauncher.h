#pragma once
// Jobs that run on a simulated clock, with no processes: a batch of any size
// with chosen slots, runtimes and outcomes, in a moment. Shared by the
// timeline's tests and the benchmark.
#include "app/output/outputlog.h"
#include "app/process/joblauncher.h"

#include <QPointer>
#include <QTimer>

#include <algorithm>
#include <csignal>
#include <functional>
#include <vector>

namespace testsupport {

// One simulated run: started at the launcher's clock, ended by the launcher.
class SimulatedJob : public procdeck::LaunchedJob
{
public:
    SimulatedJob(procdeck::OutputLog *log, qint64 startNs, qint64 runtimeNs, int exitCode,
                 QObject *parent)
        : LaunchedJob(parent)
        , m_log(log)
        , m_startNs(startNs)
        , m_plannedRuntimeNs(runtimeNs)
        , m_exitCode(exitCode)
    {}
    void start() override
    {
        m_result.pid = 4242;
        emit started(m_result.pid);
    }
    void writeStdin(const QByteArray &) override {}
    void closeStdin() override {}
    void sendSignal(int) override {}
    // Finishes from the event loop, as LaunchedJob promises.
    void stop() override
    {
        m_result.stoppedByUser = true;
        QTimer::singleShot(0, this, [this] { end(procdeck::Outcome::Signaled, 0, SIGTERM, 0); });
    }
    void kill() override
    {
        QTimer::singleShot(0, this, [this] { end(procdeck::Outcome::Signaled, 0, SIGKILL, 0); });
    }
    void setGracePeriod(int) override {}
    bool isFinished() const override { return m_finished; }
    qint64 startedNs() const override { return m_startNs; }
    const procdeck::JobResult &result() const override { return m_result; }

    qint64 plannedEndNs() const { return m_startNs + m_plannedRuntimeNs; }
    // Ends as planned: exited with its exit code after its runtime.
    void endAsPlanned() { end(procdeck::Outcome::Exited, m_exitCode, 0, m_plannedRuntimeNs); }
    void end(procdeck::Outcome outcome, int exitCode, int signal, qint64 runtimeNs)
    {
        if (m_finished)
            return;
        m_finished = true;
        m_result.outcome = outcome;
        m_result.exitCode = exitCode;
        m_result.signal = signal;
        m_result.runtimeNs = runtimeNs;
        m_log->finish();
        emit finished();
    }

private:
    procdeck::OutputLog *m_log;
    procdeck::JobResult m_result;
    qint64 m_startNs;
    qint64 m_plannedRuntimeNs;
    int m_exitCode;
    bool m_finished = false;
};

// Launches SimulatedJobs: the nth job launched (0-based) starts at clockNs
// and plans runtime(n) and exitCode(n). finishNext() ends the running job
// that plans to end first and moves the clock there, so the Scheduler
// starts the next one at that time, in the freed slot.
class SimulatedLauncher : public procdeck::JobLauncher
{
public:
    qint64 clockNs = 0;
    std::function<qint64(int)> runtime = [](int) { return qint64(1000000); };
    std::function<int(int)> exitCode = [](int) { return 0; };

    procdeck::LaunchedJob *launch(const procdeck::JobSpec &, procdeck::OutputLog *log,
                                  QObject *parent) override
    {
        const int n = m_launched++;
        auto *job = new SimulatedJob(log, clockNs, runtime(n), exitCode(n), parent);
        m_running.push_back(job);
        return job;
    }
    int launchedCount() const { return m_launched; }
    int runningCount()
    {
        prune();
        return int(m_running.size());
    }
    // False when nothing runs.
    bool finishNext()
    {
        prune();
        if (m_running.empty())
            return false;
        size_t first = 0;
        for (size_t i = 1; i < m_running.size(); ++i) {
            if (m_running[i]->plannedEndNs() < m_running[first]->plannedEndNs())
                first = i;
        }
        QPointer<SimulatedJob> job = m_running[first];
        m_running.erase(m_running.begin() + std::ptrdiff_t(first));
        clockNs = qMax(clockNs, job->plannedEndNs());
        job->endAsPlanned();
        return true;
    }
    // Runs until `left` jobs are still running (0: all done).
    void finishUntil(int left = 0)
    {
        while (runningCount() > left && finishNext()) {
        }
    }

private:
    void prune()
    {
        m_running.erase(std::remove_if(m_running.begin(), m_running.end(),
                                       [](const QPointer<SimulatedJob> &j) {
                                           return j.isNull() || j->isFinished();
                                       }),
                        m_running.end());
    }
    std::vector<QPointer<SimulatedJob>> m_running;
    int m_launched = 0;
};

} // namespace testsupport
