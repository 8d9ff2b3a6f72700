#pragma once
// Helpers shared by the test suites.

#include "app/core/jobspec.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTest>

#include <csignal>
#include <sys/resource.h>
#include <sys/types.h>
#include <unistd.h>

#include <vector>

// Fails the test, with its message, when an Expected holds an error.
#define QVERIFY_OK(expr)                                                                           \
    do {                                                                                           \
        const auto &result_ = (expr);                                                              \
        QVERIFY2(result_.ok(), qPrintable(result_.error()));                                       \
    } while (false)

namespace testsupport {

inline QString childPath()
{
    return QStringLiteral(TESTCHILD);
}

// A spec that runs the test child in the given mode.
inline procdeck::JobSpec child(const QStringList &args)
{
    procdeck::JobSpec spec;
    spec.program = childPath();
    spec.arguments = args;
    return spec;
}

// n copies of one spec: a batch.
inline std::vector<procdeck::JobSpec> times(const procdeck::JobSpec &spec, int n)
{
    return std::vector<procdeck::JobSpec>(size_t(n), spec);
}

inline procdeck::JobSpec shell(const QString &command)
{
    procdeck::JobSpec spec;
    spec.shellCommand = command;
    return spec;
}

// The fields of /proc/PID/stat after the command name, or empty when the
// process is gone.
inline QStringList procStat(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QString line = QString::fromLatin1(f.readAll());
    const qsizetype close = line.lastIndexOf(QLatin1Char(')'));
    return line.mid(close + 2).split(QLatin1Char(' '));
}

// Alive means it exists and is not a zombie waiting to be reaped by init.
inline bool processAlive(qint64 pid)
{
    const QStringList stat = procStat(pid);
    return !stat.isEmpty() && stat.value(0) != QLatin1String("Z") &&
           stat.value(0) != QLatin1String("X");
}

// Every live process whose process group is `pgid`.
inline QList<qint64> groupMembers(qint64 pgid)
{
    QList<qint64> pids;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &entry : entries) {
        bool ok = false;
        const qint64 pid = entry.toLongLong(&ok);
        if (!ok)
            continue;
        const QStringList stat = procStat(pid);
        if (stat.size() > 2 && stat.at(2).toLongLong() == pgid && processAlive(pid))
            pids << pid;
    }
    return pids;
}

// Every live process whose parent is `pid` (any of its threads).
inline QList<qint64> childrenOf(qint64 pid)
{
    QList<qint64> pids;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &entry : entries) {
        bool ok = false;
        const qint64 child = entry.toLongLong(&ok);
        if (!ok)
            continue;
        const QStringList stat = procStat(child);
        if (stat.size() > 2 && stat.at(1).toLongLong() == pid && processAlive(child))
            pids << child;
    }
    return pids;
}

// The process `p` starts next gets a process group of its own (its pid is
// the group's id): a kill of that group cannot reach the test itself.
inline void startsOwnProcessGroup(QProcess &p)
{
    p.setChildProcessModifier([] { ::setpgid(0, 0); });
}

// Kills a procdeck started with startsOwnProcessGroup() as kill -9 would,
// and everything it started: its group first, then the groups its
// children were in (each procdeck job has one of its own, which the first
// kill does not reach), so no job outlives it holding a pipe or a slot.
// Reaps it. Returns the children's groups; safe to call twice.
inline QList<qint64> killProcessTree(QProcess &p)
{
    QList<qint64> groups;
    if (p.state() == QProcess::NotRunning)
        return groups;
    const qint64 pid = p.processId();
    // Read before the kill: then the children are still procdeck's.
    for (qint64 child : childrenOf(pid)) {
        const qint64 group = procStat(child).value(2).toLongLong();
        if (group > 1 && group != qint64(::getpgrp()) && !groups.contains(group))
            groups << group;
    }
    if (pid > 0 && ::getpgid(pid_t(pid)) == pid_t(pid))
        ::kill(-pid_t(pid), SIGKILL);
    else
        p.kill(); // not a group of its own after all: the process alone
    p.waitForFinished(30000);
    for (qint64 group : std::as_const(groups))
        ::kill(-pid_t(group), SIGKILL);
    return groups;
}

// The command line of a process, arguments separated by spaces.
inline QString commandLine(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/cmdline").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QByteArray raw = f.readAll();
    raw.replace('\0', ' ');
    return QString::fromLocal8Bit(raw).trimmed();
}

// A QProcess destroyed while its child still runs means a leaked child.
inline void failOnLeakedProcess()
{
    QTest::failOnWarning(QRegularExpression(QStringLiteral("Destroyed while process")));
}

// How many file descriptors this process has open.
inline int openDescriptors()
{
    return int(QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::Files | QDir::System).size());
}

// Bytes that do not compress, the same for the same seed.
inline QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QRandomGenerator rng(seed);
    QByteArray out(size, Qt::Uninitialized);
    for (char &c : out)
        c = char(rng.bounded(256));
    return out;
}

// While it lives, files this process writes cannot grow past `bytes`
// (writes past it fail with EFBIG instead of raising SIGXFSZ): a full disk,
// made to order.
class FileSizeLimit
{
public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        struct sigaction ignore = {};
        ignore.sa_handler = SIG_IGN;
        sigaction(SIGXFSZ, &ignore, &m_oldAction);
        getrlimit(RLIMIT_FSIZE, &m_oldLimit);
        rlimit limit = m_oldLimit;
        limit.rlim_cur = bytes;
        setrlimit(RLIMIT_FSIZE, &limit);
    }
    ~FileSizeLimit()
    {
        setrlimit(RLIMIT_FSIZE, &m_oldLimit);
        sigaction(SIGXFSZ, &m_oldAction, nullptr);
    }
    FileSizeLimit(const FileSizeLimit &) = delete;
    FileSizeLimit &operator=(const FileSizeLimit &) = delete;

private:
    struct sigaction m_oldAction = {};
    rlimit m_oldLimit{};
};

} // namespace testsupport
