#include "jobrunner.h"

#include "outputlog.h"

#include <QDateTime>
#include <QProcessEnvironment>

#include <chrono>
#include <csignal>
#include <unistd.h>

namespace procdeck {

namespace {
constexpr int kDefaultGraceMs = 2000;
}

qint64 JobRunner::monotonicNowNs()
{
    using namespace std::chrono;
    return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
}

JobRunner::JobRunner(const JobSpec &spec, OutputLog *log, QObject *parent)
    : QObject(parent)
    , m_spec(spec)
    , m_log(log)
    , m_process(new QProcess(this))
{
    m_killTimer.setSingleShot(true);
    m_killTimer.setInterval(kDefaultGraceMs);
    connect(&m_killTimer, &QTimer::timeout, this, [this] { signalGroup(SIGKILL); });
    m_timeoutTimer.setSingleShot(true);
    connect(&m_timeoutTimer, &QTimer::timeout, this, &JobRunner::onTimeout);

    // A job never reads the user's terminal: stdin is /dev/null.
    m_process->setStandardInputFile(QProcess::nullDevice());
    // Its own process group, so that a stop reaches its children too.
    m_process->setChildProcessModifier([] { ::setpgid(0, 0); });
    if (!spec.workingDirectory.isEmpty())
        m_process->setWorkingDirectory(spec.workingDirectory);
    if (!spec.environment.isEmpty()) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &pair : spec.environment) {
            const qsizetype eq = pair.indexOf(QLatin1Char('='));
            if (eq > 0)
                env.insert(pair.left(eq), pair.mid(eq + 1));
        }
        m_process->setProcessEnvironment(env);
    }

    connect(m_process, &QProcess::started, this, &JobRunner::onStarted);
    connect(m_process, &QProcess::readyReadStandardOutput, this,
            [this] { onReadyRead(Stream::Stdout); });
    connect(m_process, &QProcess::readyReadStandardError, this,
            [this] { onReadyRead(Stream::Stderr); });
    connect(m_process, &QProcess::finished, this, &JobRunner::onProcessFinished);
    connect(m_process, &QProcess::errorOccurred, this, &JobRunner::onErrorOccurred);
}

JobRunner::~JobRunner()
{
    if (m_process->state() != QProcess::NotRunning) {
        // Only reached when the owner is torn down with jobs still running
        // (the window stops them first, asynchronously). Kill the whole group
        // so nothing outlives us; QProcess's destructor then reaps the child,
        // which after SIGKILL takes no time.
        disconnect(m_process, nullptr, this, nullptr);
        signalGroup(SIGKILL);
        m_process->kill();
        m_process->waitForFinished(1000);
    }
}

void JobRunner::start()
{
    m_startNs = monotonicNowNs();
    m_result.startedAtMs = QDateTime::currentMSecsSinceEpoch();
    if (m_spec.usesShell())
        m_process->start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), m_spec.shellCommand});
    else
        m_process->start(m_spec.program, m_spec.arguments);
    if (m_spec.timeoutMs > 0)
        m_timeoutTimer.start(m_spec.timeoutMs);
}

void JobRunner::onStarted()
{
    m_result.pid = m_process->processId();
    emit started(m_result.pid);
    if (m_stopRequested)
        beginStopping(); // stop() came while the process was still starting
}

void JobRunner::stop()
{
    if (m_finished || m_stopRequested)
        return;
    m_stopRequested = true;
    if (m_process->state() == QProcess::Running)
        beginStopping();
}

void JobRunner::onTimeout()
{
    if (m_finished)
        return;
    m_timedOut = true; // a timeout wins over an earlier stop for the status
    m_stopRequested = true;
    if (m_process->state() == QProcess::Running)
        beginStopping();
}

void JobRunner::beginStopping()
{
    if (m_signalsSent)
        return;
    m_signalsSent = true;
    signalGroup(SIGTERM);
    m_killTimer.start();
}

void JobRunner::signalGroup(int signal)
{
    // The pid is the group id (setpgid(0, 0) in the child). While the leader
    // has not been reaped its pid cannot be reused, so this never hits a
    // stranger's group.
    if (m_result.pid > 0)
        ::kill(-pid_t(m_result.pid), signal);
}

void JobRunner::onReadyRead(Stream stream)
{
    const QByteArray bytes = stream == Stream::Stdout ? m_process->readAllStandardOutput()
                                                      : m_process->readAllStandardError();
    if (bytes.isEmpty())
        return;
    m_log->append(stream, bytes);
    emit outputReceived();
}

void JobRunner::onProcessFinished(int exitCode, QProcess::ExitStatus status)
{
    if (m_signalsSent) {
        // The leader is gone; sweep whatever of its group ignored SIGTERM.
        signalGroup(SIGKILL);
    }
    // Drain what is left in the pipes before the result is final.
    onReadyRead(Stream::Stdout);
    onReadyRead(Stream::Stderr);
    if (status == QProcess::CrashExit) {
        // Qt reports the terminating signal's number as the exit code.
        m_result.outcome = Outcome::Signaled;
        m_result.signal = exitCode;
    } else {
        m_result.outcome = Outcome::Exited;
        m_result.exitCode = exitCode;
    }
    if (m_timedOut)
        m_result.outcome = Outcome::TimedOut;
    complete();
}

void JobRunner::onErrorOccurred(QProcess::ProcessError error)
{
    // Every other error is followed by finished(); a failed start is not.
    if (error != QProcess::FailedToStart)
        return;
    m_result.outcome = Outcome::FailedToStart;
    m_result.errorText = m_process->errorString();
    complete();
}

void JobRunner::complete()
{
    if (m_finished)
        return;
    m_finished = true;
    m_result.runtimeNs = monotonicNowNs() - m_startNs;
    m_killTimer.stop();
    m_timeoutTimer.stop();
    m_log->finish();
    emit finished();
}

} // namespace procdeck
