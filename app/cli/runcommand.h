#pragma once

namespace procdeck {

// `procdeck run ...`: the engine without a window, for scripts and CI.
// argv[1] is "run". Parses GNU parallel's command line, runs the batch,
// returns the exit status. Needs no display and no Qt Widgets.
int runCommand(int argc, char **argv);

} // namespace procdeck
