#pragma once

#include "app/core/expected.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace procdeck {

// One step of a kill sequence: send `signal`, then wait `waitMs` before the
// next step (GNU parallel's --termseq: TERM,200,TERM,100,TERM,50,KILL,25).
struct KillStep
{
    int signal;
    int waitMs;
};

// One program of a native pipeline: no shell, exact arguments.
struct Stage
{
    QString program;
    QStringList arguments;
};

// What to run: the value that goes into the engine. Either a program with
// its arguments, a pipeline of such programs (stdout of one into stdin of
// the next), or a shell command (run as `shell -c command`). Its words may
// hold bytes that are no UTF-8 (RawText escapes, from file names): the
// job gets those bytes.
struct JobSpec
{
    QString program;
    QStringList arguments;
    QList<Stage> pipeline; // when it has 2 or more stages, program/arguments are ignored
    QString shellCommand;  // when not empty, runs under `shell -c`
    QString shell = QStringLiteral("/bin/sh");
    QString displayText;          // how the command reads; empty: derived from the above
    QStringList inputValues;      // the arguments the job was made from, one per input source
    QString workingDirectory;     // empty: the launcher's current directory
    QStringList environment;      // KEY=VALUE added to the inherited environment
    int timeoutMs = 0;            // 0: no timeout
    QList<KillStep> termSequence; // on timeout; empty: parallel's default
    QByteArray stdinData;         // used when hasStdinData
    bool hasStdinData = false;
    QString stdinFile;            // when set: the job reads this file; otherwise /dev/null
    bool stdinFromCaller = false; // a pipe fed with LaunchedJob::writeStdin()
    bool usesSlot = false;        // holds CommandTemplate::slotMarker() until it starts
    // Runs on a pseudo-terminal instead of pipes: programs see a terminal
    // (and print colors), but stdout and stderr become one stream (all of
    // it Stream::Stdout). Stdin is the terminal too unless a text, a file
    // or the caller gives it.
    bool usePty = false;
    // Runs at this niceness (setpriority in the child, so it is the
    // number itself, not added to procdeck's; the system may refuse a
    // negative one). procdeck run's --nice.
    bool setsNice = false;
    int nice = 0;

    bool usesShell() const { return !shellCommand.isEmpty(); }
    bool isPipeline() const { return pipeline.size() > 1; }
    // The command as a person would type it into a shell.
    QString displayCommand() const;
};

// GNU parallel's default kill sequence for a timed-out job.
QList<KillStep> defaultTermSequence();
// Parses "TERM,200,TERM,100,KILL,25" (names or numbers; a trailing wait may
// be left out).
Expected<QList<KillStep>> parseTermSequence(const QString &text);

} // namespace procdeck
