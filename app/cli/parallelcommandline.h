#pragma once

#include "app/batch/inputsources.h"
#include "app/batch/pipeblocks.h"
#include "app/core/expected.h"
#include "app/engine/jobstore.h"

#include <QString>
#include <QStringList>

namespace procdeck {

// What `procdeck run ...` was asked to do.
struct RunOptions
{
    int jobs = 0;                 // resolved: 0 means no limit
    bool keepOrder = false;       // -k
    bool tag = false;             // --tag
    bool lineBuffer = false;      // --line-buffer
    bool ungroup = false;         // -u: output as it comes, not even whole lines
    bool verbose = false;         // -v: print each command before its output
    bool nullSeparated = false;   // -0: input values end at NUL, not newline
    bool noHistory = false;       // --no-history: not recorded (procdeck's own)
    bool progress = false;        // --progress/--bar/--eta: the progress line even off a terminal
    QString tagString;            // --tagstring: a template for the tag
    bool dryRun = false;          // --dry-run
    bool link = false;            // --link
    int timeoutMs = 0;            // --timeout
    QList<KillStep> termSequence; // --termseq
    BatchOptions batch;           // --retries, --delay, --halt
    QString joblog;               // --joblog
    QString results;              // --results DIR | FILE.csv | FILE.json
    QString report;               // --report FILE.html
    QString workingDirectory;     // --workdir
    QString stdinFile;            // --stdin-file: every job reads this file
    QString stdinText;            // --stdin-text: every job reads this text
    bool hasStdinText = false;
    QString commandTemplate;    // the command words joined with spaces; may be empty
    bool quote = false;         // -q: each command word quoted (see CommandTemplate::quoteWords)
    QStringList commandWords;   // -q: the words, to quote again with --header's names
    QList<InputSource> sources; // ::: / :::: / -a, in order
    bool argumentsFromStdin = false; // no source given: one argument per stdin line
    // --pipe: stdin is cut into blocks (--block, --recstart, --recend,
    // --regexp; -N records or -L lines a block), each one job's stdin; the
    // command gets no arguments.
    bool pipe = false;
    PipeFormat pipeFormat;
    bool help = false;
    bool version = false;

    // How input values make jobs (GNU parallel's -n, -N, -L, -m, -X, -s,
    // --colsep, --header):
    int maxArgs = -1;            // -n: values per job; -1: not given
    int maxReplaceArgs = -1;     // -N: the same, with context replace
    int maxLines = -1;           // -L: lines per job; a line ending in a blank goes on
    bool multipleArgs = false;   // -m: as many values as fit in a command line
    bool contextReplace = false; // -X: -m, repeating the word around {} for each value
    int maxChars = 0;            // -s: -m/-X's longest command line; 0: the system's
    QString colsep;              // --colsep: a regular expression that splits values
    QString header;              // --header: the first line names the columns
    bool hasHeader = false;      // --header given
    QString eofString;           // -E: a source's values end before this one; empty: none
    bool shuffle = false;        // --shuf: the jobs in a random order

    QStringList envNames;  // --env: accepted; the jobs get the whole environment anyway
    QString tmpdir;        // --tmpdir: procdeck's temporary files and the jobs' $TMPDIR
    bool files = false;    // --files: each job's output in a file; its name printed
    bool setsNice = false; // --nice
    int nice = 0;

    // With --joblog: what its jobs, by Seq, mean for this run.
    enum class Resume {
        None,
        Resume,       // --resume: every Seq in it has run
        ResumeFailed, // --resume-failed: those that succeeded have; the others run again
        RetryFailed,  // --retry-failed: only its failed commands run again
    };
    Resume resume = Resume::None;
};

// Parses the subset of GNU parallel's command line procdeck speaks (the
// words after `run`). Options come first; the first other word starts the
// command, which runs until the first ":::", ":::+", "::::" or "::::+".
// Files named by "::::" and -a are read here, so a missing file is a usage
// error before anything runs.
class ParallelCommandLine
{
public:
    static Expected<RunOptions> parse(const QStringList &args);
    static QString usage();
    // A size as parallel writes it: 1.5M, 10k (1000), 10K (1024), 2Gi...
    // False when it is not one.
    static bool parseSize(const QString &text, double *bytes);
};

} // namespace procdeck
