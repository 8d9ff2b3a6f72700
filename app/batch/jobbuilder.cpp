#include "app/batch/jobbuilder.h"

#include "app/batch/commandtemplate.h"

namespace procdeck {

QStringList BatchRequest::arguments() const
{
    return sources.isEmpty() ? QStringList() : sources.first().values;
}

void BatchRequest::setArguments(const QStringList &values)
{
    sources.clear();
    if (!values.isEmpty())
        sources.append(InputSource{values, false});
}

QString JobBuilder::shell()
{
    const QString shell = qEnvironmentVariable("PARALLEL_SHELL");
    return shell.isEmpty() ? QStringLiteral("/bin/sh") : shell;
}

static Expected<void> check(const BatchRequest &request)
{
    if (!request.valuesAreCommands && request.command.trimmed().isEmpty())
        return fail(
            QStringLiteral("the command is empty: type a program to run, e.g. \"sleep 0.1\""));
    if (request.sources.isEmpty() && request.times < 1)
        return fail(
            QStringLiteral("the number of runs must be at least 1 (it is %1)").arg(request.times));
    if (request.stdinMode == BatchRequest::Stdin::File && request.stdinText.trimmed().isEmpty())
        return fail(QStringLiteral("choose the file the jobs read as stdin"));
    for (const QString &pair : request.environment) {
        if (pair.indexOf(QLatin1Char('=')) <= 0)
            return fail(QStringLiteral("environment entry \"%1\" is not KEY=VALUE").arg(pair));
    }
    return {};
}

qsizetype JobBuilder::jobCount(const BatchRequest &request)
{
    if (request.sources.isEmpty())
        return qMax(0, request.times);
    if (request.sources.size() == 1)
        return request.sources.first().values.size();
    return qsizetype(InputSources::combine(request.sources, request.linkAll).size());
}

// Calls fn(spec) for each of the request's first `limit` jobs (all: -1).
template <typename Fn>
static Expected<void> forEachJob(const BatchRequest &request, qsizetype limit, Fn &&fn)
{
    if (Expected<void> ok = check(request); !ok)
        return ok;
    const QString shell = JobBuilder::shell();
    auto finish = [&](JobSpec &spec) {
        spec.shell = shell;
        spec.workingDirectory = request.workingDirectory;
        spec.timeoutMs = request.timeoutMs;
        spec.termSequence = request.termSequence;
        spec.environment = request.environment;
        spec.usePty = request.usePty;
        if (request.stdinMode == BatchRequest::Stdin::Text) {
            spec.stdinData = request.stdinText.toUtf8();
            spec.hasStdinData = true;
        } else if (request.stdinMode == BatchRequest::Stdin::File) {
            spec.stdinFile = request.stdinText;
        }
    };
    auto more = [limit](qsizetype done) { return limit < 0 || done < limit; };

    if (request.sources.isEmpty()) {
        const auto t = CommandTemplate::parse(request.command, 0);
        if (!t)
            return fail(t.error());
        for (int i = 0; i < request.times && more(i); ++i) {
            JobSpec spec = t->expand({}, i + 1);
            finish(spec);
            fn(std::move(spec));
        }
        return {};
    }
    // The first `limit` tuples use at most the first `limit` values of each
    // source (in every way of combining them): a preview of a long list
    // does not combine all of it.
    QList<InputSource> sources = request.sources;
    if (limit >= 0) {
        for (InputSource &source : sources)
            source.values = source.values.mid(0, limit);
    }
    const std::vector<QStringList> tuples = InputSources::combine(sources, request.linkAll);
    if (request.valuesAreCommands && request.command.trimmed().isEmpty()) {
        int seq = 0;
        for (const QStringList &tuple : tuples) {
            if (!more(seq))
                break;
            ++seq;
            const QString line = tuple.join(QLatin1Char(' '));
            const auto t = CommandTemplate::parse(line, 0, false);
            if (!t)
                return fail(
                    QStringLiteral("command %1 (\"%2\"): %3").arg(seq).arg(line, t.error()));
            JobSpec spec = t->expand({}, seq);
            spec.inputValues = tuple;
            finish(spec);
            fn(std::move(spec));
        }
        return {};
    }
    const auto t = CommandTemplate::parse(request.command, int(request.sources.size()));
    if (!t)
        return fail(t.error());
    int seq = 0;
    for (const QStringList &tuple : tuples) {
        if (!more(seq))
            break;
        JobSpec spec = t->expand(tuple, ++seq);
        finish(spec);
        fn(std::move(spec));
    }
    return {};
}

Expected<std::vector<JobSpec>> JobBuilder::build(const BatchRequest &request)
{
    std::vector<JobSpec> specs;
    const Expected<void> ok =
        forEachJob(request, -1, [&](JobSpec spec) { specs.push_back(std::move(spec)); });
    if (!ok)
        return fail(ok.error());
    return specs;
}

Expected<QStringList> JobBuilder::preview(const BatchRequest &request, int limit)
{
    QStringList commands;
    const Expected<void> ok =
        forEachJob(request, limit, [&](const JobSpec &spec) { commands << spec.displayCommand(); });
    if (!ok)
        return fail(ok.error());
    return commands;
}

} // namespace procdeck
