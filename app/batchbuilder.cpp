#include "batchbuilder.h"

#include "commandtemplate.h"
#include "shellquote.h"

namespace procdeck {

static bool check(const BatchRequest &request, QString *error)
{
    const QString command = request.command.trimmed();
    if (command.isEmpty()) {
        *error = QStringLiteral("The command is empty: type a program to run, e.g. \"sleep 0.1\".");
        return false;
    }
    if (const int column = unbalancedQuoteColumn(command)) {
        *error = QStringLiteral("The command has an unbalanced quote at column %1: %2")
                     .arg(column)
                     .arg(command.at(column - 1));
        return false;
    }
    if (request.arguments.isEmpty() && request.times < 1) {
        *error =
            QStringLiteral("The number of runs must be at least 1 (it is %1).").arg(request.times);
        return false;
    }
    if (request.stdinMode == BatchRequest::Stdin::File && request.stdinText.trimmed().isEmpty()) {
        *error = QStringLiteral("Choose the file the jobs read as stdin.");
        return false;
    }
    for (const QString &pair : request.environment) {
        if (pair.indexOf(QLatin1Char('=')) <= 0) {
            *error = QStringLiteral("Environment entry \"%1\" is not KEY=VALUE.").arg(pair);
            return false;
        }
    }
    return true;
}

template <typename Fn>
static bool forEachJob(const BatchRequest &request, int limit, QString *error, Fn &&fn)
{
    QString problem;
    if (!check(request, &problem)) {
        if (error)
            *error = problem;
        return false;
    }
    const bool hasArguments = !request.arguments.isEmpty();
    const auto t =
        CommandTemplate::parse(request.command.trimmed(), hasArguments ? 1 : 0, &problem);
    if (!t) {
        if (error)
            *error = QStringLiteral("The command has a problem: %1.").arg(problem);
        return false;
    }
    const int count = hasArguments ? int(request.arguments.size()) : request.times;
    for (int i = 0; i < count && (limit < 0 || i < limit); ++i) {
        fn(hasArguments ? t->expand({request.arguments.at(i)}, i + 1) : t->expand({}, i + 1));
    }
    return true;
}

std::vector<JobSpec> BatchBuilder::build(const BatchRequest &request, QString *error)
{
    std::vector<JobSpec> specs;
    specs.reserve(
        size_t(request.arguments.isEmpty() ? qMax(0, request.times) : request.arguments.size()));
    const bool ok = forEachJob(request, -1, error, [&](JobSpec spec) {
        spec.workingDirectory = request.workingDirectory;
        spec.timeoutMs = request.timeoutMs;
        spec.environment = request.environment;
        if (request.stdinMode == BatchRequest::Stdin::Text) {
            spec.stdinData = request.stdinText.toUtf8();
            spec.hasStdinData = true;
        } else if (request.stdinMode == BatchRequest::Stdin::File) {
            spec.stdinFile = request.stdinText.trimmed();
        }
        specs.push_back(std::move(spec));
    });
    if (!ok)
        specs.clear();
    return specs;
}

QStringList BatchBuilder::preview(const BatchRequest &request, int limit, QString *error)
{
    QStringList commands;
    forEachJob(request, limit, error,
               [&](const JobSpec &spec) { commands << spec.displayCommand(); });
    return commands;
}

} // namespace procdeck
