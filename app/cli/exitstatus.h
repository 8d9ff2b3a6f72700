#pragma once

namespace procdeck {

struct BatchInfo;

// The status `procdeck run` exits with, as GNU parallel's: 128 + the
// signal that interrupted it; 141 when its output's reader went away; with
// --halt, the halting job's status (or, for a percentage, the share of
// failed jobs); otherwise the number of failed jobs, 101 for more than 100.
// batch is null when nothing ran.
int parallelExitStatus(const BatchInfo *batch, int interruptSignal, bool outputBroken);

} // namespace procdeck
