#include "app/engine/lingeringgroups.h"

#include <csignal>

namespace procdeck {

LingeringGroups::~LingeringGroups()
{
    signalAll(SIGKILL);
}

void LingeringGroups::forgetEnded()
{
    m_groups.removeIf([](qint64 pgid) { return ::kill(-pid_t(pgid), 0) != 0; });
}

void LingeringGroups::addIfAlive(qint64 pgid)
{
    forgetEnded();
    if (pgid > 0 && ::kill(-pid_t(pgid), 0) == 0)
        m_groups << pgid;
}

void LingeringGroups::signalAll(int signal)
{
    forgetEnded();
    for (qint64 pgid : std::as_const(m_groups))
        ::kill(-pid_t(pgid), signal);
}

int LingeringGroups::count()
{
    forgetEnded();
    return int(m_groups.size());
}

} // namespace procdeck
