#pragma once

#include "jobspec.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace procdeck {

// What the launch panel collects: a command, and either a list of arguments
// (one job each, appended to the command) or a number of repetitions.
struct BatchRequest
{
    QString command;       // a GNU parallel template: {} {.} {/} {#} ... or none
    QStringList arguments; // empty: run the command `times` times
    int times = 1;
    QString workingDirectory;
    int timeoutMs = 0;       // 0: none
    int attempts = 1;        // retries: tries in all
    QStringList environment; // KEY=VALUE
    enum class Stdin { None, Text, File };
    Stdin stdinMode = Stdin::None;
    QString stdinText; // the text, or the file's path
};

// Turns a request into job specs through CommandTemplate, the parser the
// command line uses too: plain words run directly, a plain pipeline as
// chained processes, other shell syntax under /bin/sh -c. Each argument is
// one input value: it replaces {} (and {.} {/} ...) or is appended, and is
// always exactly one word, whatever characters it holds.
class BatchBuilder
{
public:
    // Returns the specs, or none with a message in *error naming the problem.
    static std::vector<JobSpec> build(const BatchRequest &request, QString *error);
    // The first `limit` commands the request would run, for a preview.
    static QStringList preview(const BatchRequest &request, int limit, QString *error);
};

} // namespace procdeck
