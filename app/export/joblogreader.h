#pragma once

#include "app/core/expected.h"

#include <QList>
#include <QString>

namespace procdeck {

// Reads a joblog back, as GNU parallel's --resume, --resume-failed and
// --retry-failed do: the header line is skipped, every other line is a job
// by its Seq, in the file's order (a Seq may come more than once).
class JoblogReader
{
public:
    struct Entry
    {
        int seq = 0;
        int exitval = 0;
        int signal = 0;
        QString command; // a NUL in the file stands for a newline
        // Starttime 0: procdeck logs the jobs a --halt canceled before they
        // started (parallel leaves them out).
        bool started = true;
        bool succeeded() const { return exitval == 0 && signal == 0; }
    };
    // A missing or empty file has no entries. A line without the joblog's
    // nine tab-separated fields (numbers where they belong) is an error
    // naming the file and the line.
    static Expected<QList<Entry>> read(const QString &path);
};

} // namespace procdeck
