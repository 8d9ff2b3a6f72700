#pragma once

#include <QList>

namespace procdeck {

// Process groups of finished jobs that still have members: a background
// child the job left behind. It may outlive its job (as with parallel) but
// not procdeck, which stops everything it started when it quits.
class LingeringGroups
{
public:
    // Kills what is left: the engine is going away.
    ~LingeringGroups();

    // Keeps the group if anything in it still lives.
    void addIfAlive(qint64 pgid);
    // Sends every group that still lives `signal`.
    void signalAll(int signal);
    int count();

private:
    // Forgets the groups that have ended. A group id is only reused once
    // its last member is gone, so the ones left are still ours.
    void forgetEnded();

    QList<qint64> m_groups;
};

} // namespace procdeck
