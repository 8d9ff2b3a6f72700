#pragma once

#include <QString>
#include <QStringList>

namespace procdeck {

// What to run: the value that goes into the engine. Either a program with its
// arguments (run directly, no shell) or a shell command (run as /bin/sh -c).
struct JobSpec
{
    QString program;
    QStringList arguments;
    QString shellCommand;     // when not empty, program and arguments are ignored
    QString workingDirectory; // empty: the launcher's current directory
    QStringList environment;  // KEY=VALUE added to the inherited environment
    int timeoutMs = 0;        // 0: no timeout

    bool usesShell() const { return !shellCommand.isEmpty(); }
    // The command as a person would type it into a shell.
    QString displayCommand() const;
};

} // namespace procdeck
