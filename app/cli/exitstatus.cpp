#include "app/cli/exitstatus.h"

#include "app/engine/jobstore.h"

#include <cmath>
#include <csignal>

namespace procdeck {

int parallelExitStatus(const BatchInfo *batch, int interruptSignal, bool outputBroken)
{
    if (interruptSignal != 0)
        return 128 + interruptSignal;
    if (outputBroken)
        return 128 + SIGPIPE; // as a shell reports a writer whose reader left
    if (!batch)
        return 0;
    const HaltPolicy &halt = batch->options.halt;
    if (halt.onFailure && halt.percent > 0 && batch->jobCount > 0) {
        // parallel then reports the share of failed jobs, rounded up.
        return int(std::ceil(batch->failed * 100.0 / batch->jobCount));
    }
    if (batch->halted)
        return halt.onFailure ? batch->haltExitCode : 0;
    return qMin(batch->failed, 101);
}

} // namespace procdeck
