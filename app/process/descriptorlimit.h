#pragma once

namespace procdeck {

// Each running job holds a few descriptors (its pipes, a spill file): with
// hundreds at once, the usual soft limit of 1,024 is near. The hard limit is
// ours to take. Called first thing by both programs (a limit raised before
// exec carries over, but procdeck-gui may be started on its own).
void raiseOpenFileLimit();

} // namespace procdeck
