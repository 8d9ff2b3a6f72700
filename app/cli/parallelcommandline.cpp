#include "app/cli/parallelcommandline.h"

#include "app/batch/commandtemplate.h"
#include "app/core/rawtext.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QThread>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <optional>

#include <fcntl.h>
#include <unistd.h>

namespace procdeck {

namespace {

bool parseJobs(const QString &text, int *jobs)
{
    const int cores = qMax(1, QThread::idealThreadCount());
    bool ok = false;
    if (text.endsWith(QLatin1Char('%'))) {
        const double percent = text.chopped(1).toDouble(&ok);
        if (!ok || percent < 0)
            return false;
        *jobs = qMax(1, int(std::floor(cores * percent / 100.0)));
        return true;
    }
    if (text.startsWith(QLatin1Char('+')) || text.startsWith(QLatin1Char('-'))) {
        const int delta = text.toInt(&ok);
        if (!ok)
            return false;
        *jobs = qMax(1, cores + delta);
        return true;
    }
    const int n = text.toInt(&ok);
    if (!ok || n < 0)
        return false;
    *jobs = n;
    return true;
}

bool parseSeconds(const QString &text, int *ms)
{
    bool ok = false;
    const double seconds = text.toDouble(&ok);
    if (!ok || seconds < 0 || !std::isfinite(seconds))
        return false;
    *ms = int(std::lround(seconds * 1000.0));
    return true;
}

// --load: N, N.N, N% of the cores, +N or -N cores; as parallel, at least
// 0.01, and 0 is no limit (it is false in Perl).
bool parseLoad(const QString &text, double *load)
{
    if (text == QLatin1String("0")) {
        *load = 0;
        return true;
    }
    const int cores = qMax(1, QThread::idealThreadCount());
    static const QRegularExpression form(
        QStringLiteral("^(?:([+-])(\\d+)|(\\d+)%|(\\d+(?:\\.\\d+)?))$"));
    const QRegularExpressionMatch m = form.match(text);
    if (!m.hasMatch())
        return false;
    if (m.hasCaptured(2))
        *load = cores + (m.captured(1) == QLatin1String("+") ? 1 : -1) * m.captured(2).toDouble();
    else if (m.hasCaptured(3))
        *load = cores * m.captured(3).toDouble() / 100.0;
    else
        *load = m.captured(4).toDouble();
    *load = qMax(0.01, *load);
    return true;
}

bool readArgumentFile(const QString &path, bool nul, QStringList *values, QString *error)
{
    QFile file;
    bool opened = false;
    QString why;
    if (path == QLatin1String("-")) {
        opened = file.open(stdin, QIODevice::ReadOnly);
    } else if (RawText::hasEscapes(path)) {
        // A name that is no UTF-8: QFile would encode it lossily.
        const int fd = ::open(RawText::encode(path).constData(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            why = QString::fromLocal8Bit(std::strerror(errno));
        else if (!(opened = file.open(fd, QIODevice::ReadOnly, QFileDevice::AutoCloseHandle)))
            ::close(fd);
    } else {
        file.setFileName(path);
        opened = file.open(QIODevice::ReadOnly);
    }
    if (!opened) {
        *error = QStringLiteral("cannot open input file %1: %2")
                     .arg(RawText::forDisplay(path), why.isEmpty() ? file.errorString() : why);
        return false;
    }
    const QByteArray data = file.readAll();
    *values = nul ? InputSources::splitNul(data) : InputSources::splitLines(data);
    return true;
}

} // namespace

bool ParallelCommandLine::parseSize(const QString &text, double *bytes)
{
    // parallel's multiply_binary_prefix: K M G T P are powers of 1024, and
    // so are Ki, ki, Mi, mi...; k m g t p are powers of 1000.
    static const QRegularExpression form(
        QStringLiteral("^(\\d+(?:\\.\\d*)?|\\.\\d+)(?:([KMGTPkmgtp])([iI]?))?$"));
    const QRegularExpressionMatch m = form.match(text.trimmed());
    if (!m.hasMatch())
        return false;
    double value = m.captured(1).toDouble();
    if (m.hasCaptured(2)) {
        const QChar unit = m.captured(2).at(0);
        const int power = int(QStringLiteral("kmgtp").indexOf(unit.toLower())) + 1;
        const double base = (unit.isUpper() || !m.captured(3).isEmpty()) ? 1024.0 : 1000.0;
        value *= std::pow(base, power);
    }
    *bytes = value;
    return std::isfinite(value);
}

// --pipe's records and what it cannot be combined with.
static bool preparePipe(RunOptions *o, const std::optional<QString> &recStart,
                        const std::optional<QString> &recEnd, QString *error)
{
    if (!o->argumentsFromStdin) {
        // parallel takes the values as arguments for the first job and
        // feeds the blocks to it; not spoken.
        *error = QStringLiteral("--pipe reads its input from stdin: it cannot be combined with "
                                "::: , :::: or -a");
        return false;
    }
    if (o->commandTemplate.isEmpty()) {
        *error = QStringLiteral("--pipe needs a command to feed the blocks to (e.g. cat)");
        return false;
    }
    if (!o->stdinFile.isEmpty() || o->hasStdinText) {
        *error = QStringLiteral("--pipe gives each job a block of stdin: it cannot be combined "
                                "with %1")
                     .arg(QLatin1String(o->hasStdinText ? "--stdin-text" : "--stdin-file"));
        return false;
    }
    if (o->hasHeader || o->multipleArgs || o->contextReplace || !o->colsep.isEmpty()) {
        *error = QStringLiteral("--pipe cannot be combined with %1 (not spoken)")
                     .arg(QLatin1String(o->hasHeader        ? "--header"
                                        : o->multipleArgs   ? "-m"
                                        : o->contextReplace ? "-X"
                                                            : "--colsep"));
        return false;
    }
    PipeFormat &f = o->pipeFormat;
    // As parallel: neither given, a record ends at a newline; one given,
    // the other is empty. Escapes such as \n are read unless --regexp.
    auto bytes = [&f](const QString &text) {
        return f.regexp ? text.toUtf8() : PipeFormat::unescape(text);
    };
    f.recStart = recStart ? bytes(*recStart) : QByteArray();
    f.recEnd = recEnd ? bytes(*recEnd) : recStart ? QByteArray() : QByteArrayLiteral("\n");
    // -N (or -n) records a block, as parallel: -N wins; -L lines.
    f.records = qMax(0, o->maxReplaceArgs >= 0 ? o->maxReplaceArgs : o->maxArgs);
    f.lines = qMax(0, o->maxLines);
    if (f.regexp && (f.records > 0 || f.lines > 0)) {
        *error = QStringLiteral("--regexp cannot be combined with %1 (not spoken)")
                     .arg(QLatin1String(f.records > 0 ? "-N" : "-L"));
        return false;
    }
    if (f.regexp) {
        for (const QByteArray &pattern : {f.recStart, f.recEnd}) {
            const QRegularExpression re(QString::fromUtf8(pattern));
            if (!re.isValid()) {
                *error = QStringLiteral("--regexp: \"%1\" is not a regular expression (%2)")
                             .arg(QString::fromUtf8(pattern), re.errorString());
                return false;
            }
        }
    }
    return true;
}

// The parser proper: a bool and a message, as its many small steps fail.
static bool parseInto(const QStringList &args, RunOptions *out, QString *error)
{
    RunOptions o;
    o.jobs = qMax(1, QThread::idealThreadCount());
    QString replaceWith; // -I: the user's name for {}
    QList<InputSource> argFileSources;
    QStringList argFiles;                    // -a
    std::optional<QString> recStart, recEnd; // --pipe's, as given
    qsizetype i = 0;

    // Value of an option given as "--opt value", "--opt=value" or "-jN".
    auto takeValue = [&](const QString &arg, const QString &name, QString *value) -> bool {
        if (arg.startsWith(name + QLatin1Char('='))) {
            *value = arg.mid(name.size() + 1);
            return true;
        }
        if (arg != name && name.size() == 2 && arg.startsWith(name)) {
            *value = arg.mid(2); // -j4
            return true;
        }
        if (i + 1 >= args.size()) {
            *error = QStringLiteral("option %1 needs a value").arg(name);
            return false;
        }
        *value = args.at(++i);
        return true;
    };
    // The option's name as given: "--max-args" of "--max-args=2", "-n" of "-n2".
    auto nameOf = [](const QString &arg) {
        return arg.startsWith(QLatin1String("--")) ? arg.section(QLatin1Char('='), 0, 0)
                                                   : arg.left(2);
    };
    // A whole number, 0 or more, of what the option counts.
    auto takeCount = [&](const QString &arg, const char *what, int *n) -> bool {
        const QString name = nameOf(arg);
        QString value;
        if (!takeValue(arg, name, &value))
            return false;
        bool ok = false;
        const int v = value.toInt(&ok);
        if (!ok || v < 0) {
            *error = QStringLiteral("%1: \"%2\" is not a whole number of %3")
                         .arg(name, value, QLatin1String(what));
            return false;
        }
        *n = v;
        return true;
    };
    auto is = [](const QString &arg, std::initializer_list<const char *> names) {
        for (const char *n : names) {
            const QString name = QLatin1String(n);
            if (arg == name || arg.startsWith(name + QLatin1Char('=')) ||
                (name.size() == 2 && name != QLatin1String("-k") && arg.startsWith(name) &&
                 arg.size() > 2))
                return true;
        }
        return false;
    };

    for (; i < args.size(); ++i) {
        const QString arg = args.at(i);
        if (!arg.startsWith(QLatin1Char('-')) || arg == QLatin1String("-"))
            break;
        if (arg == QLatin1String("--")) {
            ++i;
            break;
        }
        QString value;
        if (arg == QLatin1String("-h") || arg == QLatin1String("--help")) {
            o.help = true;
        } else if (arg == QLatin1String("--version")) {
            o.version = true;
        } else if (arg == QLatin1String("-k") || arg == QLatin1String("--keep-order")) {
            o.keepOrder = true;
        } else if (arg == QLatin1String("--tag")) {
            o.tag = true;
        } else if (arg == QLatin1String("-u") || arg == QLatin1String("--ungroup")) {
            o.ungroup = true;
        } else if (arg == QLatin1String("-v") || arg == QLatin1String("--verbose")) {
            o.verbose = true;
        } else if (arg == QLatin1String("-0") || arg == QLatin1String("--null")) {
            o.nullSeparated = true;
        } else if (arg == QLatin1String("--no-history")) {
            o.noHistory = true;
        } else if (arg == QLatin1String("--progress") || arg == QLatin1String("--bar") ||
                   arg == QLatin1String("--eta")) {
            o.progress = true;
        } else if (is(arg, {"--tagstring"})) {
            if (!takeValue(arg, QStringLiteral("--tagstring"), &value))
                return false;
            o.tagString = value;
            o.tag = true;
        } else if (is(arg, {"-I"})) {
            if (!takeValue(arg, QStringLiteral("-I"), &value))
                return false;
            if (value.isEmpty()) {
                *error = QStringLiteral("-I needs a replacement string");
                return false;
            }
            replaceWith = value;
        } else if (arg == QLatin1String("-q") || arg == QLatin1String("--quote")) {
            o.quote = true;
        } else if (arg == QLatin1String("--resume")) {
            o.resume = RunOptions::Resume::Resume;
        } else if (arg == QLatin1String("--resume-failed")) {
            o.resume = RunOptions::Resume::ResumeFailed;
        } else if (arg == QLatin1String("--retry-failed")) {
            o.resume = RunOptions::Resume::RetryFailed;
        } else if (arg == QLatin1String("--files")) {
            o.files = true;
        } else if (is(arg, {"--env"})) {
            if (!takeValue(arg, QStringLiteral("--env"), &value))
                return false;
            for (const QString &name : value.split(QLatin1Char(','))) {
                if (name == QLatin1String("_")) {
                    // parallel's "every variable not in a clean environment"
                    // needs env_parallel --record-env; refused as parallel
                    // refuses it without.
                    *error = QStringLiteral("--env _ needs the variables of a clean environment "
                                            "(env_parallel --record-env), which procdeck does not "
                                            "keep; the jobs get procdeck's whole environment");
                    return false;
                }
                if (name.isEmpty()) {
                    *error = QStringLiteral("--env needs a variable name");
                    return false;
                }
                o.envNames << name;
            }
        } else if (is(arg, {"--tmpdir", "--tempdir"})) {
            if (!takeValue(arg, nameOf(arg), &value))
                return false;
            if (!QFileInfo(value).isDir()) {
                *error = QStringLiteral("--tmpdir: %1 is not a folder").arg(value);
                return false;
            }
            o.tmpdir = value;
        } else if (is(arg, {"--nice"})) {
            if (!takeValue(arg, QStringLiteral("--nice"), &value))
                return false;
            bool ok = false;
            o.nice = value.toInt(&ok);
            if (!ok) {
                *error = QStringLiteral("--nice: \"%1\" is not a whole number").arg(value);
                return false;
            }
            o.setsNice = true;
        } else if (arg == QLatin1String("--pipe") || arg == QLatin1String("--spreadstdin")) {
            o.pipe = true;
        } else if (is(arg, {"--block", "--block-size", "--blocksize"})) {
            const QString name = arg.section(QLatin1Char('='), 0, 0);
            if (!takeValue(arg, name, &value))
                return false;
            double bytes = 0;
            // parallel reads 0 as its default and dies on a negative or
            // unreadable size; procdeck refuses them all.
            if (!ParallelCommandLine::parseSize(value, &bytes) || bytes < 1) {
                *error = QStringLiteral("%1: \"%2\" is not a size of 1 byte or more "
                                        "(e.g. 512k, 1M, 2G)")
                             .arg(name, value);
                return false;
            }
            o.pipeFormat.blockSize = qint64(qMin(bytes, 9.0e18));
        } else if (is(arg, {"--recstart"})) {
            if (!takeValue(arg, QStringLiteral("--recstart"), &value))
                return false;
            recStart = value;
        } else if (is(arg, {"--recend"})) {
            if (!takeValue(arg, QStringLiteral("--recend"), &value))
                return false;
            recEnd = value;
        } else if (arg == QLatin1String("--regexp")) {
            o.pipeFormat.regexp = true;
        } else if (is(arg, {"--load"})) {
            if (!takeValue(arg, QStringLiteral("--load"), &value))
                return false;
            if (!parseLoad(value, &o.batch.maxLoad)) {
                *error = QStringLiteral("--load: \"%1\" is not a load (N, N.N, N%, +N or -N)")
                             .arg(value);
                return false;
            }
        } else if (is(arg, {"--memfree"})) {
            if (!takeValue(arg, QStringLiteral("--memfree"), &value))
                return false;
            double bytes = 0;
            if (!ParallelCommandLine::parseSize(value, &bytes)) {
                *error =
                    QStringLiteral("--memfree: \"%1\" is not a size (e.g. 500M, 2G)").arg(value);
                return false;
            }
            o.batch.minMemFree = qint64(qMin(bytes, 9.0e18));
        } else if (arg == QLatin1String("--shuf")) {
            o.shuffle = true;
        } else if (arg == QLatin1String("--line-buffer") || arg == QLatin1String("--lb")) {
            o.lineBuffer = true;
        } else if (arg == QLatin1String("--dry-run") || arg == QLatin1String("--dryrun")) {
            o.dryRun = true;
        } else if (arg == QLatin1String("--link") || arg == QLatin1String("--xapply")) {
            o.link = true;
        } else if (is(arg, {"-n", "--max-args"})) {
            if (!takeCount(arg, "values", &o.maxArgs))
                return false;
        } else if (is(arg, {"-N", "--max-replace-args"})) {
            if (!takeCount(arg, "values", &o.maxReplaceArgs))
                return false;
        } else if (is(arg, {"-L"})) {
            if (!takeCount(arg, "lines", &o.maxLines))
                return false;
        } else if (arg == QLatin1String("--max-lines") ||
                   arg.startsWith(QLatin1String("--max-lines="))) {
            // Its number is optional, as in parallel: 1 when left out.
            bool ok = false;
            if (arg.contains(QLatin1Char('='))) {
                if (!takeCount(arg, "lines", &o.maxLines))
                    return false;
            } else if (i + 1 < args.size() && args.at(i + 1).toInt(&ok) >= 0 && ok) {
                o.maxLines = args.at(++i).toInt();
            } else {
                o.maxLines = 1;
            }
        } else if (arg == QLatin1String("-m")) {
            o.multipleArgs = true;
        } else if (arg == QLatin1String("-X")) {
            o.contextReplace = true;
        } else if (is(arg, {"-s", "--max-chars"})) {
            if (!takeCount(arg, "bytes", &o.maxChars))
                return false;
            if (o.maxChars == 0) {
                *error = QStringLiteral("-s: a command line needs at least 1 byte");
                return false;
            }
        } else if (is(arg, {"--colsep", "--col-sep", "-C"})) {
            if (!takeValue(arg, nameOf(arg), &value))
                return false;
            const QRegularExpression separator(value);
            if (value.isEmpty() || !separator.isValid()) {
                *error =
                    QStringLiteral("--colsep: \"%1\" is not a regular expression%2")
                        .arg(value, value.isEmpty() ? QString()
                                                    : QStringLiteral(" (%1 at offset %2)")
                                                          .arg(separator.errorString())
                                                          .arg(separator.patternErrorOffset()));
                return false;
            }
            o.colsep = value;
        } else if (is(arg, {"-E"})) {
            if (!takeValue(arg, QStringLiteral("-E"), &o.eofString))
                return false;
        } else if (arg == QLatin1String("--eof") || arg.startsWith(QLatin1String("--eof="))) {
            // Its value is optional, as in parallel: the next word unless it
            // is an option; none means no end-of-file value.
            if (arg.contains(QLatin1Char('=')))
                o.eofString = arg.section(QLatin1Char('='), 1);
            else if (i + 1 < args.size() && !args.at(i + 1).startsWith(QLatin1Char('-')))
                o.eofString = args.at(++i);
        } else if (is(arg, {"--header"})) {
            if (!takeValue(arg, QStringLiteral("--header"), &o.header))
                return false;
            o.hasHeader = true;
        } else if (is(arg, {"-j", "--jobs", "-P", "--max-procs"})) {
            const QString name = arg.startsWith(QLatin1String("--"))
                                     ? arg.section(QLatin1Char('='), 0, 0)
                                     : arg.left(2);
            if (!takeValue(arg, name, &value))
                return false;
            if (!parseJobs(value, &o.jobs)) {
                *error = QStringLiteral(
                             "-j: \"%1\" is not a number of jobs (N, N%, +N, -N or 0 for no limit)")
                             .arg(value);
                return false;
            }
        } else if (is(arg, {"--timeout"})) {
            if (!takeValue(arg, QStringLiteral("--timeout"), &value))
                return false;
            if (!parseSeconds(value, &o.timeoutMs) || o.timeoutMs == 0) {
                *error = QStringLiteral("--timeout: \"%1\" is not a positive number of seconds")
                             .arg(value);
                return false;
            }
        } else if (is(arg, {"--termseq"})) {
            if (!takeValue(arg, QStringLiteral("--termseq"), &value))
                return false;
            Expected<QList<KillStep>> steps = parseTermSequence(value);
            if (!steps) {
                *error = steps.error();
                return false;
            }
            o.termSequence = *steps;
        } else if (is(arg, {"--retries"})) {
            if (!takeValue(arg, QStringLiteral("--retries"), &value))
                return false;
            bool ok = false;
            o.batch.attempts = value.toInt(&ok);
            if (!ok || o.batch.attempts < 0) {
                *error = QStringLiteral("--retries: \"%1\" is not a whole number").arg(value);
                return false;
            }
            o.batch.attempts = qMax(1, o.batch.attempts);
        } else if (is(arg, {"--delay"})) {
            if (!takeValue(arg, QStringLiteral("--delay"), &value))
                return false;
            if (!parseSeconds(value, &o.batch.delayMs)) {
                *error = QStringLiteral("--delay: \"%1\" is not a number of seconds").arg(value);
                return false;
            }
        } else if (is(arg, {"--halt", "--halt-on-error"})) {
            const QString name = arg.section(QLatin1Char('='), 0, 0);
            if (!takeValue(arg, name, &value))
                return false;
            const Expected<HaltPolicy> halt = HaltPolicy::parse(value);
            if (!halt) {
                *error = halt.error();
                return false;
            }
            o.batch.halt = *halt;
        } else if (is(arg, {"--joblog"})) {
            if (!takeValue(arg, QStringLiteral("--joblog"), &value))
                return false;
            o.joblog = value;
        } else if (is(arg, {"--results", "--res"})) {
            const QString name = arg.section(QLatin1Char('='), 0, 0);
            if (!takeValue(arg, name, &value))
                return false;
            o.results = value;
        } else if (is(arg, {"--report"})) {
            if (!takeValue(arg, QStringLiteral("--report"), &value))
                return false;
            o.report = value;
        } else if (is(arg, {"--workdir", "--wd"})) {
            const QString name = arg.section(QLatin1Char('='), 0, 0);
            if (!takeValue(arg, name, &value))
                return false;
            o.workingDirectory = value;
        } else if (is(arg, {"--stdin-file"})) {
            if (!takeValue(arg, QStringLiteral("--stdin-file"), &value))
                return false;
            if (!QFile::exists(value)) {
                *error = QStringLiteral("--stdin-file: %1 does not exist").arg(value);
                return false;
            }
            o.stdinFile = value;
        } else if (is(arg, {"--stdin-text"})) {
            if (!takeValue(arg, QStringLiteral("--stdin-text"), &value))
                return false;
            o.stdinText = value;
            o.hasStdinText = true;
        } else if (is(arg, {"-a", "--arg-file"})) {
            const QString name = arg.startsWith(QLatin1String("--"))
                                     ? arg.section(QLatin1Char('='), 0, 0)
                                     : arg.left(2);
            if (!takeValue(arg, name, &value))
                return false;
            argFiles << value; // read once every option is known (-0)
        } else {
            *error =
                QStringLiteral(
                    "unknown option %1 (procdeck run speaks a subset of GNU parallel's options; "
                    "see procdeck run --help)")
                    .arg(arg);
            return false;
        }
    }

    for (const QString &path : std::as_const(argFiles)) {
        InputSource source;
        if (!readArgumentFile(path, o.nullSeparated, &source.values, error))
            return false;
        argFileSources.append(source);
    }

    QStringList command;
    for (; i < args.size(); ++i) {
        const QString arg = args.at(i);
        if (arg == QLatin1String(":::") || arg == QLatin1String(":::+") ||
            arg == QLatin1String("::::") || arg == QLatin1String("::::+"))
            break;
        command << arg;
    }
    if (o.quote) {
        // -q: each word is quoted as it stands; the replacement strings in
        // it stay active.
        if (!replaceWith.isEmpty()) {
            for (QString &word : command)
                word.replace(replaceWith, QStringLiteral("{}"));
        }
        o.commandWords = command;
        o.commandTemplate = CommandTemplate::quoteWords(command);
    } else {
        o.commandTemplate = command.join(QLatin1Char(' '));
        if (!replaceWith.isEmpty())
            o.commandTemplate.replace(replaceWith, QStringLiteral("{}"));
    }

    if (o.resume != RunOptions::Resume::None && o.joblog.isEmpty()) {
        *error = QStringLiteral("%1 needs --joblog FILE: the joblog says which jobs ran")
                     .arg(QLatin1String(o.resume == RunOptions::Resume::Resume ? "--resume"
                                        : o.resume == RunOptions::Resume::ResumeFailed
                                            ? "--resume-failed"
                                            : "--retry-failed"));
        return false;
    }
    if (o.files && o.ungroup) {
        *error = QStringLiteral("--files cannot be combined with -u (output goes to files, whole)");
        return false;
    }
    if (o.quote && (o.multipleArgs || o.contextReplace)) {
        *error = QStringLiteral("-q cannot be combined with %1 (procdeck does not fill quoted "
                                "words up to a command line's length)")
                     .arg(QLatin1String(o.contextReplace ? "-X" : "-m"));
        return false;
    }
    o.sources = argFileSources;
    while (i < args.size()) {
        const QString marker = args.at(i++);
        InputSource source;
        source.linkedToPrevious = marker.endsWith(QLatin1Char('+'));
        const bool files = marker.startsWith(QLatin1String("::::"));
        bool first = true;
        for (; i < args.size(); ++i) {
            const QString arg = args.at(i);
            if (arg == QLatin1String(":::") || arg == QLatin1String(":::+") ||
                arg == QLatin1String("::::") || arg == QLatin1String("::::+"))
                break;
            if (files) {
                QStringList values;
                if (!readArgumentFile(arg, o.nullSeparated, &values, error))
                    return false;
                // Several files after one "::::" are several sources.
                if (!first) {
                    o.sources.append(source);
                    source = InputSource();
                }
                source.values = values;
                first = false;
            } else {
                source.values << arg;
            }
        }
        if (source.linkedToPrevious && o.sources.isEmpty()) {
            *error = QStringLiteral("%1 needs an input source before it to link to").arg(marker);
            return false;
        }
        o.sources.append(source);
    }
    o.argumentsFromStdin = o.sources.isEmpty();
    if (o.pipe && !preparePipe(&o, recStart, recEnd, error))
        return false;
    *out = o;
    return true;
}

Expected<RunOptions> ParallelCommandLine::parse(const QStringList &args)
{
    RunOptions options;
    QString error;
    if (!parseInto(args, &options, &error))
        return fail(error);
    return options;
}

QString ParallelCommandLine::usage()
{
    return QStringLiteral(
        "Usage: procdeck run [OPTIONS] [COMMAND [ARGS...]] [::: VALUES... | :::: FILE...]...\n"
        "\n"
        "Runs COMMAND once per input value, several at a time, like GNU parallel.\n"
        "Without ::: or ::::, values are read from stdin, one per line; without a\n"
        "COMMAND, each value is a whole command.\n"
        "\n"
        "Replacement strings: {} {.} {/} {//} {/.} {#} (job number) {%} (slot)\n"
        "  and {N} {N.} {N/} {N//} {N/.} for input source N. A COMMAND without any\n"
        "  gets the values appended. Each value is always exactly one word.\n"
        "Input sources: ::: VALUES  :::: FILES  -a FILE  :::+ / ::::+ (paired with\n"
        "  the source before)  --link (pair every source)\n"
        "\n"
        "Options:\n"
        "  -j N, --jobs N     run N jobs at once; N% of the cores; +N/-N cores; 0: no limit\n"
        "  -k, --keep-order   print output in input order\n"
        "  --tag              prefix output lines with the job's values\n"
        "  --tagstring STR    prefix output lines with STR (replacement strings work)\n"
        "  -v                 print each command before its output\n"
        "  -u, --ungroup      print output as it comes, not grouped per job\n"
        "  -0, --null         input values end at NUL instead of newline\n"
        "  -I STR             use STR instead of {} in the command\n"
        "  -q, --quote        each command word is one argument: no shell syntax\n"
        "  -n N, --max-args N  N input values a job: {} is all of them, {1}..{N} each\n"
        "  -N N               as -n, and a word holding {} is repeated for each value\n"
        "  -L N, --max-lines N  as -N, of lines; a line ending in a blank goes on\n"
        "  -m                 as many values a job as fit in a command line\n"
        "  -X                 as -m, and a word holding {} is repeated for each value\n"
        "  -s N, --max-chars N  -m and -X make command lines shorter than N bytes\n"
        "  -E STR, --eof STR  each input source ends before a value that is STR\n"
        "  --shuf             run the jobs in a random order ({#} is the running order)\n"
        "  --colsep REGEX     split each value into columns {1} {2} ... (and trim them)\n"
        "  --header :         the first line (of each source) names the columns: {name}\n"
        "  --progress, --bar, --eta   show the progress line (on stderr)\n"
        "  --line-buffer      print output lines as they come\n"
        "  --dry-run          print the commands, run nothing\n"
        "  --no-history       do not record this run in procdeck's history\n"
        "  --timeout SECS     kill a job (its process group) after SECS\n"
        "  --termseq SEQ      how to kill: default TERM,200,TERM,100,TERM,50,KILL,25\n"
        "  --retries N        try a failing job up to N times in all\n"
        "  --halt WHEN,WHY=N  now|soon, fail|success=N|N%: stop the batch early\n"
        "  --delay SECS       wait SECS between job starts\n"
        "  --load MAX         start no job while the 1-minute load average is MAX or more\n"
        "                     (N, N.N, N% of the cores, +N/-N cores); checked every second\n"
        "  --memfree SIZE     start no job while less than SIZE memory is available\n"
        "  --joblog FILE      write GNU parallel's joblog\n"
        "  --resume           with --joblog: skip the jobs (by Seq) it has; add to it\n"
        "  --resume-failed    with --joblog: also run its failed jobs again\n"
        "  --retry-failed     with --joblog: run only its failed commands again\n"
        "  --results DIR      one folder per job (stdout, stderr, seq, exitval);\n"
        "  --results F.csv    or one CSV row / F.json, F.jsonl: one JSON object per job\n"
        "  --report F.html    a self-contained HTML report with a timeline\n"
        "  --workdir DIR      run the jobs in DIR\n"
        "  --stdin-file FILE  every job reads FILE on stdin (default: /dev/null)\n"
        "  --stdin-text TEXT  every job reads TEXT on stdin\n"
        "  --pipe, --spreadstdin  cut stdin into blocks, each one job's stdin; the\n"
        "                     command gets no values ({#} is the block's number)\n"
        "  --block SIZE       --pipe's blocks: about SIZE bytes, cut at a record's end\n"
        "                     (default 1M; k=1000, K=1024, M, G...); a longer record grows it\n"
        "  --recend STR       --pipe: a record ends with STR (default \\n)\n"
        "  --recstart STR     --pipe: a record starts with STR (\\n, \\t, \\0 read as such)\n"
        "  --regexp           --pipe: --recstart and --recend are regular expressions\n"
        "  -N N (with --pipe) N records a block instead of --block's size\n"
        "  -L N (with --pipe) a block holds a multiple of N lines\n"
        "  --files            each job's output in a file; print the file's name instead\n"
        "  --tmpdir DIR       temporary files (--files, spilled output) and $TMPDIR in DIR\n"
        "  --nice N           run the jobs at niceness N\n"
        "  --env VAR          accepted; the jobs get procdeck's whole environment anyway\n"
        "\n"
        "Exit status: the number of failed jobs (101 for more than 100), the failing\n"
        "job's status after --halt ...,fail, 255 for bad input.\n");
}

} // namespace procdeck
