#include "app/process/jobrunner.h"

#include "app/process/processgroupscan.h"

#include "app/core/rawtext.h"
#include "app/core/shellquote.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QThread>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

namespace procdeck {

namespace {

// CPU time of every child procdeck has reaped, as the kernel sums it
// (RUSAGE_CHILDREN: each child with the children it waited for).
qint64 reapedChildrenCpuNs()
{
    rusage usage{};
    ::getrusage(RUSAGE_CHILDREN, &usage);
    auto ns = [](const timeval &t) {
        return qint64(t.tv_sec) * 1000000000 + qint64(t.tv_usec) * 1000;
    };
    return ns(usage.ru_utime) + ns(usage.ru_stime);
}

// The sum at the last reap we accounted for. QProcess reaps a child
// (through its pidfd) right before it emits finished(), on this thread, so
// the growth since the last finished() is that child's own CPU time.
// -1 until the first job starts.
qint64 g_accountedReapedCpuNs = -1;

qint64 takeReapedCpuNs()
{
    const qint64 now = reapedChildrenCpuNs();
    const qint64 grown = g_accountedReapedCpuNs < 0 ? 0 : now - g_accountedReapedCpuNs;
    g_accountedReapedCpuNs = now;
    return qMax<qint64>(0, grown);
}

// A job on a terminal gets one this big (programs that lay out their
// output read it).
constexpr int kTerminalRows = 40;
constexpr int kTerminalColumns = 120;

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
    const QByteArray native = RawText::encode(path);
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

} // namespace

qint64 JobRunner::monotonicNowNs()
{
    using namespace std::chrono;
    return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
}

JobRunner::JobRunner(const JobSpec &spec, OutputLog *log, QObject *parent)
    : LaunchedJob(parent)
    , m_spec(spec)
    , m_log(log)
    , m_stdout(new PipeReader(log, Stream::Stdout, this))
    , m_stderr(new PipeReader(log, Stream::Stderr, this))
{
    for (PipeReader *reader : {m_stdout, m_stderr}) {
        connect(reader, &PipeReader::received, this, [this] {
            if (!m_finished)
                emit outputReceived();
        });
    }
    QList<Stage> stages;
    if (spec.usesShell()) {
        stages.append(Stage{spec.shell, {QStringLiteral("-c"), spec.shellCommand}});
    } else if (spec.isPipeline() && spec.usePty) {
        // On a terminal the job is a session of its own, and a process
        // started from here cannot join another session's group: the shell
        // runs the pipeline, so every stage is in the job's one group.
        QStringList commands;
        for (const Stage &stage : spec.pipeline)
            commands << shellJoin(QStringList{stage.program} + stage.arguments);
        stages.append(
            Stage{spec.shell, {QStringLiteral("-c"), commands.join(QStringLiteral(" | "))}});
    } else if (spec.isPipeline()) {
        stages = spec.pipeline;
    } else {
        stages.append(Stage{spec.program, spec.arguments});
    }
    // Built once for every stage of the job.
    QProcessEnvironment env;
    if (!spec.environment.isEmpty() || spec.usePty) {
        env = QProcessEnvironment::systemEnvironment();
        for (const QString &pair : spec.environment) {
            const qsizetype eq = pair.indexOf(QLatin1Char('='));
            if (eq > 0)
                env.insert(pair.left(eq), pair.mid(eq + 1));
        }
        if (spec.usePty && !env.contains(QStringLiteral("TERM")))
            env.insert(QStringLiteral("TERM"), QStringLiteral("xterm-256color"));
        // On a terminal, git, systemctl and man start a pager, which would
        // wait for keys nobody presses: they print instead, unless the job
        // asks for a pager itself.
        if (spec.usePty) {
            for (const char *pager : {"PAGER", "GIT_PAGER", "SYSTEMD_PAGER", "MANPAGER"}) {
                if (!env.contains(QLatin1String(pager)))
                    env.insert(QLatin1String(pager), QStringLiteral("cat"));
            }
        }
    }
    m_stageCount = int(stages.size());
    for (int i = 0; i < stages.size(); ++i) {
        const QString program = resolveProgram(stages.at(i).program, spec.environment);
        // Bytes that are no UTF-8: the child execs them itself (see
        // ExactExec); QProcess keeps the words for its messages and its
        // own exec, reached only should that one fail.
        m_exactExecs.push_back(
            ExactExec::needed(program, stages.at(i).arguments)
                ? std::make_unique<ExactExec>(program, stages.at(i).arguments, env)
                : nullptr);
        QProcess *p = createProcess(i, env);
        p->setProgram(program);
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
    else if (!spec.hasStdinData && !spec.stdinFromCaller)
        first->setStandardInputFile(QProcess::nullDevice()); // never the user's terminal
}

QProcess *JobRunner::createProcess(int stage, const QProcessEnvironment &env)
{
    auto *p = new QProcess(this);
    // Output goes to our own pipes, set up in the child below: every
    // stage's stderr into one, like a shell's, and the last stage's stdout
    // (the others' feeds the next stage).
    const bool last = stage == m_stageCount - 1;
    p->setProcessChannelMode(last ? QProcess::ForwardedChannels : QProcess::ForwardedErrorChannel);
    // On a terminal (always one stage): stdin is the terminal too, unless
    // the job reads a text, a file or its caller.
    const bool terminalStdin = m_spec.usePty && m_spec.stdinFile.isEmpty() &&
                               !m_spec.hasStdinData && !m_spec.stdinFromCaller;
    p->setChildProcessModifier([this, stage, last, terminalStdin] {
        // In the child, after fork: async-signal-safe calls only.
        // --nice: as parallel, the job's own niceness; a refusal (a
        // negative one without the right) leaves it as it was.
        if (m_spec.setsNice)
            ::setpriority(PRIO_PROCESS, 0, m_spec.nice);
        if (m_spec.usePty) {
            // A session of its own with the terminal as its controlling
            // one, as a shell in a terminal window gives: isatty() holds,
            // and /dev/tty works. Its pid is its session's and its group's
            // id, so a stop still reaches everything it starts.
            const int tty = m_stdout->writeEnd();
            if (::setsid() < 0 || ::ioctl(tty, TIOCSCTTY, 0) != 0 ||
                ::dup2(tty, STDOUT_FILENO) < 0 || ::dup2(tty, STDERR_FILENO) < 0 ||
                (terminalStdin && ::dup2(tty, STDIN_FILENO) < 0))
                ::_exit(127);
            execExact(stage);
            return;
        }
        // The first stage makes a process group of its own, so that a stop
        // reaches its children too; later stages join it, like a shell's job.
        if (stage == 0 || ::setpgid(0, pid_t(m_pgid)) != 0)
            ::setpgid(0, 0);
        // The copies are not close-on-exec. Should one fail, the job must
        // not write to procdeck's own stdout or stderr.
        if (::dup2(m_stderr->writeEnd(), STDERR_FILENO) < 0 ||
            (last && ::dup2(m_stdout->writeEnd(), STDOUT_FILENO) < 0))
            ::_exit(127);
        execExact(stage);
    });
    if (!m_spec.workingDirectory.isEmpty())
        p->setWorkingDirectory(m_spec.workingDirectory);
    if (!env.isEmpty())
        p->setProcessEnvironment(env);
    connect(p, &QProcess::started, this, [this, stage] { onStageStarted(stage); });
    connect(p, &QProcess::finished, this, [this, stage](int code, QProcess::ExitStatus status) {
        onStageFinished(stage, code, status);
    });
    connect(p, &QProcess::errorOccurred, this,
            [this, stage](QProcess::ProcessError error) { onErrorOccurred(stage, error); });
    return p;
}

void JobRunner::execExact(int stage) const
{
    // In the child (see createProcess()): the last thing before QProcess's
    // own execve, which is reached only if this one fails.
    if (const ExactExec *exact = m_exactExecs[size_t(stage)].get())
        exact->exec();
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
        takeReapedCpuNs(); // not another job's: reaped without finished()
    }
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
    if (g_accountedReapedCpuNs < 0)
        takeReapedCpuNs();
    m_result.startedAtMs = QDateTime::currentMSecsSinceEpoch();
    for (int i = 0; i < m_processes.size(); ++i) {
        const QString problem = cannotStart(m_processes.at(i)->program(), m_spec.workingDirectory);
        if (!problem.isEmpty()) {
            forgetProgram(m_processes.at(i)->program());
            failToStart(i, problem);
            return;
        }
    }
    // A pipeline on a terminal runs under the shell (see the constructor):
    // its stages are checked as they would be on pipes, so a mistyped one
    // fails to start the same way, not as the shell's 127.
    if (m_spec.usePty && m_spec.isPipeline() && !m_spec.usesShell()) {
        for (const Stage &stage : m_spec.pipeline) {
            const QString program = resolveProgram(stage.program, m_spec.environment);
            const QString problem = cannotStart(program, m_spec.workingDirectory);
            if (!problem.isEmpty()) {
                forgetProgram(program);
                failToStart(-1, problem);
                return;
            }
        }
    }
    if (m_spec.usePty) {
        // One stream: stderr's reader stays closed.
        if (const Expected<void> opened = m_stdout->openTerminal(kTerminalRows, kTerminalColumns);
            !opened) {
            failToStart(-1, opened.error());
            return;
        }
    } else {
        for (PipeReader *pipe : {m_stdout, m_stderr}) {
            if (const Expected<void> opened = pipe->open(); !opened) {
                failToStart(-1, opened.error());
                return;
            }
        }
    }
    for (int i = 0; i < m_processes.size() && !m_finished; ++i) {
        m_processes.at(i)->start();
        if (i == 0)
            m_pgid = m_processes.at(0)->processId();
    }
    if (m_finished)
        return;
    m_stdout->startReading();
    m_stderr->startReading();
    if (m_spec.hasStdinData) {
        m_processes.first()->write(m_spec.stdinData);
        m_processes.first()->closeWriteChannel();
    }
    if (m_spec.timeoutMs > 0)
        armTimer(m_timeoutTimer, m_spec.timeoutMs, &JobRunner::onTimeout);
}

void JobRunner::writeStdin(const QByteArray &bytes)
{
    if (!m_finished && m_spec.stdinFromCaller)
        m_processes.first()->write(bytes);
}

void JobRunner::closeStdin()
{
    if (!m_finished && m_spec.stdinFromCaller)
        m_processes.first()->closeWriteChannel();
}

void JobRunner::sendSignal(int signal)
{
    if (!m_finished)
        signalGroup(signal);
}

LaunchedJob *LocalLauncher::launch(const JobSpec &spec, OutputLog *log, QObject *parent)
{
    return new JobRunner(spec, log, parent);
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
    if (m_pgid <= 0)
        return;
    ::kill(-pid_t(m_pgid), signal);
    // On a terminal the job is a session (its leader's pid is the session
    // id too), and job control within it (set -m, bash -i) moves what it
    // starts into groups of their own: those get the signal one by one.
    // Read just now, so their pids are still theirs.
    if (m_spec.usePty) {
        for (const ProcessGroupScan::Member &m : ProcessGroupScan::sessionMembers(m_pgid)) {
            if (m.pgrp != m_pgid)
                ::kill(pid_t(m.pid), signal);
        }
    }
}

void JobRunner::onStageFinished(int stage, int exitCode, QProcess::ExitStatus status)
{
    // First, before anything else can reap: see takeReapedCpuNs().
    // Where Qt has no pidfd (kernels before 5.4) it reaps in a signal
    // handler, and the growth could hold other jobs' time too: no process
    // uses more than every core for as long as it ran.
    const qint64 reaped = takeReapedCpuNs();
    const qint64 bound = (monotonicNowNs() - m_startNs) * qMax(1, QThread::idealThreadCount());
    m_result.cpuNs = qMax<qint64>(0, m_result.cpuNs) + qMin(reaped, bound);
    StageResult &r = m_result.stages[stage];
    if (status == QProcess::CrashExit) {
        r.signal = exitCode; // Qt reports the terminating signal's number here
    } else {
        r.exitCode = exitCode;
    }
    m_stageDone[stage] = true;
    if (m_stageDone.contains(false))
        return;
    // What is left in the pipes, before the result is final.
    m_stdout->drain();
    m_stderr->drain();
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
    // A background process the job left may still hold a pipe open: what
    // it writes from now on is not the job's.
    m_stdout->close();
    m_stderr->close();
    for (QTimer *timer : {m_killTimer, m_timeoutTimer}) {
        if (timer)
            timer->stop();
    }
    m_log->finish();
    emit finished();
}

} // namespace procdeck
