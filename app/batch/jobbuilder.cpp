#include "app/batch/jobbuilder.h"

#include "app/batch/commandtemplate.h"

#include <QRandomGenerator>

#include <cstring>
#include <limits>
#include <optional>

#include <unistd.h>

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

qsizetype JobBuilder::maxCommandLength()
{
    // Linux: one argument is at most 32 pages with its NUL (MAX_ARG_STRLEN),
    // all of them with the environment at most ARG_MAX.
    const long page = ::sysconf(_SC_PAGESIZE);
    const qsizetype oneArgument = 32 * qsizetype(page > 0 ? page : 4096);
    const long argMax = ::sysconf(_SC_ARG_MAX);
    qsizetype environment = 0;
    for (char **e = environ; *e; ++e)
        environment += qsizetype(std::strlen(*e)) + 1 + qsizetype(sizeof(char *));
    // Some room for the pointers to the arguments and the program's name.
    const qsizetype room = argMax > 0 ? qsizetype(argMax) - environment - 4096 : oneArgument;
    return qBound<qsizetype>(4096, room, oneArgument);
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
    if (request.grouping.isActive()) {
        const auto specs = build(request);
        return specs ? qsizetype(specs->size()) : 0;
    }
    if (request.sources.isEmpty())
        return qMax(0, request.times);
    if (request.sources.size() == 1)
        return request.sources.first().values.size();
    return qsizetype(InputSources::combine(request.sources, request.linkAll).size());
}

// The request's template: its text, or -q's words.
static Expected<CommandTemplate> templateOf(const BatchRequest &request,
                                            const CommandTemplate::Options &options)
{
    if (!request.quotedCommand.isEmpty())
        return CommandTemplate::parseWords(request.quotedCommand, options);
    return CommandTemplate::parse(request.command, options);
}

// One job's records: [first, first + count) of the batch's.
struct RecordRange
{
    size_t first;
    size_t count;
};

// -n, -N, -L: `per` records a job, the last taking what is left.
static std::vector<RecordRange> fixedGroups(size_t records, size_t per)
{
    std::vector<RecordRange> jobs;
    jobs.reserve(records / per + 1);
    for (size_t first = 0; first < records; first += per)
        jobs.push_back(RecordRange{first, qMin(per, records - first)});
    return jobs;
}

// -m, -X: records a job while the command line stays shorter than
// maxChars; then the records left at the end, spread over the job slots.
// base(seq) and length(record, seq) add up to a job's command line.
template <typename Base, typename Length>
static Expected<std::vector<RecordRange>> filledGroups(const std::vector<QStringList> &records,
                                                       Base &&base, Length &&length,
                                                       const ValueGrouping &g)
{
    const qsizetype maxChars = g.maxChars > 0 ? g.maxChars : JobBuilder::maxCommandLength();
    size_t cap = g.maxRecords > 0 ? size_t(g.maxRecords) : 0;
    bool spread = false;
    std::vector<RecordRange> jobs;
    size_t first = 0;
    while (first < records.size()) {
        const int seq = int(jobs.size()) + 1;
        qsizetype used = base(seq);
        size_t count = 0;
        while (first + count < records.size() && (cap == 0 || count < cap)) {
            const qsizetype more = length(records[first + count], seq);
            if (used + more >= maxChars) {
                if (count > 0)
                    break;
                QString value = records[first].join(QLatin1Char(' '));
                if (value.size() > 50)
                    value = value.left(50) + QStringLiteral("...");
                return fail(QStringLiteral("command line too long (%1 bytes, and the limit is %2: "
                                           "see -s) for input %3 (\"%4\")")
                                .arg(used + more)
                                .arg(maxChars)
                                .arg(first + 1)
                                .arg(value));
            }
            used += more;
            ++count;
        }
        if (!spread && first + count == records.size()) {
            // The end of the input: what is left goes to every slot evenly.
            spread = true;
            const size_t even =
                g.jobSlots > 0 ? (count + size_t(g.jobSlots) - 1) / size_t(g.jobSlots) : 1;
            cap = cap > 0 ? qMin(cap, even) : even;
            count = qMin(count, cap);
        }
        jobs.push_back(RecordRange{first, count});
        first += count;
    }
    return jobs;
}

// Jobs of several records each (ValueGrouping). Calls fn(spec) for each
// of the first `limit` jobs (all: -1).
template <typename Finish, typename Fn>
static Expected<void> forEachGroupedJob(const BatchRequest &request, qsizetype limit,
                                        Finish &&finish, Fn &&fn)
{
    const ValueGrouping &g = request.grouping;
    std::vector<QStringList> records = InputSources::combine(request.sources, request.linkAll);
    if (!g.columnSeparator.isEmpty()) {
        const QRegularExpression separator(g.columnSeparator);
        if (!separator.isValid())
            return fail(QStringLiteral("--colsep: \"%1\" is not a regular expression (%2)")
                            .arg(g.columnSeparator, separator.errorString()));
        for (QStringList &record : records) {
            QStringList columns;
            for (const QString &v : std::as_const(record))
                columns += InputSources::splitColumns(v, separator, g.trimColumns);
            record = std::move(columns);
        }
    }
    if (g.shuffle) {
        // Fisher-Yates, as parallel shuffles its records.
        QRandomGenerator *random = QRandomGenerator::global();
        for (size_t i = records.size(); i > 1; --i)
            std::swap(records[i - 1], records[size_t(random->bounded(quint64(i)))]);
    }
    // -N0 reads a record a job and uses none of its values.
    const bool noValues = g.maxRecords == 0;
    const bool fill = g.fill && !noValues;
    const bool wholeCommands = request.valuesAreCommands && request.command.trimmed().isEmpty();

    qsizetype total = 0;
    for (const QStringList &r : records)
        total += r.size();
    std::vector<RecordRange> jobs;
    int mostValues = 0; // in one job: how far positional {N} may go
    if (!fill) {
        jobs = fixedGroups(records.size(), size_t(qMax(1, g.maxRecords)));
        for (const RecordRange &job : jobs) {
            int values = 0;
            for (size_t r = job.first; r < job.first + job.count; ++r)
                values += int(records[r].size());
            mostValues = qMax(mostValues, values);
        }
    } else {
        // Positional {N} are refused; {} may stand for any number.
        mostValues = int(qMin<qsizetype>(total, std::numeric_limits<int>::max()));
    }
    if (noValues)
        mostValues = 0;
    else if (!fill)
        mostValues = qMax(mostValues, g.valuesBefore);

    CommandTemplate::Options options;
    options.valueCount = mostValues;
    options.contextReplace = g.contextReplace;
    options.positionalAllowed = !fill;
    options.columnNames = g.columnNames;
    options.valueLimit =
        mostValues == 0
            ? QStringLiteral("no job has any value (%1)").arg(g.describedAs)
            : QStringLiteral("no job has more than %1 (%2)").arg(mostValues).arg(g.describedAs);
    std::optional<CommandTemplate> t;
    if (!wholeCommands) {
        if (fill && !request.quotedCommand.isEmpty())
            return fail(QStringLiteral("quoted command words (-q) cannot be filled up to a "
                                       "command line's length (-m, -X)"));
        auto parsed = templateOf(request, options);
        if (!parsed)
            return fail(parsed.error());
        t = std::move(parsed).value();
    }
    if (fill) {
        Expected<std::vector<RecordRange>> filled =
            t ? filledGroups(
                    records, [&](int seq) { return t->baseLength(seq); },
                    [&](const QStringList &r, int seq) { return t->recordLength(r, seq); }, g)
              : filledGroups(
                    records, [](int) { return qsizetype(-1); },
                    [](const QStringList &r, int) {
                        // Whole commands: the values joined with blanks.
                        qsizetype n = 0;
                        for (const QString &v : r)
                            n += v.toUtf8().size() + 1;
                        return n;
                    },
                    g);
        if (!filled)
            return fail(filled.error());
        jobs = std::move(filled).value();
    }

    int seq = request.firstSeq - 1;
    for (const RecordRange &job : jobs) {
        if (limit >= 0 && seq - request.firstSeq + 1 >= limit)
            break;
        ++seq;
        QList<QStringList> group;
        if (!noValues) {
            group.reserve(qsizetype(job.count));
            for (size_t r = job.first; r < job.first + job.count; ++r)
                group.append(records[r]);
        }
        JobSpec spec;
        if (wholeCommands) {
            QStringList values;
            for (const QStringList &r : std::as_const(group))
                values += r;
            const QString line = values.join(QLatin1Char(' '));
            const auto whole = CommandTemplate::parse(line, 0, false);
            if (!whole)
                return fail(
                    QStringLiteral("command %1 (\"%2\"): %3").arg(seq).arg(line, whole.error()));
            spec = whole->expand(QStringList(), seq);
            spec.inputValues = values;
        } else {
            spec = t->expandGroup(group, seq);
        }
        finish(spec);
        fn(std::move(spec));
    }
    return {};
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
        spec.setsNice = request.setsNice;
        spec.nice = request.nice;
        if (request.stdinMode == BatchRequest::Stdin::Text) {
            spec.stdinData = request.stdinText.toUtf8();
            spec.hasStdinData = true;
        } else if (request.stdinMode == BatchRequest::Stdin::File) {
            spec.stdinFile = request.stdinText;
        }
    };
    auto more = [limit](qsizetype done) { return limit < 0 || done < limit; };
    if (request.grouping.isActive())
        return forEachGroupedJob(request, limit, finish, fn);

    if (request.sources.isEmpty()) {
        CommandTemplate::Options options;
        const auto t = templateOf(request, options);
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
        int seq = request.firstSeq - 1;
        for (const QStringList &tuple : tuples) {
            if (!more(seq - request.firstSeq + 1))
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
    CommandTemplate::Options options;
    options.valueCount = int(request.sources.size());
    options.appendValues = request.appendValues;
    const auto t = templateOf(request, options);
    if (!t)
        return fail(t.error());
    int seq = request.firstSeq - 1;
    for (const QStringList &tuple : tuples) {
        if (!more(seq - request.firstSeq + 1))
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
