#pragma once

#include "app/engine/batchoptions.h"

#include <QByteArray>

#include <functional>

namespace procdeck {

// What --load and --memfree look at. Negative: unknown.
struct SystemState
{
    double loadAverage = -1;  // the 1-minute load average
    qint64 memAvailable = -1; // bytes
};

// GNU parallel's --load and --memfree: whether the system has room for one
// more job of a batch now. The Scheduler asks before each start and, when
// the answer is no, asks again after recheckMs() (about once a second, as
// parallel), never busy-waiting. The numbers come from a probe, /proc by
// default, so tests can make the system busy and free again at will.
class StartGate
{
public:
    using Probe = std::function<SystemState()>;

    StartGate();
    // Null: /proc again.
    void setProbe(Probe probe);
    void setRecheckInterval(int ms) { m_recheckMs = qMax(1, ms); }
    int recheckMs() const { return m_recheckMs; }

    // No limit asks nothing. An unknown number lets the job start: waiting
    // for a number that never comes would hang the batch.
    bool allows(const BatchOptions &options) const;

    // This machine's state from /proc/loadavg and /proc/meminfo (MemAvailable).
    static SystemState readProc();
    static SystemState parse(const QByteArray &loadavg, const QByteArray &meminfo);

private:
    Probe m_probe;
    int m_recheckMs = 1000;
};

} // namespace procdeck
