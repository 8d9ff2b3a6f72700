#include "app/cli/historycommand.h"

#include "app/cli/batchlisting.h"
#include "app/cli/fdio.h"
#include "app/export/jobfields.h"
#include "app/export/joblogwriter.h"
#include "app/export/logexporter.h"
#include "app/history/historydatabase.h"
#include "app/history/historyreader.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <utility>

namespace procdeck {

namespace {

constexpr int kFailed = 255; // bad input, or a history that cannot be read
constexpr int kDefaultLimit = 20;

enum class Command { All, List, Export, Clear };

QByteArray usage(Command which)
{
    QString text = QStringLiteral(
        "Usage: procdeck history [list] [--search TEXT] [--limit N] [--json]\n"
        "       procdeck history export [ID|latest] --joblog FILE | --results DIR | --csv FILE |\n"
        "                               --jsonl FILE | --html FILE\n"
        "       procdeck history clear\n"
        "\n"
        "Past batches, as procdeck run recorded them, from $PROCDECK_HISTORY, else\n"
        "~/.local/share/procdeck/history.sqlite (PROCDECK_HISTORY=off: no history).\n");
    const QString list = QStringLiteral(
        "\n"
        "list (the default): the newest batches first, one line each: ID, STARTED (local\n"
        "time), ORIGIN (cli or window), JOBS, OK, FAILED, WALL (seconds) and LABEL (the\n"
        "command template). FAILED counts the jobs a dead procdeck left interrupted too.\n"
        "  --search TEXT   only batches whose template or a job's command holds TEXT\n"
        "                  (any case)\n"
        "  --limit N       at most N batches (default 20; 0 for all)\n"
        "  --json          JSON Lines: one object per batch, with id, started and finished\n"
        "                  (UTC, ISO 8601; finished is null while it runs), origin, jobs,\n"
        "                  ok, failed, interrupted, canceled, running, wallSeconds, label\n"
        "                  and outputBytes\n");
    const QString exportText = QStringLiteral(
        "\n"
        "export: writes one past batch, with the output history kept of it, as procdeck\n"
        "run's options do. ID is a number from the list; latest, the default, is the\n"
        "newest batch. Several of these may be given at once:\n"
        "  --joblog FILE   GNU parallel's joblog (- for stdout)\n"
        "  --results DIR   GNU parallel's results folder (F.csv: CSV, F.json: JSON Lines)\n"
        "  --csv FILE      CSV, with each job's stdout and stderr\n"
        "  --jsonl FILE    JSON Lines, with each job's stdout and stderr\n"
        "  --html FILE     a self-contained HTML report with a timeline\n");
    const QString clear = QStringLiteral(
        "\n"
        "clear (or --clear): deletes every finished batch (one still running stays). A\n"
        "database too damaged to open is removed.\n");
    switch (which) {
    case Command::All:
        text += list + exportText + clear;
        break;
    case Command::List:
        text += list;
        break;
    case Command::Export:
        text += exportText;
        break;
    case Command::Clear:
        text += clear;
        break;
    }
    text += QStringLiteral("\nExit status: 0, or 255 for bad input or a history that cannot be "
                           "read.\n");
    return text.toUtf8();
}

// "procdeck history: MESSAGE" on stderr.
void complain(const QString &message)
{
    writeAll(2, QStringLiteral("procdeck history: %1\n").arg(message).toLocal8Bit());
}

int usageError(const QString &message, const QString &command)
{
    complain(message);
    writeAll(2, QStringLiteral("Try 'procdeck history%1 --help'.\n")
                    .arg(command.isEmpty() ? QString() : QLatin1Char(' ') + command)
                    .toLocal8Bit());
    return kFailed;
}

QString dashed(const QString &name)
{
    return (name.size() == 1 ? QStringLiteral("-") : QStringLiteral("--")) + name;
}

// One command's options through QCommandLineParser, with procdeck run's
// messages for the mistakes it finds.
Expected<void> parse(QCommandLineParser &parser, const QList<QCommandLineOption> &options,
                     const QStringList &args)
{
    // "-limit" is --limit, not -l -i -m -i -t: there are no short options
    // to bundle but -h.
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addOptions(options);
    if (parser.parse(QStringList{QStringLiteral("procdeck")} + args)) // [0]: the program
        return {};
    if (!parser.unknownOptionNames().isEmpty()) {
        // Named as it was typed: -xyz, --xyz or --xyz=1.
        const QString name = parser.unknownOptionNames().first();
        QString typed = dashed(name);
        for (const QString &arg : args) {
            const QString word = arg.section(QLatin1Char('='), 0, 0);
            if (word == QLatin1Char('-') + name || word == QStringLiteral("--") + name) {
                typed = word;
                break;
            }
        }
        return fail(QStringLiteral("unknown option %1").arg(typed));
    }
    // The others: a value-taking option last, with nothing after it, or a
    // flag given a value (--json=yes).
    for (const QCommandLineOption &option : options) {
        for (const QString &name : option.names()) {
            if (!option.valueName().isEmpty() && args.value(args.size() - 1) == dashed(name))
                return fail(QStringLiteral("option %1 needs a value").arg(dashed(name)));
            if (option.valueName().isEmpty() &&
                std::any_of(args.cbegin(), args.cend(), [&](const QString &arg) {
                    return arg.startsWith(dashed(name) + QLatin1Char('='));
                }))
                return fail(QStringLiteral("option %1 takes no value").arg(dashed(name)));
        }
    }
    return fail(parser.errorText());
}

// Where history lives, and whether there is any to read. Reading must not
// create the file (HistoryReader::open would), so a missing one is told
// apart first.
struct HistoryFile
{
    QString path;
    bool off = false;
    bool exists = false;

    static HistoryFile locate()
    {
        HistoryFile f;
        f.off = qEnvironmentVariable("PROCDECK_HISTORY") == QLatin1String("off");
        if (!f.off) {
            f.path = HistoryDatabase::defaultPath();
            f.exists = QFileInfo::exists(f.path);
        }
        return f;
    }
    QString shown() const { return QDir::toNativeSeparators(path); }
    // A database error reads "history: PATH: WHAT": the WHAT.
    QString problemIn(const QString &error) const
    {
        const QString prefix = QStringLiteral("history: %1: ").arg(shown());
        return error.startsWith(prefix) ? error.mid(prefix.size()) : error;
    }
};

// SQLite's words for a file that is not a database, or a damaged one. Only
// such a file is removed by clear: a busy one, a newer procdeck's or one
// that cannot be opened (permissions, a folder) may still hold history.
bool isDamaged(const QString &error)
{
    return error.contains(QLatin1String("file is not a database"), Qt::CaseInsensitive) ||
           error.contains(QLatin1String("malformed"), Qt::CaseInsensitive);
}

// The database's messages begin "history: PATH: ": without the first
// word, complain() makes them "procdeck history: PATH: ...".
QString fromDatabase(const QString &error)
{
    const QLatin1String prefix("history: ");
    return error.startsWith(prefix) ? error.mid(prefix.size()) : error;
}

int databaseError(const QString &error)
{
    const QString message = fromDatabase(error);
    complain(isDamaged(error)
                 ? message + QStringLiteral(" (procdeck history clear removes a damaged database)")
                 : message);
    return kFailed;
}

QString plural(int n, const char *one, const char *many)
{
    return QStringLiteral("%1 %2").arg(n).arg(QLatin1String(n == 1 ? one : many));
}

int listCommand(const QStringList &args, bool named)
{
    const QString name = named ? QStringLiteral("list") : QString();
    QCommandLineParser parser;
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QString());
    const QCommandLineOption search(QStringLiteral("search"), QString(), QStringLiteral("TEXT"));
    const QCommandLineOption limit(QStringLiteral("limit"), QString(), QStringLiteral("N"));
    const QCommandLineOption json(QStringLiteral("json"), QString());
    if (const Expected<void> ok = parse(parser, {help, search, limit, json}, args); !ok)
        return usageError(ok.error(), name);
    if (parser.isSet(help)) {
        writeAll(1, usage(named ? Command::List : Command::All));
        return 0;
    }
    if (!parser.positionalArguments().isEmpty())
        return usageError(
            QStringLiteral("unexpected argument %1").arg(parser.positionalArguments().first()),
            name);
    int max = kDefaultLimit;
    if (parser.isSet(limit)) {
        bool ok = false;
        max = parser.value(limit).toInt(&ok);
        if (!ok || max < 0)
            return usageError(QStringLiteral("--limit: \"%1\" is not a number of batches (0 for "
                                             "all)")
                                  .arg(parser.value(limit)),
                              name);
    }
    const bool asJson = parser.isSet(json);
    // Notes are for people: with --json, stdout holds nothing but JSON.
    const auto note = [asJson](const QString &text) {
        writeAll(asJson ? 2 : 1, (text + QLatin1Char('\n')).toUtf8());
    };
    const HistoryFile file = HistoryFile::locate();
    if (file.off) {
        note(QStringLiteral("History is off (PROCDECK_HISTORY=off): nothing is recorded."));
        return 0;
    }
    if (!file.exists) {
        note(QStringLiteral("No history yet (%1 does not exist).").arg(file.shown()));
        return 0;
    }
    HistoryReader reader;
    if (const Expected<void> opened = reader.open(file.path); !opened)
        return databaseError(opened.error());
    const QString text = parser.value(search);
    const Expected<QList<StoredBatchSummary>> batches = reader.listBatches(text, max);
    if (!batches)
        return databaseError(batches.error());
    if (batches->isEmpty()) {
        note(text.isEmpty()
                 ? QStringLiteral("No batches in history (%1).").arg(file.shown())
                 : QStringLiteral("No batches match \"%1\" in %2.").arg(text, file.shown()));
        return 0;
    }
    QByteArray out;
    if (asJson) {
        for (const StoredBatchSummary &b : *batches)
            out += BatchListing::jsonLine(b);
    } else {
        out = BatchListing::table(*batches);
    }
    return writeAll(1, out) ? 0 : kFailed;
}

// GNU parallel's joblog, as JoblogWriter writes the file, on stdout.
QByteArray joblogBytes(const ExportSelection &selection)
{
    QByteArray bytes = JoblogWriter::header() + '\n';
    for (const JobFields &f : selection.inFinishingOrder())
        bytes += JoblogWriter::line(f) + '\n';
    return bytes;
}

int exportCommand(const QStringList &args)
{
    const QString name = QStringLiteral("export");
    QCommandLineParser parser;
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QString());
    const QCommandLineOption joblog(QStringLiteral("joblog"), QString(), QStringLiteral("FILE"));
    const QCommandLineOption results(QStringLiteral("results"), QString(), QStringLiteral("DIR"));
    const QCommandLineOption csv(QStringLiteral("csv"), QString(), QStringLiteral("FILE"));
    const QCommandLineOption jsonl(QStringLiteral("jsonl"), QString(), QStringLiteral("FILE"));
    const QCommandLineOption html(QStringLiteral("html"), QString(), QStringLiteral("FILE"));
    if (const Expected<void> ok = parse(parser, {help, joblog, results, csv, jsonl, html}, args);
        !ok)
        return usageError(ok.error(), name);
    if (parser.isSet(help)) {
        writeAll(1, usage(Command::Export));
        return 0;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1)
        return usageError(QStringLiteral("export takes one batch id, not %1 (%2)")
                              .arg(positional.size())
                              .arg(positional.join(QLatin1Char(' '))),
                          name);

    struct Target
    {
        QString option;
        ExportFormat format;
        QString path;
    };
    QList<Target> targets;
    const std::pair<const QCommandLineOption *, ExportFormat> kinds[] = {
        {&joblog, ExportFormat::Joblog},
        {&results, ExportFormat::ResultsFolder},
        {&csv, ExportFormat::Csv},
        {&jsonl, ExportFormat::JsonLines},
        {&html, ExportFormat::Html}};
    for (const auto &[option, format] : kinds) {
        const QString flag = dashed(option->names().first());
        for (const QString &path : parser.values(*option)) {
            // Only the joblog is text a pipe can take line by line; the
            // other writers replace a file atomically.
            if (path == QLatin1String("-") && option != &joblog)
                return usageError(
                    QStringLiteral("%1 -: only --joblog can write to stdout").arg(flag), name);
            // As procdeck run --results: F.csv and F.json are files, not folders.
            targets.append(Target{
                flag, option == &results ? LogExporter::formatForResults(path) : format, path});
        }
    }
    if (targets.isEmpty())
        return usageError(QStringLiteral("export needs somewhere to write: --joblog FILE, "
                                         "--results DIR, --csv FILE, --jsonl FILE or --html FILE"),
                          name);
    const QString idText = positional.value(0, QStringLiteral("latest"));
    qint64 id = 0;
    if (idText != QLatin1String("latest")) {
        bool ok = false;
        id = idText.toLongLong(&ok);
        if (!ok || id <= 0)
            return usageError(QStringLiteral("\"%1\" is not a batch id (a number from procdeck "
                                             "history, or latest)")
                                  .arg(idText),
                              name);
    }

    const HistoryFile file = HistoryFile::locate();
    if (file.off) {
        complain(QStringLiteral("history is off (PROCDECK_HISTORY=off): there is nothing to "
                                "export"));
        return kFailed;
    }
    if (!file.exists) {
        complain(QStringLiteral("no history yet: %1 does not exist").arg(file.shown()));
        return kFailed;
    }
    HistoryReader reader;
    if (const Expected<void> opened = reader.open(file.path); !opened)
        return databaseError(opened.error());
    if (id == 0) {
        const Expected<qint64> newest = reader.latestBatchId();
        if (!newest)
            return databaseError(newest.error());
        if (*newest == 0) {
            complain(QStringLiteral("no batches in %1").arg(file.shown()));
            return kFailed;
        }
        id = *newest;
    } else {
        // Told apart from a database error: an id that is not there (never
        // was, pruned or cleared) is the user's mistake.
        const Expected<QList<StoredBatchSummary>> all = reader.listBatches();
        if (!all)
            return databaseError(all.error());
        const bool known = std::any_of(all->cbegin(), all->cend(),
                                       [id](const StoredBatchSummary &s) { return s.id == id; });
        if (!known) {
            complain(QStringLiteral("no batch %1 in %2").arg(id).arg(file.shown()));
            return kFailed;
        }
    }
    Expected<std::unique_ptr<StoredJobs>> loaded = reader.loadBatch(id, true);
    if (!loaded)
        return databaseError(loaded.error());
    const StoredJobs &jobs = *loaded.value();
    if (!jobs.summary().isFinished())
        complain(QStringLiteral("batch %1 is still running: its unfinished jobs are exported as "
                                "they stand")
                     .arg(id));
    QList<int> indices;
    indices.reserve(jobs.jobCount());
    for (int i = 0; i < jobs.jobCount(); ++i)
        indices << i;
    const ExportSelection selection(jobs, indices);
    const QString title = QStringLiteral("procdeck: %1").arg(jobs.summary().label);
    int status = 0;
    for (const Target &t : std::as_const(targets)) {
        if (t.path == QLatin1String("-")) {
            if (!writeAll(1, joblogBytes(selection))) {
                complain(QStringLiteral("--joblog -: cannot write to stdout"));
                status = kFailed;
            }
            continue;
        }
        if (const Expected<void> written = LogExporter::write(t.format, t.path, selection, title);
            !written) {
            complain(QStringLiteral("%1: %2").arg(t.option, written.error()));
            status = kFailed;
        }
    }
    return status;
}

int clearCommand(const QStringList &args)
{
    const QString name = QStringLiteral("clear");
    QCommandLineParser parser;
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QString());
    if (const Expected<void> ok = parse(parser, {help}, args); !ok)
        return usageError(ok.error(), name);
    if (parser.isSet(help)) {
        writeAll(1, usage(Command::Clear));
        return 0;
    }
    if (!parser.positionalArguments().isEmpty())
        return usageError(
            QStringLiteral("unexpected argument %1").arg(parser.positionalArguments().first()),
            name);
    const HistoryFile file = HistoryFile::locate();
    if (file.off) {
        writeAll(1, "History is off (PROCDECK_HISTORY=off): there is nothing to clear.\n");
        return 0;
    }
    if (!file.exists) {
        writeAll(1, QStringLiteral("No history yet (%1 does not exist): nothing to clear.\n")
                        .arg(file.shown())
                        .toUtf8());
        return 0;
    }
    // Opened for writing only (not HistoryReader's read-only fallback): a
    // damaged file may still read its first page, and must be told apart
    // from a write-protected one.
    QString problem;
    int cleared = 0;
    {
        HistoryDatabase db;
        if (const Expected<void> opened = db.open(file.path); !opened)
            problem = opened.error();
        else if (const Expected<int> n = db.clear(); !n)
            problem = n.error();
        else
            cleared = *n;
    } // the connection closes before its files may go
    if (problem.isEmpty()) {
        // What is left: batches a live procdeck still records.
        int kept = 0;
        HistoryReader reader;
        if (reader.open(file.path)) {
            if (const Expected<QList<StoredBatchSummary>> left = reader.listBatches(); left)
                kept = int(left->size());
        }
        QString text = QStringLiteral("Cleared %1 from %2")
                           .arg(plural(cleared, "batch", "batches"), file.shown());
        if (kept > 0)
            text +=
                QStringLiteral(" (%1 still running kept)").arg(plural(kept, "batch", "batches"));
        writeAll(1, (text + QStringLiteral(".\n")).toUtf8());
        return 0;
    }
    if (!isDamaged(problem)) {
        complain(
            QStringLiteral("%1: cannot clear it: %2").arg(file.shown(), file.problemIn(problem)));
        return kFailed;
    }
    if (const Expected<void> removed = HistoryDatabase::removeFiles(file.path); !removed) {
        complain(QStringLiteral("%1 (it is damaged: %2)")
                     .arg(fromDatabase(removed.error()), file.problemIn(problem)));
        return kFailed;
    }
    writeAll(1, QStringLiteral("Removed %1 (and its -wal and -shm files): it could not be read "
                               "(%2).\n")
                    .arg(file.shown(), file.problemIn(problem))
                    .toUtf8());
    return 0;
}

} // namespace

int historyCommand(int argc, char **argv)
{
    // Qt SQL loads its SQLite driver as a plugin, which needs the app object.
    QCoreApplication app(argc, argv);
    QStringList args = QCoreApplication::arguments().mid(2); // after "procdeck history"
    const QString first = args.value(0);
    if (first == QLatin1String("export"))
        return exportCommand(args.mid(1));
    if (first == QLatin1String("clear") || first == QLatin1String("--clear"))
        return clearCommand(args.mid(1));
    if (first == QLatin1String("list"))
        return listCommand(args.mid(1), true);
    if (!first.isEmpty() && !first.startsWith(QLatin1Char('-')))
        return usageError(QStringLiteral("unknown command %1 (list, export or clear)").arg(first),
                          QString());
    return listCommand(args, false);
}

} // namespace procdeck
