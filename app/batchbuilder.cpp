#include "batchbuilder.h"

#include "shellquote.h"

namespace procdeck {

int BatchBuilder::unbalancedQuoteColumn(const QString &command)
{
    QChar open;
    int openColumn = 0;
    for (int i = 0; i < command.size(); ++i) {
        const QChar c = command.at(i);
        if (open.isNull()) {
            if (c == QLatin1Char('\\') && i + 1 < command.size()) {
                ++i; // an escaped character never opens a quote
            } else if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
                open = c;
                openColumn = i + 1;
            }
        } else if (c == QLatin1Char('\\') && open == QLatin1Char('"') && i + 1 < command.size()) {
            ++i;
        } else if (c == open) {
            open = QChar();
        }
    }
    return open.isNull() ? 0 : openColumn;
}

std::vector<JobSpec> BatchBuilder::build(const BatchRequest &request, QString *error)
{
    auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return std::vector<JobSpec>();
    };
    const QString command = request.command.trimmed();
    if (command.isEmpty())
        return fail(
            QStringLiteral("The command is empty: type a program to run, e.g. \"sleep 0.1\"."));
    if (const int column = unbalancedQuoteColumn(command))
        return fail(QStringLiteral("The command has an unbalanced quote at column %1: %2")
                        .arg(column)
                        .arg(command.at(column - 1)));
    if (request.arguments.isEmpty() && request.times < 1)
        return fail(
            QStringLiteral("The number of runs must be at least 1 (it is %1).").arg(request.times));

    JobSpec base;
    base.workingDirectory = request.workingDirectory;
    const bool shell = needsShell(command);
    if (!shell) {
        const QStringList words = splitWords(command);
        if (words.isEmpty())
            return fail(QStringLiteral("The command has no program name."));
        base.program = words.first();
        base.arguments = words.mid(1);
    }

    std::vector<JobSpec> specs;
    if (request.arguments.isEmpty()) {
        if (shell)
            base.shellCommand = command;
        specs.assign(size_t(request.times), base);
        return specs;
    }
    specs.reserve(size_t(request.arguments.size()));
    for (const QString &argument : request.arguments) {
        JobSpec spec = base;
        if (shell)
            spec.shellCommand = command + QLatin1Char(' ') + shellQuote(argument);
        else
            spec.arguments << argument;
        specs.push_back(std::move(spec));
    }
    return specs;
}

} // namespace procdeck
