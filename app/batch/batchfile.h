#pragma once

#include "app/batch/jobbuilder.h"
#include "app/core/expected.h"

#include <QString>

namespace procdeck {

// A batch saved as text, so it can be kept, shared and reopened:
//
//   # comments start with '#'
//   command: sleep
//   parallel: 10        (optional; 0 = no limit)
//   runs: 3             (optional; used when there are no arguments)
//   directory: /tmp     (optional)
//   timeout: 2.5        (optional; seconds)
//   retries: 3          (optional; tries in all)
//   env: A=1 'B=two words'  (optional)
//   stdin-file: in.txt  (optional; or stdin-text: some text)
//   terminal: yes       (optional; run each job on a terminal: colors, but
//                        stdout and stderr are one stream)
//   ---
//   0.1                 one argument per line; each is one job
//
// Opening a batch file fills the launch panel; it never runs anything.
struct BatchFile
{
    BatchRequest request;
    int parallel = 0; // 0: not given, keep the current setting

    // Parses the text; a problem's message names its line.
    static Expected<BatchFile> parse(const QString &text);
    QString toText() const;
};

} // namespace procdeck
