#include "app/engine/batchpolicy.h"

namespace procdeck {

bool BatchPolicy::shouldRetry(const JobRecord &job, const BatchInfo &batch)
{
    return !job.result.succeeded() && !job.result.stoppedByUser && !batch.halted &&
           job.attempts < batch.options.attempts;
}

bool BatchPolicy::haltReached(const JobResult &result, const BatchInfo &batch)
{
    const HaltPolicy &halt = batch.options.halt;
    if (halt.when == HaltPolicy::When::Never || batch.halted || result.stoppedByUser)
        return false;
    if (result.succeeded() == halt.onFailure)
        return false; // not the kind of ending this policy counts
    const int counted = halt.onFailure ? batch.failed : batch.succeeded;
    return halt.percent > 0 ? counted * 100.0 >= halt.percent * batch.jobCount
                            : counted >= halt.count;
}

int BatchPolicy::haltExitCode(const JobResult &result)
{
    const int code = result.outcome == Outcome::Exited ? result.exitCode
                     : result.signal != 0              ? 128 + result.signal
                                                       : 255;
    return code == 0 ? 1 : code;
}

bool BatchPolicy::haltStops(JobState state, const HaltPolicy &halt)
{
    return state == JobState::Queued ||
           (state == JobState::Running && halt.when == HaltPolicy::When::Now);
}

} // namespace procdeck
