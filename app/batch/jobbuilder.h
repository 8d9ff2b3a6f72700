#pragma once

#include "app/batch/inputsources.h"
#include "app/core/expected.h"
#include "app/core/jobspec.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <vector>

namespace procdeck {

// How input values become jobs when it is not one tuple of values a job:
// procdeck run's GNU parallel options. The window leaves them all at their
// defaults.
struct ValueGrouping
{
    // -n, -N, -L: records (tuples) per job, the last job taking what is
    // left; 0: one record a job, none of its values used (-N0). -1: one
    // record a job, as without grouping.
    int maxRecords = -1;
    // -N, -L, -X: the word around {} is repeated for each value.
    bool contextReplace = false;
    // -m, -X: as many records a job as fit in a command line shorter than
    // maxChars bytes (maxRecords, when given, caps them). The records left
    // at the end of the input are spread evenly over `jobSlots` jobs (the jobs
    // run at once; 0: no limit), as parallel does.
    bool fill = false;
    qsizetype maxChars = 0; // 0: JobBuilder::maxCommandLength()
    int jobSlots = 1;
    // --colsep: each value is split into columns where this regular
    // expression matches (see InputSources::splitColumns); the columns are
    // the record's values. Empty: no splitting.
    QString columnSeparator;
    bool trimColumns = false;
    // --header: {name} stands for column N.
    QHash<QString, int> columnNames;
    // --shuf: the records in a random order, before they are grouped and
    // numbered (so {#} and Seq follow the order they run in, as parallel).
    bool shuffle = false;
    // How the command line asked for it ("-n 2"), for messages.
    QString describedAs;
    // Input built a part at a time (procdeck run reading stdin as it
    // comes): the most values a job of an earlier part had, so a shorter
    // last part does not make {3} with -n 3 an error.
    int valuesBefore = 0;

    bool isActive() const
    {
        return maxRecords >= 0 || fill || !columnSeparator.isEmpty() || shuffle;
    }
};

// A batch as the launch panel and `procdeck run` describe it: a command
// template and input values (one job per value, or per tuple of values of
// several sources), or a number of repetitions, and what every job shares.
struct BatchRequest
{
    QString command; // a GNU parallel template: {} {.} {/} {#} ... or none
    // -q: the command's words, each one argument as it stands (see
    // CommandTemplate::parseWords), used instead of `command` (which then
    // only labels the batch). The window leaves it empty.
    QStringList quotedCommand;
    // The input sources (::: / :::: / the launch panel's argument list).
    // None: the command runs `times` times.
    QList<InputSource> sources;
    bool linkAll = false; // --link: pair every source, wrapping shorter ones
    // No command template: each value (tuple, joined with spaces) is a
    // whole command (`procdeck run` reading commands from its input).
    bool valuesAreCommands = false;
    // False: a template without replacement strings gets no values
    // appended (procdeck run --pipe, whose jobs read their input on stdin).
    bool appendValues = true;
    int times = 1;
    // The number ({#}, Seq) of the first job built: input built a part at a
    // time numbers each part on from the one before.
    int firstSeq = 1;
    QString workingDirectory;
    int timeoutMs = 0;            // 0: none
    QList<KillStep> termSequence; // on timeout; empty: parallel's default
    int attempts = 1;             // retries: tries in all
    QStringList environment;      // KEY=VALUE
    enum class Stdin { None, Text, File };
    Stdin stdinMode = Stdin::None;
    QString stdinText; // the text, or the file's path
    // Every job on a terminal of its own (see JobSpec::usePty).
    bool usePty = false;
    // Every job at this niceness (JobSpec::nice).
    bool setsNice = false;
    int nice = 0;
    ValueGrouping grouping;

    // The window's Load… of a big file: the arguments are its lines (empty
    // ones left out), read as the batch runs; `sources` then holds only its
    // first lines, for the preview.
    QString argumentsFile;

    // The launch panel's form: one input source.
    QStringList arguments() const;
    void setArguments(const QStringList &values);
};

// Turns a request into job specs: the one builder for the window and the
// command line. Templates go through CommandTemplate: plain words run
// directly, a plain pipeline as chained processes, other shell syntax under
// shell() -c. Each value replaces {} (and {.} {/} ...) or is appended, and
// is always exactly one word, whatever characters it holds.
class JobBuilder
{
public:
    // Every job, or the problem with the request (one message for both
    // front ends; the window shows it as a sentence, the command line after
    // "procdeck: ").
    static Expected<std::vector<JobSpec>> build(const BatchRequest &request);
    // The first `limit` commands the request would run, for a preview.
    static Expected<QStringList> preview(const BatchRequest &request, int limit);
    // How many jobs the request makes (before any is built, unless values
    // are grouped).
    static qsizetype jobCount(const BatchRequest &request);
    // The shell that runs shell commands: $PARALLEL_SHELL when set, else
    // /bin/sh. Not $SHELL: values are quoted for a POSIX shell, and a login
    // shell such as fish or csh would read them differently.
    static QString shell();
    // The longest command line -m and -X make, in bytes with its final NUL:
    // what this system takes as one argument (a shell command is one) and
    // leaves room for beside the environment.
    static qsizetype maxCommandLength();
};

} // namespace procdeck
