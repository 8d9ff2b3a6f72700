#include "jobrunner.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QProcessEnvironment>
#include <QStandardPaths>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace procdeck {

namespace {

// Programs named without a path, resolved once through $PATH instead of at
// every start (QProcess searches $PATH in the parent each time: a stat per
// directory per job). Only found programs are kept; one that fails to start
// is dropped again.
QHash<QString, QString> &resolvedPrograms()
{
    static QHash<QString, QString> cache;
    return cache;
}

QString resolveProgram(const QString &program, const QStringList &environment)
{
    if (program.isEmpty() || program.contains(QLatin1Char('/')))
        return program;
    for (const QString &pair : environment) {
        if (pair.startsWith(QLatin1String("PATH="))) {
            // The job's own PATH decides, as in a shell (QProcess alone would
            // search procdeck's).
            const QString found =
                QStandardPaths::findExecutable(program, pair.mid(5).split(QLatin1Char(':')));
            return found.isEmpty() ? program : found;
        }
    }
    const QString key = program + QLatin1Char('\n') + qEnvironmentVariable("PATH");
    auto it = resolvedPrograms().constFind(key);
    if (it != resolvedPrograms().constEnd())
        return *it;
    const QString found = QStandardPaths::findExecutable(program);
    if (found.isEmpty())
        return program; // let QProcess report it
    resolvedPrograms().insert(key, found);
    return found;
}

// Why a program surely cannot start, or empty when it may. Checked before
// QProcess::start: Qt 6.4 leaks a descriptor at every failed exec, and a
// batch of thousands of a mistyped command would run procdeck out of them
// (past that, nothing can start any more). What only exec can tell (a bad
// binary, say) still goes through QProcess.
QString cannotStart(const QString &program, const QString &workingDirectory)
{
    if (program.isEmpty())
        return QStringLiteral("no program given");
    if (!workingDirectory.isEmpty() && !QFileInfo(workingDirectory).isDir())
        return QStringLiteral("the working folder %1 does not exist").arg(workingDirectory);
    if (!program.contains(QLatin1Char('/'))) // resolveProgram() found nothing
        return QStringLiteral("%1: command not found").arg(program);
    const QString path = workingDirectory.isEmpty() || QDir::isAbsolutePath(program)
                             ? program
                             : QDir(workingDirectory).filePath(program);
    const QByteArray native = QFile::encodeName(path);
    struct stat info;
    int error = 0;
    if (::stat(native.constData(), &info) != 0)
        error = errno;
    else if (S_ISDIR(info.st_mode))
        error = EISDIR;
    else if (::access(native.constData(), X_OK) != 0)
        error = errno;
    return error ? QStringLiteral("%1: %2").arg(program, QString::fromLocal8Bit(strerror(error)))
                 : QString();
}

void forgetProgram(const QString &program)
{
    resolvedPrograms().removeIf(
        [&](const QHash<QString, QString>::iterator it) { return it.value() == program; });
}

// Big pipes for big printers. Few at once: past a per-user budget of pipe
// memory (pipe-user-pages-soft, 64 MiB by default) Linux gives every new
// pipe of the user one page, which would slow everything else down.
constexpr qint64 kGrowPipeAfterBytes = 4 << 20;
constexpr int kGrownPipeBytes = 1 << 20;
constexpr int kMaxGrownPipes = 16;
int grownPipes = 0; // runners all live in one thread

// Spilled output waiting for the disk, per job, before its reading pauses:
// what bounds memory when a job prints faster than the disk writes.
constexpr qint64 kMaxSpillBacklog = 8 << 20;
constexpr int kBacklogPollMs = 5;

} // namespace

qint64 JobRunner::monotonicNowNs()
{
    using namespace std::chrono;
    return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
}

JobRunner::JobRunner(const JobSpec &spec, OutputLog *log, QObject *parent)
    : QObject(parent)
    , m_spec(spec)
    , m_log(log)
{
    QList<Stage> stages;
    if (spec.usesShell())
        stages.append(Stage{spec.shell, {QStringLiteral("-c"), spec.shellCommand}});
    else if (spec.isPipeline())
        stages = spec.pipeline;
    else
        stages.append(Stage{spec.program, spec.arguments});
    // Built once for every stage of the job.
    QProcessEnvironment env;
    if (!spec.environment.isEmpty()) {
        env = QProcessEnvironment::systemEnvironment();
        for (const QString &pair : spec.environment) {
            const qsizetype eq = pair.indexOf(QLatin1Char('='));
            if (eq > 0)
                env.insert(pair.left(eq), pair.mid(eq + 1));
        }
    }
    m_stageCount = int(stages.size());
    for (int i = 0; i < stages.size(); ++i) {
        QProcess *p = createProcess(i, env);
        p->setProgram(resolveProgram(stages.at(i).program, spec.environment));
        p->setArguments(stages.at(i).arguments);
        m_processes.append(p);
        m_stageDone.append(false);
        m_result.stages.append(StageResult{});
    }
    for (int i = 0; i + 1 < m_processes.size(); ++i)
        m_processes.at(i)->setStandardOutputProcess(m_processes.at(i + 1));

    QProcess *first = m_processes.first();
    if (!spec.stdinFile.isEmpty())
        first->setStandardInputFile(spec.stdinFile);
    else if (!spec.hasStdinData)
        first->setStandardInputFile(QProcess::nullDevice()); // never the user's terminal
}

QProcess *JobRunner::createProcess(int stage, const QProcessEnvironment &env)
{
    auto *p = new QProcess(this);
    const bool last = stage == m_stageCount - 1;
    if (last) // stdout goes to our own pipe, set up in the child below
        p->setProcessChannelMode(QProcess::ForwardedOutputChannel);
    p->setChildProcessModifier([this, stage, last] {
        // In the child, after fork: async-signal-safe calls only.
        // The first stage makes a process group of its own, so that a stop
        // reaches its children too; later stages join it, like a shell's job.
        if (stage == 0 || ::setpgid(0, pid_t(m_pgid)) != 0)
            ::setpgid(0, 0);
        if (!last)
            return;
        if (m_stdoutWrite == STDOUT_FILENO) // procdeck started with no stdout
            ::fcntl(STDOUT_FILENO, F_SETFD, 0);
        else if (::dup2(m_stdoutWrite, STDOUT_FILENO) < 0) // the copy is not close-on-exec
            ::_exit(127);                                  // never write to procdeck's own stdout
    });
    if (!m_spec.workingDirectory.isEmpty())
        p->setWorkingDirectory(m_spec.workingDirectory);
    if (!env.isEmpty())
        p->setProcessEnvironment(env);
    connect(p, &QProcess::started, this, [this, stage] { onStageStarted(stage); });
    connect(p, &QProcess::readyReadStandardError, this, [this, p] { readStderr(p); });
    connect(p, &QProcess::finished, this, [this, stage](int code, QProcess::ExitStatus status) {
        onStageFinished(stage, code, status);
    });
    connect(p, &QProcess::errorOccurred, this,
            [this, stage](QProcess::ProcessError error) { onErrorOccurred(stage, error); });
    return p;
}

JobRunner::~JobRunner()
{
    if (anyRunning()) {
        // Only reached when the owner is torn down with jobs still running
        // (the window stops them first, asynchronously). Kill the whole group
        // so nothing outlives us; QProcess's destructor then reaps the child,
        // which after SIGKILL takes no time.
        for (QProcess *p : std::as_const(m_processes))
            disconnect(p, nullptr, this, nullptr);
        signalGroup(SIGKILL);
        for (QProcess *p : std::as_const(m_processes)) {
            p->kill();
            p->waitForFinished(1000);
        }
    }
    closeStdoutPipe();
}

bool JobRunner::anyRunning() const
{
    for (QProcess *p : m_processes) {
        if (p->state() != QProcess::NotRunning)
            return true;
    }
    return false;
}

void JobRunner::start()
{
    m_startNs = monotonicNowNs();
    m_result.startedAtMs = QDateTime::currentMSecsSinceEpoch();
    for (int i = 0; i < m_processes.size(); ++i) {
        const QString problem = cannotStart(m_processes.at(i)->program(), m_spec.workingDirectory);
        if (!problem.isEmpty()) {
            forgetProgram(m_processes.at(i)->program());
            failToStart(i, problem);
            return;
        }
    }
    if (!openStdoutPipe())
        return;
    for (int i = 0; i < m_processes.size() && !m_finished; ++i) {
        m_processes.at(i)->start();
        if (i == 0)
            m_pgid = m_processes.at(0)->processId();
    }
    if (m_finished)
        return;
    // Only the children hold the write end now: the pipe ends when they do.
    ::close(m_stdoutWrite);
    m_stdoutWrite = -1;
    m_stdoutNotifier = new QSocketNotifier(m_stdoutRead, QSocketNotifier::Read, this);
    connect(m_stdoutNotifier, &QSocketNotifier::activated, this, [this] { readStdout(false); });
    if (m_spec.hasStdinData) {
        m_processes.first()->write(m_spec.stdinData);
        m_processes.first()->closeWriteChannel();
    }
    if (m_spec.timeoutMs > 0)
        armTimer(m_timeoutTimer, m_spec.timeoutMs, &JobRunner::onTimeout);
}

void JobRunner::onStageStarted(int stage)
{
    m_result.stages[stage].pid = m_processes.at(stage)->processId();
    if (stage == 0) {
        m_result.pid = m_result.stages[0].pid;
        m_pgid = m_result.pid;
        emit started(m_result.pid);
    }
    if (m_stopRequested && stage == m_processes.size() - 1)
        runKillSequence(); // stop() came while the job was starting
}

void JobRunner::stop()
{
    if (m_finished || m_result.stoppedByUser)
        return;
    m_result.stoppedByUser = true; // no retry, whatever else is under way
    if (m_stopRequested && m_signalsSent) {
        // A timeout's kill sequence is running (it may wait long): the user
        // asked to stop, so it ends within the grace period.
        m_killSteps = {{SIGKILL, 0}};
        m_killStep = 0;
        armTimer(m_killTimer, m_graceMs, &JobRunner::nextKillStep);
        return;
    }
    m_stopRequested = true;
    m_killSteps = {{SIGTERM, m_graceMs}, {SIGKILL, 0}};
    if (m_result.pid > 0)
        runKillSequence();
}

void JobRunner::kill()
{
    if (m_finished)
        return;
    m_result.stoppedByUser = true;
    m_stopRequested = true;
    // Replaces whatever sequence is running: KILL now.
    m_killSteps = {{SIGKILL, 0}};
    m_killStep = 0;
    m_signalsSent = m_result.pid > 0;
    if (m_signalsSent)
        nextKillStep();
}

void JobRunner::armTimer(QTimer *&timer, int ms, void (JobRunner::*slot)())
{
    // Made on first use: most jobs end by themselves and never need one.
    if (!timer) {
        timer = new QTimer(this);
        timer->setSingleShot(true);
        connect(timer, &QTimer::timeout, this, slot);
    }
    timer->start(ms);
}

void JobRunner::onTimeout()
{
    if (m_finished || m_signalsSent)
        return;
    m_timedOut = true;
    m_stopRequested = true;
    m_killSteps = m_spec.termSequence.isEmpty() ? defaultTermSequence() : m_spec.termSequence;
    if (m_result.pid > 0)
        runKillSequence();
}

void JobRunner::runKillSequence()
{
    if (m_signalsSent)
        return;
    m_signalsSent = true;
    m_killStep = 0;
    nextKillStep();
}

void JobRunner::nextKillStep()
{
    if (m_killStep >= m_killSteps.size() || m_finished)
        return;
    const KillStep step = m_killSteps.at(m_killStep++);
    signalGroup(step.signal);
    if (m_killStep < m_killSteps.size())
        armTimer(m_killTimer, step.waitMs, &JobRunner::nextKillStep);
}

void JobRunner::signalGroup(int signal)
{
    // The first stage's pid is the group id (setpgid in the child). While
    // that child has not been reaped its pid cannot be reused, so this
    // never hits a stranger's group.
    if (m_pgid > 0)
        ::kill(-pid_t(m_pgid), signal);
}

void JobRunner::readStderr(QProcess *process)
{
    // After the end (a failed stage's siblings dying), the log may already
    // belong to the job's next attempt.
    if (m_finished)
        return;
    const QByteArray bytes = process->readAllStandardError();
    if (bytes.isEmpty())
        return;
    m_log->append(Stream::Stderr, bytes);
    emit outputReceived();
}

bool JobRunner::openStdoutPipe()
{
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        failToStart(-1, QStringLiteral("could not make a pipe for its output: %1")
                            .arg(QString::fromLocal8Bit(strerror(errno))));
        return false;
    }
    ::fcntl(fds[0], F_SETFL, ::fcntl(fds[0], F_GETFL) | O_NONBLOCK);
    m_stdoutRead = fds[0];
    m_stdoutWrite = fds[1];
    return true;
}

void JobRunner::readStdout(bool drain)
{
    if (m_stdoutRead < 0 || m_finished)
        return;
    if (!drain && m_log->spillBacklog(Stream::Stdout) > kMaxSpillBacklog) {
        // The job prints faster than the disk takes it: stop reading (its
        // writes block on the full pipe) until the backlog is written.
        m_stdoutNotifier->setEnabled(false);
        armTimer(m_backlogTimer, kBacklogPollMs, &JobRunner::resumeStdout);
        return;
    }
    constexpr qint64 kReadBytes = 256 * 1024;
    if (!m_pipeGrowTried && m_log->byteCount(Stream::Stdout) >= kGrowPipeAfterBytes &&
        grownPipes < kMaxGrownPipes) {
        // A job that prints this much keeps printing: a bigger pipe lets it
        // write on while we are busy, and costs both sides fewer wakeups.
        // (Tried once: it fails when the user's pipe budget is spent.)
        m_pipeGrowTried = true;
        m_pipeGrown = ::fcntl(m_stdoutRead, F_SETPIPE_SZ, kGrownPipeBytes) > 0;
        grownPipes += m_pipeGrown ? 1 : 0;
    }
    bool received = false;
    // While the job runs, a few reads and back to the event loop (the
    // notifier fires again if more is there). At the end, what the pipe
    // holds now: everything the job wrote is in it, and a background
    // child still writing must not keep us here.
    int left = 0;
    if (drain && ::ioctl(m_stdoutRead, FIONREAD, &left) != 0)
        left = 0;
    for (int reads = 0; drain ? left > 0 : reads < 4; ++reads) {
        qint64 room = 0;
        char *to = m_log->beginAppend(Stream::Stdout, kReadBytes, &room);
        static char discard[64 * 1024]; // the log takes no more: still empty the pipe
        const ssize_t n =
            ::read(m_stdoutRead, to ? to : discard, to ? size_t(room) : sizeof discard);
        m_log->commitAppend(Stream::Stdout, n > 0 && to ? qint64(n) : 0);
        if (n > 0) {
            received = true;
            left -= int(n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0) // every writer is gone: nothing more will come
            closeStdoutPipe();
        break; // EAGAIN: empty for now
    }
    if (received)
        emit outputReceived();
}

void JobRunner::resumeStdout()
{
    if (!m_stdoutNotifier || m_finished)
        return;
    if (m_log->spillBacklog(Stream::Stdout) > kMaxSpillBacklog) {
        armTimer(m_backlogTimer, kBacklogPollMs, &JobRunner::resumeStdout);
        return;
    }
    m_stdoutNotifier->setEnabled(true);
}

void JobRunner::closeStdoutPipe()
{
    if (m_pipeGrown)
        --grownPipes;
    m_pipeGrown = false;
    delete m_stdoutNotifier;
    m_stdoutNotifier = nullptr;
    for (int *fd : {&m_stdoutRead, &m_stdoutWrite}) {
        if (*fd >= 0)
            ::close(*fd);
        *fd = -1;
    }
}

void JobRunner::onStageFinished(int stage, int exitCode, QProcess::ExitStatus status)
{
    QProcess *p = m_processes.at(stage);
    // Drain what is left in the pipes before the result is final.
    if (stage == m_processes.size() - 1)
        readStdout(true);
    readStderr(p);
    StageResult &r = m_result.stages[stage];
    if (status == QProcess::CrashExit) {
        r.signal = exitCode; // Qt reports the terminating signal's number here
    } else {
        r.exitCode = exitCode;
    }
    m_stageDone[stage] = true;
    if (m_stageDone.contains(false))
        return;
    if (m_signalsSent) {
        // The job's processes are gone; sweep whatever of its group ignored
        // SIGTERM (a grandchild, say).
        signalGroup(SIGKILL);
    }
    // Like a shell, a pipeline's status is its last stage's.
    const StageResult &last = m_result.stages.last();
    if (last.signal != 0) {
        m_result.outcome = Outcome::Signaled;
        m_result.signal = last.signal;
    } else {
        m_result.outcome = Outcome::Exited;
        m_result.exitCode = last.exitCode;
    }
    if (m_timedOut)
        m_result.outcome = Outcome::TimedOut;
    complete();
}

void JobRunner::onErrorOccurred(int stage, QProcess::ProcessError error)
{
    // Every other error is followed by finished(); a failed start is not.
    if (error != QProcess::FailedToStart || m_finished)
        return;
    forgetProgram(m_processes.at(stage)->program());
    setStartError(stage, m_processes.at(stage)->errorString());
    // The other stages of a pipeline cannot do anything useful alone.
    signalGroup(SIGKILL);
    for (QProcess *p : std::as_const(m_processes)) {
        if (p->state() != QProcess::NotRunning) {
            p->kill();
            // Their finished() still comes; complete() below ignores it.
        }
    }
    complete();
}

void JobRunner::setStartError(int stage, const QString &reason)
{
    m_result.outcome = Outcome::FailedToStart;
    m_result.errorText =
        stage >= 0 && m_processes.size() > 1
            ? QStringLiteral("%1 (stage %2: %3)")
                  .arg(reason, QString::number(stage + 1), m_processes.at(stage)->program())
            : reason;
}

void JobRunner::failToStart(int stage, const QString &reason)
{
    setStartError(stage, reason);
    // Later, as QProcess reports its own failures: the scheduler starts the
    // next job from finished(), and a whole batch failing at once must not
    // nest one start inside the other.
    QMetaObject::invokeMethod(this, &JobRunner::complete, Qt::QueuedConnection);
}

void JobRunner::complete()
{
    if (m_finished)
        return;
    m_finished = true;
    m_result.runtimeNs = monotonicNowNs() - m_startNs;
    // A background process the job left may still hold the pipe open: what
    // it writes from now on is not the job's (it gets EPIPE, as with a shell
    // whose reader has gone).
    closeStdoutPipe();
    for (QTimer *timer : {m_killTimer, m_timeoutTimer, m_backlogTimer}) {
        if (timer)
            timer->stop();
    }
    m_log->finish();
    emit finished();
}

} // namespace procdeck
