#pragma once
// Helpers shared by the test suites.

#include "app/core/jobspec.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTest>

#include <csignal>
#include <sys/resource.h>
#include <sys/types.h>

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
