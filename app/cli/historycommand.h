#pragma once

namespace procdeck {

// `procdeck history ...`: past batches from the history database, for
// people and for CI jobs that look at a run later. argv[1] is "history".
//   procdeck history [list] [--search TEXT] [--limit N] [--json]
//   procdeck history export [ID|latest] --joblog FILE | --results DIR | ...
//   procdeck history clear
// Returns the exit status: 0, or 255 for bad input or a database that
// cannot be read (with a message naming the file and the problem).
int historyCommand(int argc, char **argv);

} // namespace procdeck
