#include "app/core/jobresult.h"

#include <csignal>
#include <cstring>

namespace procdeck {

QString signalName(int signal)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
    if (const char *abbrev = sigabbrev_np(signal))
        return QStringLiteral("SIG") + QString::fromLatin1(abbrev);
#else
    switch (signal) {
    case SIGHUP:
        return QStringLiteral("SIGHUP");
    case SIGINT:
        return QStringLiteral("SIGINT");
    case SIGQUIT:
        return QStringLiteral("SIGQUIT");
    case SIGILL:
        return QStringLiteral("SIGILL");
    case SIGABRT:
        return QStringLiteral("SIGABRT");
    case SIGFPE:
        return QStringLiteral("SIGFPE");
    case SIGKILL:
        return QStringLiteral("SIGKILL");
    case SIGSEGV:
        return QStringLiteral("SIGSEGV");
    case SIGPIPE:
        return QStringLiteral("SIGPIPE");
    case SIGALRM:
        return QStringLiteral("SIGALRM");
    case SIGTERM:
        return QStringLiteral("SIGTERM");
    case SIGBUS:
        return QStringLiteral("SIGBUS");
    default:
        break;
    }
#endif
    return QStringLiteral("signal %1").arg(signal);
}

QString formatSeconds(qint64 nanoseconds)
{
    return QString::number(double(nanoseconds) / 1e9, 'f', 3);
}

QString formatBytes(qint64 bytes)
{
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
    double value = double(bytes) / 1024;
    int unit = 0;
    while (value >= 1000 && unit < 3) { // "1000 KiB" reads worse than "0.98 MiB"
        value /= 1024;
        ++unit;
    }
    const int decimals = value < 10 ? 2 : value < 100 ? 1 : 0;
    return QStringLiteral("%1 %2").arg(value, 0, 'f', decimals).arg(QLatin1String(units[unit]));
}

QString describeOutcome(const JobResult &result, int timeoutMs)
{
    switch (result.outcome) {
    case Outcome::None:
        return QString();
    case Outcome::Exited:
        return QStringLiteral("Exit %1").arg(result.exitCode);
    case Outcome::Signaled:
        if (result.signal == SIGTERM)
            return QStringLiteral("Terminated by SIGTERM");
        return QStringLiteral("Killed by %1").arg(signalName(result.signal));
    case Outcome::FailedToStart:
        return QStringLiteral("Failed to start: %1").arg(result.errorText);
    case Outcome::TimedOut:
        return QStringLiteral("Timed out after %1 s").arg(double(timeoutMs) / 1000.0, 0, 'f', 1);
    case Outcome::Canceled:
        return QStringLiteral("Canceled");
    case Outcome::Interrupted:
        return QStringLiteral("Interrupted");
    }
    return QString();
}

} // namespace procdeck
