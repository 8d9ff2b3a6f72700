#pragma once

#include "app/core/expected.h"

#include <QString>

namespace procdeck {

// GNU parallel's --halt: stop a batch early after failures or successes.
struct HaltPolicy
{
    enum class When : quint8 { Never, Soon, Now };
    When when = When::Never;
    bool onFailure = true; // fail=...; false: success=...
    int count = 0;         // halt after this many (when percent < 0)
    double percent = -1;   // or after this share of all the batch's jobs

    // Parses "now,fail=1", "soon,success=50%", "never"; parallel's short
    // forms 0, 1 and 2 too.
    static Expected<HaltPolicy> parse(const QString &text);
};

// How the Scheduler treats a batch's jobs.
struct BatchOptions
{
    int attempts = 1; // --retries: tries in all before a job counts as failed
    int delayMs = 0;  // --delay: least time between two job starts
    // --load, --memfree: no job starts while the system is this busy (see
    // StartGate). 0: no limit.
    double maxLoad = 0;
    qint64 minMemFree = 0; // bytes
    HaltPolicy halt;
};

} // namespace procdeck
