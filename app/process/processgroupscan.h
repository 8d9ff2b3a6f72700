#pragma once

#include <QHash>
#include <QtGlobal>

#include <vector>

namespace procdeck {

// What the processes of one process group use at one moment.
struct GroupUsage
{
    qint64 cpuTicks = 0; // user + system time, clock ticks, with what they reaped
    qint64 rssBytes = 0; // resident memory, summed like ps (shared pages count twice)
    int processes = 0;
};

// Reads /proc once and sums, for each process group asked for, every
// process in it: a job's group holds its shell, the shell's children, and
// whatever they started, also after their parents are gone. A process's
// CPU time includes the children it has waited for (cutime, cstime), so
// short-lived children that were reaped inside the group still count.
//
// Plain POSIX reads, no Qt I/O: with 1,000 jobs running this reads some
// 2,000 files a second. Not thread-affine; the ResourceSampler runs it on
// its own thread.
class ProcessGroupScan
{
public:
    // Groups to sum; pgid <= 0 is ignored.
    static QHash<qint64, GroupUsage> scan(const std::vector<qint64> &groups);

    // The processes of a session, with their process groups: a job on a
    // terminal is a session, and one that turns on job control (set -m,
    // bash -i) puts what it starts into groups of their own within it.
    struct Member
    {
        qint64 pid = 0;
        qint64 pgrp = 0;
    };
    static std::vector<Member> sessionMembers(qint64 session);

    // One /proc/PID/stat line's fields that matter here; false when the
    // line does not parse. Public for tests: the command name may hold
    // spaces and parentheses.
    struct Stat
    {
        qint64 pgrp = 0;
        qint64 session = 0;
        qint64 cpuTicks = 0;
        qint64 rssPages = 0;
    };
    static bool parseStat(const char *line, qsizetype length, Stat *out);

    static qint64 ticksPerSecond();
    static qint64 pageSize();

private:
    // Calls visit(pid, stat) for every process /proc shows.
    template <typename Visit> static void forEachProcess(Visit visit);
};

} // namespace procdeck
