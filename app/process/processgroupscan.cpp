#include "app/process/processgroupscan.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace procdeck {

namespace {

// Reads a whole small file into buf; the length, or -1.
qsizetype readSmallFile(const char *path, char *buf, size_t size)
{
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    const ssize_t n = ::read(fd, buf, size - 1);
    ::close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    return n;
}

} // namespace

template <typename Visit> void ProcessGroupScan::forEachProcess(Visit visit)
{
    DIR *proc = ::opendir("/proc");
    if (!proc)
        return;
    char path[300]; // d_name is at most 255 bytes
    char buf[1024];
    while (const dirent *entry = ::readdir(proc)) {
        const char *name = entry->d_name;
        if (name[0] < '1' || name[0] > '9')
            continue; // not a process
        std::snprintf(path, sizeof path, "/proc/%s/stat", name);
        const qsizetype n = readSmallFile(path, buf, sizeof buf);
        Stat stat;
        if (n < 0 || !parseStat(buf, n, &stat)) // gone meanwhile, or unreadable
            continue;
        visit(qint64(std::strtoll(name, nullptr, 10)), stat);
    }
    ::closedir(proc);
}

qint64 ProcessGroupScan::ticksPerSecond()
{
    static const qint64 ticks = qMax<long>(1, ::sysconf(_SC_CLK_TCK));
    return ticks;
}

qint64 ProcessGroupScan::pageSize()
{
    static const qint64 size = qMax<long>(1, ::sysconf(_SC_PAGESIZE));
    return size;
}

bool ProcessGroupScan::parseStat(const char *line, qsizetype length, Stat *out)
{
    // "pid (comm) state ppid pgrp ...": comm may hold anything, so the
    // fields start after the last ')'.
    const char *end = line + length;
    const char *close = nullptr;
    for (const char *p = end; p > line; --p) {
        if (p[-1] == ')') {
            close = p;
            break;
        }
    }
    if (!close)
        return false;
    // Field numbers as in proc(5): 3 state, 5 pgrp, 6 session, 14 utime, 15 stime,
    // 16 cutime, 17 cstime, 24 rss.
    qint64 fields[25] = {};
    int field = 3;
    const char *p = close;
    while (p < end && field <= 24) {
        while (p < end && *p == ' ')
            ++p;
        if (p >= end)
            break;
        const char *start = p;
        while (p < end && *p != ' ' && *p != '\n')
            ++p;
        if (field != 3) {
            char *parsedEnd = nullptr;
            fields[field] = std::strtoll(start, &parsedEnd, 10);
            if (parsedEnd == start)
                return false;
        }
        ++field;
        if (p < end && *p == '\n')
            break;
    }
    if (field <= 24)
        return false;
    out->pgrp = fields[5];
    out->session = fields[6];
    out->cpuTicks = fields[14] + fields[15] + fields[16] + fields[17];
    out->rssPages = fields[24];
    return true;
}

QHash<qint64, GroupUsage> ProcessGroupScan::scan(const std::vector<qint64> &groups)
{
    QHash<qint64, GroupUsage> usage;
    if (groups.empty())
        return usage;
    std::vector<qint64> wanted;
    wanted.reserve(groups.size());
    for (qint64 g : groups) {
        if (g > 0)
            wanted.push_back(g);
    }
    std::sort(wanted.begin(), wanted.end());
    forEachProcess([&](qint64, const Stat &stat) {
        if (!std::binary_search(wanted.begin(), wanted.end(), stat.pgrp))
            return;
        GroupUsage &group = usage[stat.pgrp];
        group.cpuTicks += stat.cpuTicks;
        group.rssBytes += stat.rssPages * pageSize();
        ++group.processes;
    });
    return usage;
}

std::vector<ProcessGroupScan::Member> ProcessGroupScan::sessionMembers(qint64 session)
{
    std::vector<Member> members;
    if (session <= 0)
        return members;
    forEachProcess([&](qint64 pid, const Stat &stat) {
        if (stat.session == session)
            members.push_back(Member{pid, stat.pgrp});
    });
    return members;
}

} // namespace procdeck
