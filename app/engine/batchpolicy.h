#pragma once

#include "app/engine/jobstore.h"

namespace procdeck {

// What a batch's options (--retries, --halt) say about a job that just
// ended. Decisions only: the Scheduler carries them out.
class BatchPolicy
{
public:
    // The job goes back to the queue for another attempt: it failed by
    // itself (not stopped by the user), tries are left and the batch has
    // not halted.
    static bool shouldRetry(const JobRecord &job, const BatchInfo &batch);
    // This ending makes the batch halt (its counts already include it).
    static bool haltReached(const JobResult &result, const BatchInfo &batch);
    // The exit status GNU parallel reports for a halt on failure: the
    // job's exit code, 128 + its signal, else 255; never 0.
    static int haltExitCode(const JobResult &result);
    // Whether a halting batch stops a job in this state: queued jobs never
    // start; with "now", running ones are stopped too.
    static bool haltStops(JobState state, const HaltPolicy &halt);
};

} // namespace procdeck
