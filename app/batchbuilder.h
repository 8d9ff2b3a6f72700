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
    QString command;
    QStringList arguments; // empty: run the command `times` times
    int times = 1;
    QString workingDirectory;
};

// Turns a request into job specs. A command of plain words (quotes allowed)
// runs directly, without a shell; one that uses shell syntax (pipes,
// redirections, variables, ...) runs under /bin/sh -c. An appended argument
// is always exactly one word, whatever characters it holds.
class BatchBuilder
{
public:
    // Returns the specs, or none with a message in *error naming the problem.
    static std::vector<JobSpec> build(const BatchRequest &request, QString *error);
    // The column (1-based) of a quote that is never closed, or 0.
    static int unbalancedQuoteColumn(const QString &command);
};

} // namespace procdeck
