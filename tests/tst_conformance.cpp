// Conformance: the same command lines through GNU parallel (the reference)
// and `procdeck run` (GNU parallel's syntax after the word `run`), comparing
// stdout (both always run with -k), the exit status and the joblog (per job,
// keyed by Seq: Exitval, Signal and Command).
//
// Every case runs in a fresh copy of a small fixture directory, once for each
// side, so counter files and relative paths behave the same on both sides.
//
// PROCDECK_CONFORMANCE_PEER=/path/to/program replaces `PROCDECK_BIN` (it is
// still given `run` as its first argument). A wrapper that strips `run` and
// execs parallel checks the harness itself: every conformance case must pass
// parallel against parallel (deliberateDifferences then fails, by design: it
// checks where procdeck differs from parallel on purpose).
//
// The environment of both sides sets PARALLEL_SHELL=/bin/sh: GNU parallel
// otherwise picks the shell by walking up its parent processes (bash when
// started from an interactive bash, whatever it finds under ctest), and
// procdeck runs shell commands under /bin/sh.
#include "app/core/rawtext.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <map>

namespace {

// What a case compares besides stdout, exit status and the whole joblog.
enum CaseFlag {
    // Bad input: both exit non-zero with something on stderr; the exit status
    // must match when parallel's is 255 (its "other error"); stdout is not
    // compared (parallel prints its usage text to stdout for some errors);
    // the job lines are compared only when parallel's status is 255.
    BadInput = 0x1,
    // Only the joblog lines parallel wrote are compared: parallel does not
    // always log killed / timed-out jobs, procdeck always does.
    ParallelJobLinesOnly = 0x2,
    // The jobs run in a random order (--shuf): stdout is compared as its
    // sorted lines, the joblog as its sorted Exitval, Signal and Command and
    // its set of Seqs.
    Shuffled = 0x4,
    // --files --tmpdir td: each stdout line names a file (after the tag);
    // the names are random, so each is compared as the file's content.
    FilesOutput = 0x8,
    // --resume and the like: the case names its own joblog, a fixture file
    // (the last --joblog in its arguments); that file, as it is after the
    // run, is compared line by line (Seq, Exitval, Signal, Command).
    CaseJoblog = 0x10,
    // Some arguments hold bytes that are no UTF-8, which a QStringList
    // cannot pass: each argument goes through /bin/sh's printf %b first,
    // so "caf\\0351" reaches both as the bytes "caf\xe9".
    PrintfArgs = 0x20,
};

const int ProcessTimeoutMs = 60000;

QString parallelPath()
{
    return QStandardPaths::findExecutable(QStringLiteral("parallel"));
}

QProcessEnvironment environmentForBoth()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PARALLEL_SHELL"), QStringLiteral("/bin/sh"));
    env.insert(QStringLiteral("CONF_VAR"), QStringLiteral("conf value"));
    env.remove(QStringLiteral("PARALLEL")); // default options for parallel
    if (!env.contains(QStringLiteral("QT_QPA_PLATFORM")))
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    return env;
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

// A joblog line as parallel writes it, for the --resume fixtures.
QByteArray logLine(int seq, int exitval, int signal, const QByteArray &command,
                   const char *start = "1700000000.000")
{
    return QByteArray::number(seq) + "\t:\t" + start + "\t     0.100\t0\t2\t" +
           QByteArray::number(exitval) + '\t' + QByteArray::number(signal) + '\t' + command + '\n';
}

// Joblogs of earlier runs for --resume, --resume-failed, --retry-failed.
bool writeJoblogs(const QDir &d)
{
    const QByteArray header =
        "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n";
    return writeFile(d.filePath(QStringLiteral("resume.log")),
                     header + logLine(1, 0, 0, "echo 1") + logLine(2, 1, 0, "echo 2") +
                         logLine(4, 0, 0, "echo 4") + logLine(5, 0, 9, "echo 5")) &&
           writeFile(d.filePath(QStringLiteral("twice.log")),
                     header + logLine(1, 1, 0, "echo a") + logLine(1, 0, 0, "echo a") +
                         logLine(2, 0, 0, "echo b") + logLine(2, 3, 0, "echo b")) &&
           writeFile(d.filePath(QStringLiteral("retry.log")),
                     header + logLine(1, 1, 0, "echo first") + logLine(1, 2, 0, "echo second") +
                         logLine(2, 0, 0, "echo ok") +
                         logLine(3, 4, 0, QByteArray("echo x\0echo y", 13)) +
                         logLine(4, -1, 15, "echo killed")) &&
           writeFile(d.filePath(QStringLiteral("hole.log")),
                     header + logLine(1, 1, 0, "echo a") + logLine(3, 1, 0, "echo c")) &&
           writeFile(d.filePath(QStringLiteral("canceled.log")),
                     header + logLine(1, 0, 0, "echo 1") + logLine(2, -1, 0, "echo 2", "0.000")) &&
           writeFile(d.filePath(QStringLiteral("bad.log")), header + "1\tnot a joblog line\n");
}

// The files the cases use with ::::, -a, {/} and globs.
bool populate(const QString &dir)
{
    const QDir d(dir);
    return d.mkpath(QStringLiteral("g")) && d.mkpath(QStringLiteral("td")) &&
           writeFile(d.filePath(QStringLiteral("args.txt")), "x\ny\n") &&
           writeFile(d.filePath(QStringLiteral("paths.txt")),
                     "dir/sub/file.tar.gz\n/abs/p.txt\nplain\n") &&
           writeFile(d.filePath(QStringLiteral("tricky.txt")),
                     "a b\n\"q\"\nit's\nx;y\n$HOME\n*\nback\\slash\n\nh\xc3\xa9llo \xe2\x9c\x93\n"
                     "  lead\n") &&
           writeFile(d.filePath(QStringLiteral("table.csv")),
                     "name,size\nalpha, 1\nbeta ,22\ngamma delta,333\n") &&
           writeFile(d.filePath(QStringLiteral("eof.txt")), "a\nEND\nb\n") &&
           // File names that are no UTF-8: Latin-1, a lone 0xFF, a cut sequence.
           writeFile(d.filePath(QStringLiteral("latin1.txt")),
                     "caf\xe9.txt\nd\xe9j\xe0/vu.tar.gz\nx\xffy z\n\xe2\x9c\n") &&
           writeFile(d.filePath(QStringLiteral("g/one.txt")), "1\n") &&
           writeFile(d.filePath(QStringLiteral("g/two.txt")), "2\n") &&
           writeFile(d.filePath(QStringLiteral("g/three.log")), "3\n") && writeJoblogs(d);
}

// One side's run of a case.
struct Side
{
    QTemporaryDir work;
    QTemporaryDir logDir;
    QString joblogPath;
    QProcess process;
    QByteArray out;
    QByteArray err;
    QString status; // "exit N" or "crashed (signal N)"

    ~Side()
    {
        if (process.state() != QProcess::NotRunning) { // a case that failed early
            process.kill();
            process.waitForFinished();
        }
    }
};

// Starts `program prefix... -k --joblog FILE args...` in a fresh fixture dir
// (PrintfArgs: args through printf %b).
bool start(Side &side, const QString &program, const QStringList &prefix, const QStringList &args,
           const QByteArray &stdinData, int flags = 0)
{
    if (!side.work.isValid() || !side.logDir.isValid() || !populate(side.work.path()))
        return false;
    side.joblogPath = side.logDir.filePath(QStringLiteral("joblog"));
    const QStringList words =
        prefix + QStringList{QStringLiteral("-k"), QStringLiteral("--joblog"), side.joblogPath} +
        args;
    if (flags & PrintfArgs) {
        // (printf %b's "_" keeps a trailing newline from $(...).)
        side.process.setProgram(QStringLiteral("/bin/sh"));
        side.process.setArguments(
            QStringList{QStringLiteral("-c"),
                        QStringLiteral("for a do shift; b=$(printf '%b_' \"$a\"); "
                                       "set -- \"$@\" \"${b%_}\"; done; exec \"$@\""),
                        QStringLiteral("sh"), program} +
            words);
    } else {
        side.process.setProgram(program);
        side.process.setArguments(words);
    }
    side.process.setWorkingDirectory(side.work.path());
    side.process.setProcessEnvironment(environmentForBoth());
    if (stdinData.isEmpty())
        side.process.setStandardInputFile(QProcess::nullDevice());
    side.process.start();
    if (!side.process.waitForStarted(10000))
        return false;
    if (!stdinData.isEmpty()) {
        side.process.write(stdinData);
        side.process.closeWriteChannel();
    }
    return true;
}

bool finish(Side &side)
{
    if (!side.process.waitForFinished(ProcessTimeoutMs)) {
        side.process.kill();
        side.process.waitForFinished();
        return false;
    }
    side.out = side.process.readAllStandardOutput();
    side.err = side.process.readAllStandardError();
    side.status = side.process.exitStatus() == QProcess::NormalExit
                      ? QStringLiteral("exit %1").arg(side.process.exitCode())
                      : QStringLiteral("crashed (signal %1)").arg(side.process.exitCode());
    return true;
}

struct JobLine
{
    int exitval = 0;
    int signal = 0;
    QString command;       // a NUL in the file stands for a newline
    bool neverRan = false; // Starttime 0: procdeck logs canceled jobs too
};

struct Joblog
{
    QString header;              // empty when the file is missing or empty
    std::map<int, JobLine> jobs; // by Seq
    QStringList badLines;        // lines that do not have the joblog's shape
};

const QString joblogHeader =
    QStringLiteral("Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand");

Joblog readJoblog(const QString &path)
{
    Joblog log;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return log;
    const QByteArray raw = f.readAll();
    if (raw.isEmpty())
        return log;
    const QList<QByteArray> rawLines = raw.split('\n');
    // Seq Host Starttime JobRuntime Send Receive Exitval Signal Command, as
    // GNU parallel writes them (JobRuntime is %10.3f, so left-padded).
    static const QRegularExpression shape(
        QStringLiteral(
            R"(^(\d+)\t:\t(\d+\.\d{3})\t[ ]*\d+\.\d{3}\t\d+\t\d+\t(-?\d+)\t(\d+)\t(.*)$)"),
        QRegularExpression::DotMatchesEverythingOption);
    for (qsizetype i = 0; i < rawLines.size(); ++i) {
        QByteArray line = rawLines.at(i);
        if (i == rawLines.size() - 1 && line.isEmpty())
            break; // after the final newline
        line.replace('\0', '\n');
        const QString text = procdeck::RawText::decode(line); // byte-exact, whatever the bytes
        if (i == 0) {
            log.header = text;
            continue;
        }
        // PCRE refuses lone surrogates: the shape is matched with each
        // escaped byte as U+FFFD (same positions), the command cut from text.
        const QRegularExpressionMatch m = shape.match(procdeck::RawText::forDisplay(text));
        if (!m.hasMatch() || text.section(QLatin1Char('\t'), 3, 3).size() < 10) {
            log.badLines << text;
            continue;
        }
        log.jobs[m.captured(1).toInt()] =
            JobLine{m.captured(3).toInt(), m.captured(4).toInt(), text.mid(m.capturedStart(5)),
                    m.captured(2) == QLatin1String("0.000")};
    }
    return log;
}

// "Seq: Exitval Signal Command", one line per job, by Seq; only the Seqs in
// `only` when it is given.
QString describeJobs(const Joblog &log, const Joblog *only = nullptr)
{
    QString s;
    for (const auto &[seq, job] : log.jobs) {
        if (only && only->jobs.count(seq) == 0)
            continue;
        QString command = job.command;
        command.replace(QLatin1Char('\n'), QStringLiteral("\\n"));
        s += QStringLiteral("%1: exitval=%2 signal=%3 command=[%4]\n")
                 .arg(seq)
                 .arg(job.exitval)
                 .arg(job.signal)
                 .arg(command);
    }
    if (only) {
        for (const auto &[seq, job] : only->jobs) {
            if (log.jobs.count(seq) == 0)
                s += QStringLiteral("%1: missing\n").arg(seq);
        }
    }
    return s;
}

// --files: each line's file name (parallel's td/parXXXXX.par, procdeck's
// td/parXXXXXX.par) replaced by the file's content; a line that names no
// such file stays, and fails the comparison.
QByteArray withFileContents(const Side &side)
{
    static const QRegularExpression name(QStringLiteral("^td/par[A-Za-z0-9_]{5,6}\\.par$"));
    QByteArrayList lines = side.out.split('\n');
    for (QByteArray &line : lines) {
        const qsizetype tab = line.lastIndexOf('\t');
        const QByteArray path = line.mid(tab + 1);
        QFile file(QDir(side.work.path()).filePath(QString::fromUtf8(path)));
        if (path.isEmpty() || !name.match(QString::fromUtf8(path)).hasMatch() ||
            !file.open(QIODevice::ReadOnly))
            continue;
        QByteArray content = file.readAll();
        content.replace('\n', "\\n");
        line = line.left(tab + 1) + "FILE[" + content + "]";
    }
    return lines.join('\n');
}

// CaseJoblog: the joblog file the case named, line by line in its order,
// without the times; "(missing)" when there is none, "(bad header)" when
// its first line is not parallel's header.
QString caseJoblog(const Side &side, const QStringList &args)
{
    const qsizetype at = args.lastIndexOf(QStringLiteral("--joblog"));
    QFile f(QDir(side.work.path()).filePath(args.value(at + 1)));
    if (at < 0 || !f.open(QIODevice::ReadOnly))
        return QStringLiteral("(missing)");
    const QList<QByteArray> lines = f.readAll().split('\n');
    if (QString::fromUtf8(lines.value(0)) != joblogHeader)
        return QStringLiteral("(bad header)");
    QStringList out;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QList<QByteArray> fields = lines.at(i).split('\t');
        if (fields.size() < 9)
            continue;
        QByteArray command = lines.at(i).split('\t').mid(8).join('\t');
        command.replace('\0', "\\0");
        out << QStringLiteral("%1: exitval=%2 signal=%3 command=[%4]")
                   .arg(QString::fromUtf8(fields.at(0)), QString::fromUtf8(fields.at(6)),
                        QString::fromUtf8(fields.at(7)), procdeck::RawText::decode(command));
    }
    return out.join(QLatin1Char('\n'));
}

// --shuf: the lines in sorted order, and the jobs without their Seq.
QString sortedLines(const QByteArray &text)
{
    QStringList lines = procdeck::RawText::decode(text).split(QLatin1Char('\n'));
    lines.sort();
    return lines.join(QLatin1Char('\n'));
}

QString describeUnordered(const Joblog &log)
{
    QStringList jobs;
    QStringList seqs;
    for (const auto &[seq, job] : log.jobs) {
        jobs << QStringLiteral("exitval=%1 signal=%2 command=[%3]")
                    .arg(job.exitval)
                    .arg(job.signal)
                    .arg(job.command);
        seqs << QString::number(seq);
    }
    jobs.sort();
    return QStringLiteral("seqs %1\n").arg(seqs.join(QLatin1Char(' '))) +
           jobs.join(QLatin1Char('\n'));
}

// QCOMPARE on the first line that differs, with its number, so that the
// message shows the mismatch however long the texts are.
void compareByLine(const QString &what, const QString &actual, const QString &expected)
{
    if (actual == expected)
        return;
    const QStringList a = actual.split(QLatin1Char('\n'));
    const QStringList e = expected.split(QLatin1Char('\n'));
    const auto line = [&what](const QStringList &lines, qsizetype i) {
        return QStringLiteral("%1 line %2: %3")
            .arg(what)
            .arg(i + 1)
            .arg(i < lines.size() ? QStringLiteral("[%1]").arg(lines.at(i))
                                  : QStringLiteral("(none)"));
    };
    for (qsizetype i = 0; i < qMax(a.size(), e.size()); ++i) {
        if (a.value(i) != e.value(i) || i >= a.size() || i >= e.size()) {
            QCOMPARE(line(a, i), line(e, i));
            return;
        }
    }
}

// Prints the case's note when it failed.
struct NoteOnFailure
{
    QString note;
    const Side *ref = nullptr;
    const Side *peer = nullptr;
    ~NoteOnFailure()
    {
        if (!QTest::currentTestFailed())
            return;
        if (!note.isEmpty())
            qWarning().noquote() << "note:" << note;
        for (const Side *side : {ref, peer}) {
            if (side && side->process.state() == QProcess::NotRunning)
                qWarning().noquote() << (side == ref ? "parallel" : "procdeck") << side->status
                                     << "stderr:" << QString::fromUtf8(side->err.left(1500));
        }
    }
};

} // namespace

class TestConformance : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cases_data();
    void cases();
    void deliberateDifferences_data();
    void deliberateDifferences();

private:
    void runPeerOnly(const QStringList &args, Side &side);
    QString m_parallel;
    QString m_peer;
};

void TestConformance::initTestCase()
{
    m_parallel = parallelPath();
    m_peer = qEnvironmentVariable("PROCDECK_CONFORMANCE_PEER", QStringLiteral(PROCDECK_BIN));

    // A quick probe so that a missing `procdeck run` fails in seconds, not
    // by each case timing out.
    Side probe;
    QVERIFY2(start(probe, m_peer, {QStringLiteral("run")},
                   {QStringLiteral("echo"), QStringLiteral(":::"), QStringLiteral("a")}, {}),
             qPrintable(m_peer));
    if (!probe.process.waitForFinished(15000)) {
        probe.process.kill();
        probe.process.waitForFinished();
        QFAIL(qPrintable(
            QStringLiteral("`%1 run -k echo ::: a` did not finish in 15 s").arg(m_peer)));
    }
    probe.out = probe.process.readAllStandardOutput();
    probe.err = probe.process.readAllStandardError();
    QVERIFY2(probe.process.exitStatus() == QProcess::NormalExit && probe.process.exitCode() == 0 &&
                 probe.out == "a\n",
             qPrintable(QStringLiteral("`%1 run -k echo ::: a` does not work: exit %2, "
                                       "stdout [%3], stderr [%4]")
                            .arg(m_peer)
                            .arg(probe.process.exitCode())
                            .arg(QString::fromUtf8(probe.out), QString::fromUtf8(probe.err))));
}

void TestConformance::init()
{
    QTest::failOnWarning(QRegularExpression(QStringLiteral("Destroyed while process")));
}

void TestConformance::cases_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("stdinData");
    QTest::addColumn<int>("flags");
    QTest::addColumn<QString>("stderrMentions"); // both stderrs contain it
    QTest::addColumn<QString>("note");

    const auto add = [](const char *name, const QStringList &args, const QByteArray &stdinData = {},
                        int flags = 0, const QString &stderrMentions = {},
                        const QString &note = {}) {
        QTest::newRow(name) << args << stdinData << flags << stderrMentions << note;
    };
    const QString tc = QStringLiteral(TESTCHILD);
    const QStringList tricky = {QStringLiteral("a b"),
                                QStringLiteral("\"q\""),
                                QStringLiteral("it's"),
                                QStringLiteral("x;y"),
                                QStringLiteral("$HOME"),
                                QStringLiteral("*"),
                                QStringLiteral("back\\slash"),
                                QString(),
                                QStringLiteral("h\u00e9llo \u2713"),
                                QStringLiteral("  lead"),
                                QStringLiteral("tab\tin"),
                                QStringLiteral("trail ")};
    const QString printArgs = QStringLiteral("printf '[%s]\\n'");
    const QString jobExit = QStringLiteral("echo job {}; exit {}");
    QStringList upTo100, upTo101;
    for (int i = 1; i <= 101; ++i)
        (i <= 100 ? upTo100 : upTo101) << QString::number(i);
    upTo101 = upTo100 + upTo101;

    // Replacement strings.
    add("replace_braces", {"echo", "{}", ":::", "dir/sub/file.tar.gz", "/abs/p.txt", "plain"});
    add("replace_dot",
        {"echo", "{.}", ":::", "dir/sub/file.tar.gz", "/abs/p.txt", "plain", "a.b/c"}, {}, 0, {},
        "{.} removes the last extension of the basename only: a.b/c stays a.b/c");
    add("replace_dot_hidden_file", {"echo", "[{.}]", "[{/.}]", ":::", ".hidden", "d/.rc"}, {}, 0,
        {}, "parallel treats a leading-dot name as all extension: {.} of .hidden is empty");
    add("replace_basename", {"echo", "{/}", ":::", "dir/sub/file.tar.gz", "/abs/p.txt", "plain"});
    add("replace_dirname", {"echo", "{//}", ":::", "dir/sub/file.tar.gz", "/abs/p.txt", "plain"},
        {}, 0, {}, "{//} of a name without a slash is .");
    add("replace_basename_noext",
        {"echo", "{/.}", ":::", "dir/sub/file.tar.gz", "/abs/p.txt", "plain"});
    add("replace_trailing_slash",
        {"echo", "[{.}]", "[{/}]", "[{//}]", "[{/.}]", ":::", "dir/", "/top"}, {}, 0, {},
        "parallel: dir/ -> {.}=dir/ {/}= (empty) {//}=. {/.}= (empty)");
    add("replace_seq", {"echo", "{#}", "{}", ":::", "a", "b", "c", ":::", "1", "2"});
    add("replace_slot_j1", {"-j1", "echo", "{%}", "{}", ":::", "a", "b", "c"});
    add("replace_positional", {"echo", "{2}", "{1}", ":::", "a", "b", ":::", "c", "d"});
    add("replace_positional_dot_basename",
        {"echo", "{1.}", "{2/}", ":::", "x/a.c", "y.z/b", ":::", "p/q.r", "s"});
    add("replace_positional_dirname_basename_noext",
        {"echo", "{1//}", "{2/.}", ":::", "x/a.c", "b", ":::", "p/q.r.s", "t"});
    add("replace_inside_word", {"echo", "pre{}post", ":::", "a b", "x"});
    add("replace_repeated", {"echo", "{}", "{}", "{#}", ":::", "a"});
    add("replace_plain_braces_literal", {"echo", "{abc}", "{}", "{", "}", ":::", "a"}, {}, 0, {},
        "{abc} is not a replacement string: it stays literal");
    add("no_replacement_one_source", {"echo", "pre", ":::", "a", "b"}, {}, 0, {},
        "no replacement string: the argument is appended");
    add("no_replacement_two_sources", {"echo", "pre", ":::", "a", "b", ":::", "c", "d"}, {}, 0, {},
        "no replacement string: both arguments are appended");

    // Input sources.
    add("source_triple_colon", {"echo", ":::", "a", "b", "c"});
    add("source_argfile", {"echo", "line", "::::", "args.txt"});
    add("source_dash_a", {"-a", "args.txt", "echo", "from-a"});
    add("source_two_dash_a", {"-a", "args.txt", "-a", "paths.txt", "echo"}, {}, 0, {},
        "two -a files: cartesian product, like two ::::");
    add("source_stdin_arguments", {"echo", "pre", "{}", "post"}, "p q\nr\n\ns;t\n", 0, {},
        "one argument per line; an empty line is an empty argument");
    add("source_stdin_commands", {}, "echo one\necho two; echo three\nexit 3\ntrue\n", 0, {},
        "no template: each stdin line is a whole command");
    add("source_two_product", {"echo", ":::", "1", "2", ":::", "a", "b"});
    add("source_three_product", {"echo", ":::", "1", "2", ":::", "a", "b", ":::", "X", "Y"});
    add("source_link_plus", {"echo", ":::", "1", "2", "3", ":::+", "a", "b", "c"});
    add("source_link_option", {"--link", "echo", ":::", "1", "2", "3", ":::", "a", "b", "c"});
    add("source_link_wraps_shorter", {"--link", "echo", ":::", "1", "2", "3", ":::", "a", "b"}, {},
        0, {}, "--link with unequal lengths: the shorter source wraps around (3 a)");
    add("source_mixed_colons", {"echo", ":::", "1", "2", "::::", "args.txt"});
    add("source_mixed_argfile_first", {"echo", "::::", "args.txt", ":::", "1", "2"});

    // Values that need quoting stay one argument each.
    add("quoting_values", QStringList{printArgs, ":::"} + tricky);
    add("quoting_values_argfile", {printArgs, "::::", "tricky.txt"});
    add("quoting_values_stdin", {printArgs},
        "a b\n\"q\"\nit's\nx;y\n$HOME\n*\nback\\slash\n\nh\xc3\xa9llo \xe2\x9c\x93\n");
    add("quoting_values_with_braces", QStringList{"printf '[%s]\\n' {}", ":::"} + tricky);
    add("quoting_values_testchild", QStringList{tc, "echo", "<{}>", "{#}", ":::"} + tricky);

    // Values are bytes: ones that are no UTF-8 (Latin-1 file names, a lone
    // 0xFF, a cut sequence) reach the jobs, the output and the joblog as
    // they came. stdout and the joblog are compared byte for byte.
    const QByteArray latin1 = "caf\xe9.txt\nd\xe9j\xe0/vu.tar.gz\nx\xffy z\n\xe2\x9c\n";
    add("bytes_stdin", {"echo"}, latin1);
    add("bytes_stdin_replacements", {"echo", "{}", "{.}", "{/}", "{//}", "{/.}", "{#}"}, latin1);
    add("bytes_argfile", {"echo", "::::", "latin1.txt"});
    add("bytes_dash_a_testchild", {"-a", "latin1.txt", tc, "echo", "<{}>", "{/.}"}, {}, 0, {},
        "no shell syntax: procdeck runs testchild itself, with the exact bytes as argv");
    add("bytes_shell_pipe", {"echo {} | cat", "::::", "latin1.txt"});
    add("bytes_null_separated", {"-0", "echo", "[{}]"}, QByteArray("caf\xe9\0x\xff\ny\0\xe9", 10));
    add("bytes_dry_run", {"--dry-run", "echo", "{/}", "::::", "latin1.txt"});
    add("bytes_verbose_tag", {"-v", "--tag", "echo", "::::", "latin1.txt"});
    add("bytes_tagstring", {"--tagstring", "<{/.}>", "echo", "::::", "latin1.txt"});
    add("bytes_quote", {"-q", "printf", "%s-", "::::", "latin1.txt"});
    add("bytes_colsep", {"--colsep", ",", "echo", "{2}", "{1}"}, "caf\xe9,x\xff\n\xe9,\xe0\n");
    add("bytes_commands_on_stdin", {}, "echo caf\xe9\nprintf '%s\\n' x\xff\n");
    add("bytes_context_replace_lengths", {"-X", "-s", "40", "echo", "[{}]"},
        latin1 + latin1 + latin1, 0, {},
        "-s counts bytes: an escaped byte is one, as parallel counts it");
    add("bytes_command_line", {"echo", "{}", "{.}", ":::", "x\\0377", "caf\\0351.tar.gz"}, {},
        PrintfArgs);
    add("bytes_command_line_quote", {"-q", "printf", "%s-", ":::", "x\\0377", "\\0351"}, {},
        PrintfArgs);
    add("bytes_command_line_argfile_name", {"echo", "::::", "n\\0351.txt"}, {},
        PrintfArgs | BadInput, "n",
        "a :::: file named by such bytes that is not there: both say so");

    // Shell syntax in the template.
    add("shell_pipeline", {"echo {} | tr a-z A-Z", ":::", "abc", "x y"});
    add("shell_redirect_devnull", {"echo hidden {} > /dev/null", ":::", "a", "b"});
    add("shell_redirect_file", {"echo {} > out{#}.txt && cat out{#}.txt", ":::", "a", "b"});
    add("shell_and", {"test {} = a && echo is-a {}", ":::", "a", "b"});
    add("shell_semicolon", {"echo first {}; echo second", ":::", "a", "b"});
    add("shell_variable", {"echo \"$CONF_VAR\" {}", ":::", "a"});
    add("shell_subshell", {"(echo in {}; exit 3); echo after $?", ":::", "a"});
    add("shell_command_substitution", {"echo $(printf %s {} | wc -c)", ":::", "abc", "x y"});
    add("shell_glob", {"echo g/*.txt {}", ":::", "a"});
    add("shell_newline_in_template", {"echo first\necho {}", ":::", "a"}, {}, 0, {},
        "the joblog writes the newline in Command as a NUL");

    // A value placed inside quotes in the template: the quoting parallel adds
    // shows literally inside double quotes, and $ expansion still happens.
    add("template_double_quoted", {"echo \"{}\"", ":::", "a b", "c", "x*", "$CONF_VAR"}, {}, 0, {},
        "parallel: 'echo \"{}\"' ::: 'a b' prints 'a b' with the single quotes");
    add("template_single_quoted", {"echo '{}'", ":::", "a b", "c"}, {}, 0, {},
        "parallel: ''a b'' -> the shell sees two words a and b");

    // Exit statuses.
    add("exit_all_succeed", {"true", ":::", "1", "2", "3"});
    add("exit_some_fail_count", {"exit {}", ":::", "0", "5", "0", "7"}, {}, 0, {},
        "the exit status is the number of failed jobs (2), not an exit code");
    add("exit_100_failing", QStringList{"-j0", "false", ":::"} + upTo100);
    add("exit_101_failing", QStringList{"-j0", "false", ":::"} + upTo101, {}, 0, {},
        "more than 100 failed jobs: 101");
    // Every job runs under the shell in GNU parallel, and /bin/sh (dash 0.5.12)
    // does not exec the last command: when the command dies of a signal the
    // job's shell exits 128+N, so parallel logs Exitval 128+N and Signal 0.
    // Only a signal that kills the job's shell itself is logged as Signal N
    // (with Exitval 0).
    add("exit_shell_killed_by_signal", {"kill -9 $$", ":::", "a"}, {}, 0, {},
        "the job's own shell is killed: parallel logs Exitval 0, Signal 9; the job counts as "
        "failed (exit status 1)");
    // A plain command that dies of a signal: see deliberateDifferences
    // (procdeck runs it without a shell and sees the signal itself).

    // Retries: only the last attempt's output is printed and logged.
    add("retries_always_failing",
        {"--retries", "3", "echo x >> c{}; wc -l < c{}; exit 2", ":::", "a", "b"}, {}, 0, {},
        "3 attempts each: the last prints 3; one joblog line per job");
    add("retries_flaky_succeeds",
        {"--retries", "3", "echo x >> n{}; n=$(wc -l < n{}); echo run $n; test $n -ge 3",
         ":::", "a"},
        {}, 0, {}, "fails twice, then succeeds: overall success");

    // Timeouts: stdout and exit status; only the joblog lines parallel wrote.
    add("timeout_kills_slow_job",
        {"-j2", "--timeout", "0.5", "sleep {}; echo done {}", ":::", "5", "0"}, {},
        ParallelJobLinesOnly);

    // --halt with -j1 and a deterministic job list.
    add("halt_now_fail1",
        {"-j1", "--halt", "now,fail=1", jobExit, ":::", "0", "0", "3", "0", "4", "0"}, {}, 0, {},
        "exit status is the failing job's exit code (3); jobs 1-3 ran");
    add("halt_soon_fail1",
        {"-j1", "--halt", "soon,fail=1", jobExit, ":::", "0", "0", "3", "0", "4", "0"});
    add("halt_now_success1", {"-j1", "--halt", "now,success=1", jobExit, ":::", "1", "0", "2"}, {},
        0, {}, "halts after job 2 succeeds; exit 0 although job 1 failed");
    add("halt_soon_fail50pct",
        {"-j1", "--halt", "soon,fail=50%", jobExit, ":::", "0", "3", "4", "0"}, {}, 0, {},
        "2 of 4 failed = 50% after job 3: halt; exit status 50 (the percentage)");
    add("halt_soon_fail50pct_not_reached",
        {"-j1", "--halt", "soon,fail=50%", jobExit, ":::", "0", "0", "3", "0", "4", "0"}, {}, 0, {},
        "parallel: 2 of 6 failed never reaches 50%, all run, and the exit status is 34 "
        "(the failed percentage rounded up), not 2");

    // --delay and -j.
    add("delay", {"--delay", "0.1", "echo", ":::", "1", "2", "3"});
    add("jobs_1", {"-j1", "echo", ":::", "1", "2", "3"});
    add("jobs_2", {"-j", "2", "echo", ":::", "1", "2", "3"});
    add("jobs_0", {"-j0", "echo", ":::", "1", "2", "3"});
    add("jobs_100_percent", {"-j", "100%", "echo", ":::", "1", "2", "3"});

    // --tag: the arguments, tab separated, then a tab before each line.
    add("tag_one_source", {"--tag", "echo", ":::", "a", "b c"});
    add("tag_two_sources", {"--tag", "echo {2}; echo second", ":::", "a", "b", ":::", "1", "2"});
    add("tagstring", {"--tagstring", "T{}-{#}", "echo", "x", ":::", "1", "2"});
    add("verbose_tag", {"-v", "--tag", "echo", ":::", "a", "b"}, {}, 0, {},
        "-v --tag tags the command line too");
    add("halt_job_killed_by_signal", {"--halt", "now,fail=1", "kill -9 $$", ":::", "a"}, {}, 0, {},
        "a halt on a job that died of signal 9 exits 128+9 = 137");

    // More output and input options.
    add("verbose", {"-v", "echo", ":::", "a", "b c"}, {}, 0, {},
        "-v prints each command before its output");
    add("ungroup_j1", {"-j1", "-u", "printf a{}; printf b{}", ":::", "1", "2"});
    add("null_separated_stdin", {"-0", "echo", "[{}]"}, QByteArray("a b\0c\nd\0", 9));
    add("replace_string_I", {"-I", "XX", "echo", "XX", "XX.txt", ":::", "a", "b"});
    add("progress_keeps_stdout", {"--progress", "echo", ":::", "a", "b"}, {}, 0, {},
        "--progress writes to stderr only; stdout is the same");

    // --dry-run prints the commands, quoted as they would run, and runs nothing
    // (parallel does not even create the joblog file; only job lines compare).
    add("dry_run", {"--dry-run", "echo {}; exit 3", ":::", "a", "b c", "it's"});

    // Several values a job: -n (appended or in {} and positional {N}), -N
    // (the same, and the word around {} repeated per value), -L (lines, and
    // a line ending in a blank goes on with the next).
    add("max_args_appended", {"-n2", "echo", ":::", "a", "b", "c", "d", "e"});
    add("max_args_positional", {"-n2", "echo", "{2}", "{1}", ":::", "a", "b", "c", "d", "e"}, {}, 0,
        {}, "the last job has no {2}: parallel puts nothing there, not '' (echo  e)");
    add("max_args_braces_in_word", {"-n2", "echo", "pre{}post", ":::", "a b", "c", "d"}, {}, 0, {},
        "-n without context replace: {} is every value, quoted, joined with blanks");
    add("max_args_modifiers", {"-n2", "echo", "{#}", "{.}", "{/}", ":::", "x/a.c", "y/b.d", "z"});
    add("max_args_two_sources", {"-n2", "echo", ":::", "a", "b", ":::", "1", "2"}, {}, 0, {},
        "a value is a tuple: -n2 of two sources is four values, {1}..{4}");
    add("max_args_long_option", {"--max-args", "3", "echo", ":::", "1", "2", "3", "4"});
    add("max_args_long_option_equals", {"--max-args=3", "echo", ":::", "1", "2", "3", "4"});
    add("max_args_quoting", QStringList{"-n3", printArgs, ":::"} + tricky);
    add("max_args_tag", {"-n2", "--tag", "echo", ":::", "a", "b c", "d"});
    add("max_args_tagstring", {"-n2", "--tagstring", "{2}-{1}", "echo", ":::", "a", "b", "c"});
    add("max_args_stdin_commands", {"-n2"}, "echo a\necho b\necho c\n", 0, {},
        "no template: the values of a job, joined, are its command");
    add("max_args_exit_status", {"-n2", "exit {2}", ":::", "0", "3", "0", "4", "5"}, {}, 0, {},
        "jobs exit 3, 4 and 0 (the last has no {2}): 2 failed");
    add("max_replace_args_context", {"-N2", "echo", "{2}-{1}-{}", ":::", "a", "b", "c", "d", "e"},
        {}, 0, {}, "-N repeats the word holding {} for each value: b-a-a b-a-b");
    add("max_replace_args_context_word", {"-N3", "echo", "pre{}post", ":::", "a", "b c", "d"});
    add("max_replace_args_two_sources",
        {"-N2", "echo", "{1}/{2}/{3}/{4}", ":::", "a", "b", ":::", "1", "2"});
    add("max_replace_args_zero", {"-N0", "echo", "x", "{}", ":::", "a", "b"}, {}, 0, {},
        "-N0 reads one value a job and puts none in");
    add("max_replace_args_shell", {"-N2", "echo {1} && echo {2}", ":::", "a", "b c", "d"});
    add("max_lines_continued", {"-L1", "echo"}, "a b\nc \nd\ne\n", 0, {},
        "'c ' ends in a blank: it goes on with the next line ('c d')");
    add("max_lines_positional", {"-L2", "echo", "{2}", "{1}"}, "a b\nc \nd\ne\n");
    add("max_lines_continued_at_end", {"-L1", "echo", "[{}]"}, "c  \nd\t\ne\nf \n");
    add("max_lines_long_option", {"--max-lines=2", "echo"}, "a\nb\nc\n");
    // Stdin is read while the jobs run and built a few hundred values at a
    // time (StreamedJobSource): groups, continued lines and column names
    // must come out the same across those parts as from one whole input.
    {
        QByteArray numbers, continued, table = "name,n\n";
        for (int i = 1; i <= 1000; ++i) {
            numbers += QByteArray::number(i) + '\n';
            // Every 7th line ends in a blank and goes on with the next.
            continued += QByteArray::number(i) + (i % 7 == 0 ? " \n" : "\n");
            table += "row" + QByteArray::number(i) + ',' + QByteArray::number(i * 3) + '\n';
        }
        add("streamed_groups_across_parts", {"-j8", "-n", "3", "echo"}, numbers);
        add("streamed_replace_args_across_parts", {"-j8", "-N", "7", "echo", "{7}-{1}"}, numbers);
        add("streamed_continued_lines_across_parts", {"-j8", "-L", "2", "echo", "[{}]"}, continued);
        add("streamed_header_names_every_part",
            {"-j8", "--colsep", ",", "--header", ":", "echo", "{name}={n}"}, table);
        add("streamed_eof_value_late", {"-j8", "-E", "777", "echo"}, numbers);
        add("streamed_numbers_and_slots", {"-j3", "echo", "{#}"}, numbers);
    }
    add("max_lines_n_wins", {"-L2", "-n1", "echo"}, "a\nb\nc\n", 0, {},
        "-n decides the number of values over -L, whatever their order");
    add("max_lines_from_argfile", {"-L2", "echo", "::::", "args.txt"});

    // As many values a job as fit: -m (in {} or appended), -X (the word
    // around {} repeated for each), -s (the command line's length limit).
    // At the end of the input the values left are spread evenly over the -j
    // job slots, so every case gives -j.
    const QStringList six = {"aaaa", "bbbb", "cccc", "dddd", "eeee", "ffff"};
    add("multiple_args_j1", {"-j1", "-m", "echo", ":::", "1", "2", "3", "4", "5", "6"});
    add("multiple_args_spread_j2", {"-j2", "-m", "echo", ":::", "1", "2", "3", "4", "5", "6", "7"},
        {}, 0, {}, "7 values over 2 slots: 4 and 3");
    add("multiple_args_spread_j3", {"-j3", "-m", "echo", ":::", "1", "2", "3", "4", "5", "6", "7"},
        {}, 0, {}, "7 values over 3 slots: 3, 3 and 1");
    add("multiple_args_in_word", {"-j1", "-m", "echo", "pre{}post", ":::", "a", "b c", "d"});
    add("multiple_args_quoting", QStringList{"-j1", "-m", printArgs, ":::"} + tricky);
    add("multiple_args_stdin", {"-j1", "-m", "echo"}, QByteArray("a\nb c\n\nd\n"));
    add("multiple_args_capped_by_n",
        {"-j2", "-n2", "-m", "echo", ":::", "1", "2", "3", "4", "5", "6"}, {}, 0, {},
        "-n caps -m; the last 2 values are spread over the 2 slots: 2, 2, 1, 1");
    add("context_replace", {"-j1", "-X", "echo", "pre{}post", ":::", "a", "b c", "d"});
    add("context_replace_modifiers",
        {"-j1", "-X", "echo", "{}", "{.}", "x{/}y", ":::", "a/b.c", "d/e.f"});
    add("context_replace_seq_slot", {"-j1", "-X", "echo", "{#}", "{%}", "{}", ":::", "a", "b"}, {},
        0, {}, "{#} and {%} are the job's, not repeated");
    add("context_replace_two_sources",
        {"-j1", "-X", "echo", "{}x", ":::", "a", "b", ":::", "1", "2"});
    add("context_replace_shell", {"-j1", "-X", "echo x{}y; echo {}", ":::", "a", "b c"}, {}, 0, {},
        "the context is the text up to blanks: x{}y; is repeated with its semicolon");
    add("context_replace_spread",
        QStringList{"-j2", "-X", "-s", "30", "echo", "pre{}", ":::"} + six);
    add("max_chars_m", QStringList{"-j1", "-m", "-s", "20", "echo", ":::"} + six, {}, 0, {},
        "echo aaaa bbbb cccc is 19 bytes: shorter than 20");
    add("max_chars_m_one_less", QStringList{"-j1", "-m", "-s", "19", "echo", ":::"} + six);
    add("max_chars_long_option", QStringList{"-j1", "-m", "--max-chars=20", "echo", ":::"} + six);
    add("max_chars_X", QStringList{"-j1", "-X", "-s", "30", "echo", "pre{}", ":::"} + six);
    add("max_replace_args_with_m", {"-j1", "-N2", "-m", "echo", "{}x", ":::", "a", "b", "c"}, {}, 0,
        {}, "-N keeps context replace with -m");
    add("max_lines_with_m", {"-j1", "-L2", "-m", "echo", "{}x", ":::", "a", "b", "c"}, {}, 0, {},
        "-L loses context replace with -m");

    // Columns: --colsep splits each value at a regular expression (and trims
    // the columns); --header's first line names them ({name}), numbered on
    // from one source to the next.
    add("colsep_positional", {"--colsep", ",", "echo", "{2}", "{1}", ":::", "a,b", "c,d"});
    add("colsep_appended", {"--colsep", ",", "echo", ":::", "a,b", "c,d,e", "f"});
    add("colsep_missing_column", {"--colsep", ",", "echo", "[{3}]", ":::", "a,b", "c,d,e"}, {}, 0,
        {}, "a line without a third column gets nothing for {3}, not ''");
    add("colsep_regex", {"--colsep", "[,;]+", "echo", "{2}", ":::", "a,;b", "c;d"});
    add("colsep_trims", {"--colsep", ",", "echo", "[{2}]", ":::", "a, b ,c", " x , y"}, {}, 0, {},
        "--colsep implies --trim lr: blanks go from both ends of each column");
    add("colsep_empty_columns", {"--colsep", ",", "echo", "{1}-{2}-{3}-{4}-x", ":::", "a,b,,"}, {},
        0, {}, "trailing empty columns count, as empty values ('')");
    add("colsep_empty_line", {"--colsep", ",", "echo", "{1}x{2}"}, "a,b\n\nc\n");
    add("colsep_two_sources",
        {"--colsep", ",", "echo", "{1}", "{2}", "{3}", "{4}", ":::", "a,b", "c,d", ":::", "x,y",
         "z,w"},
        {}, 0, {}, "each source's columns, one after the other");
    add("colsep_tab_stdin", {"--colsep", "\\t", "echo", "{2}"}, "a\tb\nc\td\n");
    add("colsep_argfile", {"--colsep", ",", "echo", "{2}-{1}", "::::", "table.csv"});
    add("colsep_tag", {"--colsep", ",", "--tag", "echo", "x", ":::", "a,b"});
    add("colsep_with_max_replace_args",
        {"--colsep", ",", "-N2", "echo", "{1}", "{2}", "{3}", "{4}"}, "a,b\nc,d\ne,f\n");
    add("colsep_context_replace",
        {"-j1", "--colsep", ",", "-X", "echo", "x{}y", ":::", "a,b", "c"});
    add("header_colsep_names",
        {"--colsep", ",", "--header", ":", "echo", "{size}", "{name}", "{1}", "::::", "table.csv"});
    add("header_modifiers", {"--colsep", ",", "--header", ":", "echo", "{f.}", "{d/}", "{d//}"},
        "d,f\nx/y,a.b\n");
    add("header_sources",
        {"--header", ":", "echo", "{a}", "{b}", ":::", "a", "1", "2", ":::", "b", "x", "y"}, {}, 0,
        {}, "the first value of each ::: source names it");
    add("header_splits_at_tabs",
        {"--header", ":", "echo", "{a}", "{b}", ":::", "a", "1,2", ":::", "b", "x y", "p\tq"}, {},
        0, {}, "--header alone splits values at tabs (and does not trim)");
    add("header_stdin", {"--header", ":", "echo", "{n}"}, "n\na\nb\n");
    add("header_regex_takes_one_line", {"--colsep", ",", "--header", "(#.*\\n)+", "echo", "{1}"},
        "#x\n#y\na,b\n", 0, {}, "without --pipe, any --header but 0 takes the first line only");
    add("header_zero", {"--header", "0", "echo", "{2}"}, "a\tb\n", 0, {},
        "--header 0: no header, but values split at tabs");
    add("header_unknown_name_literal", {"--header", ":", "echo", "{b}"}, "a\n1\n");
    add("header_tagstring",
        {"--colsep", ",", "--header", ":", "--tagstring", "{h2}", "echo", "{h1}"}, "h1,h2\na,b\n");

    // -q: each command word is one argument as it stands, its replacement
    // strings filled in; nothing in it is shell syntax. The joblog shows each
    // word quoted as a whole.
    add("quote_shell_syntax_literal", {"-q", "echo", "a;b", "{}", ":::", "x", "y z"});
    add("quote_value_inside_word", {"-q", "echo", "a {} b", ":::", "x", "y z", "it's", "a$b"}, {},
        0, {}, "the value goes into the word as it is; the whole word is quoted: 'a y z b'");
    add("quote_specials", {"-q", "echo", "$HOME", "*", "a  b", "|", ">", "x", ":::", "a;b"});
    add("quote_empty_word", {"-q", "echo", "", "x", ":::", "a"});
    add("quote_script_word", {"-q", "sh", "-c", "echo \"[$1]\" {}", "sh", "{}", ":::", "a b", "x"},
        {}, 0, {}, "the value is raw text inside the script: echo \"[$1]\" a b");
    add("quote_two_sources", {"-q", "printf", "[%s]\\n", "{}", "a{}", ":::", "a", ":::", "b c"}, {},
        0, {}, "{} of two values splits its word between them: a{} -> 'aa' 'b c'");
    add("quote_tricky_values", QStringList{"-q", "printf", "[%s]\\n", "<{}>", ":::"} + tricky);
    add("quote_max_args", {"-q", "-n2", "echo", "{2}", "x{2}", ":::", "a", "b", "c"}, {}, 0, {},
        "-q: a job's missing {2} is an empty argument ''");
    add("quote_max_replace_args", {"-q", "-N2", "echo", "x{}", ":::", "1", "2", "3"});
    add("quote_long_option", {"--quote", "echo", "a b", ":::", "1"});
    add("quote_replace_string_I", {"-q", "-I", "XX", "echo", "a XX", ":::", "p"});
    add("quote_header", {"-q", "--header", ":", "echo", "{h} x"}, "h\nv\n");
    add("quote_builtin", {"-q", "cd", "{}", ":::", "/", "/tmp"});
    add("quote_program_from_value", {"-q", "{}", "x", ":::", "echo"});
    add("quote_seq_slot", {"-j1", "-q", "echo", "{#}", "x{%}", ":::", "a", "b"});

    // -E: each input source ends before its end-of-file value.
    add("eof_stdin", {"-E", "END", "echo"}, "a\nEND\nb\n");
    add("eof_triple_colon", {"-E", "END", "echo", ":::", "a", "END", "b"});
    add("eof_each_source", {"-E", "END", "echo", ":::", "a", "END", "b", ":::", "x", "END", "y"},
        {}, 0, {}, "each source stops at its own END");
    add("eof_argfile_others_untouched", {"-E", "END", "echo", "::::", "eof.txt", ":::", "1", "2"});
    add("eof_exact_match", {"-E", "END", "echo"}, "a\nEND \nxEND\nb\n", 0, {},
        "only a value that is END exactly ends the input");
    add("eof_first_value", {"-E", "END", "echo"}, "END\nb\n", 0, {}, "nothing to run: exit 0");
    add("eof_empty_means_none", {"-E", "", "echo", "[{}]"}, "a\n\nb\n");
    add("eof_long_option", {"--eof", "END", "echo"}, "a\nEND\nb\n");
    add("eof_long_option_equals", {"--eof=END", "echo"}, "a\nEND\nb\n");
    add("eof_attached", {"-EEND", "echo"}, "a\nEND\nb\n");
    add("eof_after_header", {"--header", ":", "-E", "END", "echo", "{h}"}, "h\na\nEND\nb\n");
    add("eof_colsep", {"--colsep", ",", "-E", "END", "echo", "{2}"}, "a,b\nEND\nc,d\n", 0, {},
        "the whole line is compared, before it is split");
    add("eof_null_separated", {"-0", "-E", "END", "echo"}, QByteArray("a\0END\0b\0", 8));
    add("eof_continued_line", {"-L1", "-E", "END", "echo", "[{}]"}, "a \nEND\nb\n", 0, {},
        "the line going on when END comes is a value as it is");

    // --shuf: the jobs in a random order, numbered in that order.
    QStringList upTo20;
    for (int i = 1; i <= 20; ++i)
        upTo20 << QString::number(i);
    add("shuf_values", QStringList{"--shuf", "echo", ":::"} + upTo20, {}, Shuffled);
    add("shuf_product", {"--shuf", "echo", ":::", "a", "b", "c", ":::", "1", "2"}, {}, Shuffled);
    add("shuf_exit_status", {"--shuf", "exit {}", ":::", "0", "1", "2", "0"}, {}, Shuffled, {},
        "2 failed, whatever the order");
    add("shuf_seq", QStringList{"-j1", "--shuf", "echo {#}", ":::"} + upTo20, {}, 0, {},
        "{#} counts the jobs in the order they run: 1..20 either way");
    add("shuf_colsep", {"--shuf", "--colsep", ",", "echo", "{2}", ":::", "a,1", "b,2", "c,3"}, {},
        Shuffled);

    // --files: each job's output in a file in --tmpdir, its name printed;
    // --tmpdir is also the jobs' $TMPDIR; --nice sets the jobs' niceness;
    // --env changes nothing here (the jobs get the whole environment).
    add("files_output", {"--files", "--tmpdir", "td", "echo out {}; exit {}", ":::", "0", "3"}, {},
        FilesOutput);
    add("files_tag", {"--files", "--tmpdir", "td", "--tag", "echo l1; echo l2", ":::", "a", "b"},
        {}, FilesOutput, {}, "the tag goes before the file's name, not into the file");
    add("files_verbose", {"-v", "--files", "--tmpdir", "td", "echo", ":::", "x", "y z"}, {},
        FilesOutput, {}, "-v writes the command into the file, before the output");
    add("files_empty_output", {"--files", "--tmpdir", "td", "true", ":::", "a"}, {}, FilesOutput);
    add("files_many_lines", {"--files", "--tmpdir", "td", "seq 1 {}", ":::", "3", "1000"}, {},
        FilesOutput);
    add("tmpdir_is_jobs_tmpdir", {"--tmpdir", "td", "echo $TMPDIR {}", ":::", "a"});
    add("tempdir_alias", {"--tempdir=td", "echo $TMPDIR {}", ":::", "a"});
    add("nice", {"--nice", "5", "cut -d' ' -f19 /proc/self/stat # {}", ":::", "a", "b"}, {}, 0, {},
        "the jobs' own niceness is 5 (not added to parallel's or procdeck's)");
    add("nice_equals", {"--nice=7", "awk '{print $19}' /proc/self/stat # {}", ":::", "a"});
    add("env_var", {"--env", "CONF_VAR", "echo \"[$CONF_VAR]\" {}", ":::", "a"});
    add("env_list",
        {"--env", "CONF_VAR,HOME", "--env", "PATH", "echo \"[$CONF_VAR]\" {}", ":::", "a"});
    add("env_unset_var",
        {"--env", "PROCDECK_NOT_SET", "echo \"[$PROCDECK_NOT_SET]\" {}", ":::", "a"});

    // --resume, --resume-failed, --retry-failed read an earlier run's joblog
    // (fixtures: resume.log has Seq 1 ok, 2 failed, 4 ok, 5 killed) and add
    // to it; Seq is a job's place in the input.
    const QStringList oneToSix = {":::", "1", "2", "3", "4", "5", "6"};
    add("resume", QStringList{"-j1", "--joblog", "resume.log", "--resume", "echo"} + oneToSix, {},
        CaseJoblog, {}, "every Seq in the joblog is done: 3 and 6 run");
    add("resume_failed",
        QStringList{"-j1", "--joblog", "resume.log", "--resume-failed", "echo"} + oneToSix, {},
        CaseJoblog, {}, "the failed (2) and killed (5) jobs run again, with 3 and 6");
    add("resume_failed_exit_status",
        {"-j1", "--joblog", "resume.log", "--resume-failed", "echo {}; exit {}", ":::", "0", "1",
         "0", "0", "2"},
        {}, CaseJoblog, {}, "the exit status counts this run's failures only (2)");
    add("resume_failed_success_once",
        {"-j1", "--joblog", "twice.log", "--resume-failed", "echo", ":::", "a", "b", "c"}, {},
        CaseJoblog, {}, "a Seq that succeeded once is done, whatever came after");
    add("resume_max_args",
        {"-j1", "-n2", "--joblog", "resume.log", "--resume", "echo", ":::", "1", "2", "3", "4", "5",
         "6", "7", "8", "9", "10", "11", "12"},
        {}, CaseJoblog, {}, "Seq counts jobs, not values: jobs 3 and 6 run");
    add("resume_missing_joblog",
        {"-j1", "--joblog", "new.log", "--resume", "echo", ":::", "a", "b"}, {}, CaseJoblog, {},
        "no joblog yet: everything runs, and it is made with its header");
    add("retry_failed", {"-j1", "--joblog", "retry.log", "--retry-failed"}, {}, CaseJoblog, {},
        "the failed Seqs' last commands run again; a multi-line one too");
    add("retry_failed_ignores_command_line",
        {"-j1", "--joblog", "retry.log", "--retry-failed", "echo", "other", ":::", "x"}, {},
        CaseJoblog);

    // --pipe: stdin cut into blocks, each one job's stdin (GNU parallel
    // 20221122's rounds: each reads up to the next multiple of --block and
    // is cut at its last record boundary).
    QByteArray seq10, seq20, seq2000, seq10500, seq100000, seq300000, binary;
    for (int i = 1; i <= 300000; ++i) {
        const QByteArray line = QByteArray::number(i) + '\n';
        if (i <= 10)
            seq10 += line;
        if (i <= 20)
            seq20 += line;
        if (i <= 2000)
            seq2000 += line;
        if (i <= 10500)
            seq10500 += line;
        if (i <= 100000)
            seq100000 += line;
        seq300000 += line;
    }
    for (int i = 0; i < 5000; ++i)
        binary += char((i * 7919) % 256);
    const QByteArray fasta = ">a\n1\n>b\n2\n>c\n3\n";
    const QString blockCat = QStringLiteral("echo ==; cat");
    add("pipe_block_10k", {"--pipe", "--block", "10k", "wc", "-l"}, seq100000, 0, {},
        "k is 1000 in parallel: 2221 lines, then 2000 a block");
    add("pipe_block_10K", {"--pipe", "--block", "10K", "wc", "-l"}, seq100000, 0, {}, "K is 1024");
    add("pipe_block_default_1M", {"--pipe", "md5sum"}, seq300000);
    add("pipe_spreadstdin", {"--spreadstdin", "--block", "1k", "md5sum"}, seq2000);
    add("pipe_block_equals", {"--pipe", "--block=3k", "wc", "-c"}, seq2000);
    add("pipe_block_size_alias", {"--pipe", "--block-size", "2k", "wc", "-c"}, seq2000);
    add("pipe_blocksize_alias", {"--pipe", "--blocksize", "2Ki", "wc", "-c"}, seq2000);
    add("pipe_block_decimal", {"--pipe", "--block", "1.5k", "wc", "-c"}, seq2000);
    add("pipe_block_100k_md5sum", {"--pipe", "--block", "100k", "md5sum"}, seq100000);
    add("pipe_cat_round_trip", {"--pipe", "--block", "777", "cat"}, seq2000);
    add("pipe_binary_md5sum", {"--pipe", "--block", "300", "md5sum"}, binary, 0, {},
        "bytes of every value; blocks end at a 0x0a byte");
    add("pipe_j1", {"-j1", "--pipe", "--block", "2k", "md5sum"}, seq10500);
    add("pipe_N3", {"--pipe", "-N3", blockCat}, seq10);
    add("pipe_n3", {"--pipe", "-n", "3", blockCat}, seq10, 0, {}, "-n is -N under --pipe");
    add("pipe_N1000", {"--pipe", "-N", "1000", "wc", "-l"}, seq10500);
    add("pipe_N1_leading_empty_line", {"--pipe", "-N1", blockCat}, "\n\na\n", 0, {},
        "parallel looks for the Nth record end from the second byte on: \\n\\n is one block");
    add("pipe_L3", {"--pipe", "-L", "3", "--block", "7", blockCat}, seq10, 0, {},
        "-L under --pipe: a block holds a multiple of 3 lines");
    add("pipe_empty_input", {"--pipe", "wc", "-l"}, {}, 0, {}, "no input: no job");
    add("pipe_no_final_newline", {"--pipe", "echo ==; cat; echo"}, "a\nb");
    add("pipe_last_round_exactly_full", {"--pipe", "--block", "3", "echo ==; cat; echo"}, "a\nb\nc",
        0, {}, "a\\n, b\\n, c: the round that read the last byte still cuts");
    add("pipe_record_longer_than_block", {"--pipe", "--block", "3", blockCat}, "aaaaaaaaaa\nb\n", 0,
        "Increasing to --blocksize 12",
        "the block grows by 30% + 1 a round until the record fits, with a warning each time");
    add("pipe_recstart_N1", {"--pipe", "--recstart", ">", "-N1", blockCat}, fasta);
    add("pipe_recstart_block", {"--pipe", "--recstart", ">", "--block", "6", blockCat}, fasta);
    add("pipe_recstart_only_at_start", {"--pipe", "--recstart", ">", "--block", "3", blockCat},
        ">aaaa\n>b\n");
    add("pipe_recend_comma", {"--pipe", "--recend", ",", "--block", "3", "echo ==; cat; echo"},
        "a,b,c,d,e,");
    add("pipe_recend_recstart_N1",
        {"--pipe", "--recend", ";\\n", "--recstart", ">", "-N1", blockCat}, "a;\n>b;\nc;\n>d;\n", 0,
        {}, "a record boundary is ;\\n followed by >");
    add("pipe_recend_recstart_block",
        {"--pipe", "--recend", ";\\n", "--recstart", ">", "--block", "5", blockCat},
        "a;\n>b;\nc;\n>d;\n");
    add("pipe_recend_escaped_newline", {"--pipe", "--recend", "\\n", "--block", "8", blockCat},
        seq20);
    add("pipe_recend_tab", {"--pipe", "--recend", "\\t", "--block", "3", "echo ==; cat; echo"},
        "a\tbb\tc\td\t");
    add("pipe_recend_empty", {"--pipe", "--recend", "", "--block", "4", "echo ==; cat; echo"},
        "abcdefghij", 0, {}, "no record separator: every round is a block");
    add("pipe_recend_empty_N2", {"--pipe", "--recend", "", "-N2", "echo ==; cat; echo"}, "abcde");
    add("pipe_regexp_recend",
        {"--pipe", "--regexp", "--recend", "[05]\\n", "--block", "8", blockCat}, seq20);
    add("pipe_regexp_recstart",
        {"--pipe", "--regexp", "--recstart", ">[bc]", "--block", "8", blockCat}, fasta);
    add("pipe_replacement_strings", {"--pipe", "--block", "5", "echo {#} [{}]; wc -l"}, seq10, 0,
        {}, "{} is empty, {#} the block's number");
    add("pipe_exit_status", {"--pipe", "--block", "5", "wc -l; exit 1"}, seq10, 0, {},
        "5 blocks, 5 failed jobs: exit 5");
    add("pipe_retries", {"--pipe", "--retries", "2", "--block", "5", "echo ==; cat; exit 1"}, seq10,
        0, {}, "a retry reads the same block again");
    add("pipe_halt", {"-j1", "--pipe", "--halt", "now,fail=1", "--block", "5", "cat; exit 1"},
        seq10);
    add("pipe_verbose", {"-v", "--pipe", "--block", "5", "wc", "-l"}, seq10);
    add("pipe_tag", {"--tag", "--pipe", "--block", "5", "wc", "-l"}, seq10, 0, {},
        "the tag is the job's values: none");
    add("pipe_dry_run", {"--dry-run", "--pipe", "--block", "5", "wc", "-l"}, seq10, 0, {},
        "one command a block, nothing run");
    add("pipe_with_load", {"--pipe", "--load", "100", "--block", "5", "wc", "-l"}, seq10);

    // --load and --memfree: limits no test machine reaches, so every job
    // runs.
    add("load_100", {"--load", "100", "echo", ":::", "a", "b"});
    add("load_equals", {"--load=100", "echo", ":::", "a", "b"});
    add("load_percent", {"--load", "1000%", "echo", ":::", "a", "b"}, {}, 0, {}, "N% of the cores");
    add("load_plus_cores", {"--load", "+20", "echo", ":::", "a", "b"});
    add("load_decimal", {"--load", "99.5", "echo", ":::", "a"});
    add("load_zero_is_no_limit", {"--load", "0", "echo", ":::", "a", "b"}, {}, 0, {},
        "0 is false in Perl: no limit");
    add("memfree_1k", {"--memfree", "1k", "echo", ":::", "a", "b"});
    add("memfree_equals_1M", {"--memfree=1M", "echo", ":::", "a", "b"});
    add("memfree_and_load", {"--memfree", "10K", "--load", "100", "echo", ":::", "a", "b"});

    // Bad input.
    add("bad_resume_failed_joblog", {"--joblog", "bad.log", "--resume-failed", "echo", ":::", "a"},
        {}, BadInput, "bad.log", "parallel: Format of 'bad.log' is wrong (exit 255)");
    add("bad_tmpdir_missing", {"--tmpdir", "nosuchdir", "echo", ":::", "a"}, {}, BadInput, {},
        "parallel dies making its first temporary file (exit 2)");
    add("bad_env_underscore", {"--env", "_", "echo", ":::", "a"}, {}, BadInput, {},
        "parallel: --env _ needs --record-env first (exit 255)");
    add("bad_colsep_regex", {"--colsep", "(", "echo", ":::", "a"}, {}, BadInput, {},
        "parallel: Perl dies on the regular expression (exit 25)");
    add("bad_unbalanced_quote", {"echo 'abc", ":::", "x"}, {}, BadInput, {},
        "parallel runs it: /bin/sh reports the syntax error, the job exits 2 and parallel 1; "
        "procdeck may refuse it up front (255), so only non-zero is compared");
    add("bad_missing_argfile", {"echo", "::::", "nosuchfile"}, {}, BadInput, "nosuchfile");
    add("bad_missing_dash_a_file", {"-a", "nosuchfile", "echo"}, {}, BadInput, "nosuchfile");
    add("bad_pipe_block_word", {"--pipe", "--block", "x", "wc", "-l"}, "a\n", BadInput, {},
        "parallel: Perl dies on the size (exit 255)");
    add("bad_pipe_block_negative", {"--pipe", "--block", "-5", "wc", "-l"}, "a\n", BadInput, {},
        "parallel: Perl dies on the size (exit 255)");
    add("bad_pipe_without_command", {"--pipe"}, "a\n", BadInput, {},
        "parallel: --pipe/--pipepart must have a command to pipe into (exit 255)");
    add("bad_load_word", {"--load", "x", "echo", ":::", "a"}, {}, BadInput, {},
        "parallel: Parsing of --load failed (exit 255; usage on stdout)");
    add("bad_load_suffix", {"--load", "1.5x", "echo", ":::", "a"}, {}, BadInput);
    add("bad_jobs_not_a_number", {"-j", "abc", "echo", ":::", "a"}, {}, BadInput, {},
        "parallel prints its usage text to stdout here; stdout is not compared");
}

void TestConformance::cases()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, stdinData);
    QFETCH(int, flags);
    QFETCH(QString, stderrMentions);
    QFETCH(QString, note);

    if (m_parallel.isEmpty()) {
        if (qEnvironmentVariableIsSet("CI"))
            QFAIL("GNU parallel is not installed (CI is set): it is the reference");
        QSKIP("GNU parallel is not installed: no reference to compare with");
    }

    // Both at once: the cases are independent of each other's timing.
    Side ref;
    Side peer;
    const NoteOnFailure onFailure{note, &ref, &peer};
    QVERIFY(start(ref, m_parallel, {QStringLiteral("--will-cite")}, args, stdinData, flags));
    QVERIFY(start(peer, m_peer, {QStringLiteral("run")}, args, stdinData, flags));
    const bool refFinished = finish(ref);
    const bool peerFinished = finish(peer);
    QVERIFY2(refFinished, "parallel did not finish in 60 s");
    QVERIFY2(peerFinished, "procdeck run did not finish in 60 s");

    if (flags & FilesOutput) {
        ref.out = withFileContents(ref);
        peer.out = withFileContents(peer);
    }
    const Joblog refLog = readJoblog(ref.joblogPath);
    Joblog peerLog = readJoblog(peer.joblogPath);
    // procdeck also logs the jobs a --halt canceled before they started
    // (Exitval -1, Starttime 0); parallel leaves them out. Each must be one
    // parallel did not run either; then they are set aside.
    for (auto it = peerLog.jobs.begin(); it != peerLog.jobs.end();) {
        if (it->second.neverRan) {
            QVERIFY2(
                refLog.jobs.count(it->first) == 0,
                qPrintable(
                    QStringLiteral("procdeck canceled job %1, parallel ran it").arg(it->first)));
            QCOMPARE(it->second.exitval, -1);
            it = peerLog.jobs.erase(it);
        } else {
            ++it;
        }
    }
    const QString refErr = QString::fromUtf8(ref.err);
    const QString peerErr = QString::fromUtf8(peer.err);

    if (flags & BadInput) {
        QVERIFY2(ref.status != QLatin1String("exit 0"), qPrintable(ref.status));
        QVERIFY2(peer.status != QLatin1String("exit 0"),
                 qPrintable(QStringLiteral("procdeck: %1, stdout [%2]")
                                .arg(peer.status, QString::fromUtf8(peer.out))));
        QVERIFY2(!ref.err.isEmpty(), "parallel wrote nothing to stderr");
        QVERIFY2(!peer.err.isEmpty(), "procdeck wrote nothing to stderr");
        if (ref.status == QLatin1String("exit 255")) {
            QCOMPARE(peer.status, ref.status);
            compareByLine(QStringLiteral("joblog"), describeJobs(peerLog), describeJobs(refLog));
            if (QTest::currentTestFailed())
                return;
        }
    } else if (flags & Shuffled) {
        compareByLine(QStringLiteral("sorted stdout"), sortedLines(peer.out), sortedLines(ref.out));
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(peer.status, ref.status);
        compareByLine(QStringLiteral("joblog in any order"), describeUnordered(peerLog),
                      describeUnordered(refLog));
        if (QTest::currentTestFailed())
            return;
    } else {
        compareByLine(QStringLiteral("stdout"), procdeck::RawText::decode(peer.out),
                      procdeck::RawText::decode(ref.out));
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(peer.status, ref.status);
        compareByLine(QStringLiteral("joblog"),
                      describeJobs(peerLog, flags & ParallelJobLinesOnly ? &refLog : nullptr),
                      describeJobs(refLog));
        if (QTest::currentTestFailed())
            return;
    }
    if (flags & CaseJoblog) {
        compareByLine(QStringLiteral("the case's joblog"), caseJoblog(peer, args),
                      caseJoblog(ref, args));
        if (QTest::currentTestFailed())
            return;
    }
    if (!stderrMentions.isEmpty()) {
        QVERIFY2(refErr.contains(stderrMentions), qPrintable(refErr));
        QVERIFY2(peerErr.contains(stderrMentions), qPrintable(peerErr));
    }
    // The joblog's shape: parallel's header, and lines --resume-failed accepts.
    for (const Joblog *log : {&refLog, static_cast<const Joblog *>(&peerLog)}) {
        const char *who = log == &refLog ? "parallel" : "procdeck";
        if (!log->header.isEmpty())
            QVERIFY2(log->header == joblogHeader,
                     qPrintable(QStringLiteral("%1 joblog header: [%2]").arg(who, log->header)));
        QVERIFY2(log->badLines.isEmpty(),
                 qPrintable(QStringLiteral("%1 joblog lines of the wrong shape: [%2]")
                                .arg(who, log->badLines.join(QStringLiteral("] [")))));
        if (!log->jobs.empty())
            QVERIFY2(log->header == joblogHeader,
                     qPrintable(QStringLiteral("%1 joblog has jobs but no header").arg(who)));
    }
}

void TestConformance::runPeerOnly(const QStringList &args, Side &side)
{
    QVERIFY(start(side, m_peer, {QStringLiteral("run")}, args, {}));
    QVERIFY2(finish(side), "procdeck run did not finish in 60 s");
}

// Deliberate differences: procdeck alone, checked against procdeck's own
// rules. Each row says how GNU parallel 20221122 behaves instead.
void TestConformance::deliberateDifferences_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("expectedStdout");
    QTest::addColumn<QString>("expectedStatus");
    QTest::addColumn<QString>("stderrMentions");
    QTest::addColumn<QString>("expectedJobs"); // "Seq:Exitval:Signal ..." by Seq; "" = none

    // parallel: `echo {3} ::: a ::: b` silently substitutes an empty string
    // and runs `echo ` (prints an empty line, exit 0). procdeck: a positional
    // replacement string beyond the number of input sources is a mistake in
    // the command line, so it runs nothing and names it.
    QTest::newRow("positional_beyond_sources")
        << QStringList{"echo", "{3}", ":::", "a", ":::", "b"} << QByteArray() << "exit 255"
        << "{3}"
        << "";
    // parallel: `{..}` is passed through literally (prints "{.." "}" as
    // "{..} a"). procdeck: a brace word of replacement-string shape that is
    // not a known one is an error.
    QTest::newRow("unknown_replacement_dotdot")
        << QStringList{"echo", "{..}", ":::", "a"} << QByteArray() << "exit 255"
        << "{..}"
        << "";
    // parallel: `{1#}` is replaced by an empty string (measured: `echo {1#}
    // ::: a` runs `echo ` and prints an empty line). procdeck: an error.
    QTest::newRow("unknown_replacement_positional_hash")
        << QStringList{"echo", "{1#}", ":::", "a"} << QByteArray() << "exit 255"
        << "{1#}"
        << "";
    // parallel: a positional replacement string no job can fill is replaced
    // by nothing (`-n2 echo {3}` runs `echo ` for every job). procdeck: a
    // mistake in the command line, named before anything runs.
    QTest::newRow("max_args_positional_beyond")
        << QStringList{"-n2", "echo", "{3}", ":::", "a", "b", "c"} << QByteArray() << "exit 255"
        << "no job has more than 2 (-n 2)"
        << "";
    // parallel reads `-n 2x` as -n 2 and `-n x` as no limit. procdeck: a
    // count that is not a whole number is refused.
    QTest::newRow("max_args_not_a_number")
        << QStringList{"-n", "x", "echo", ":::", "a"} << QByteArray() << "exit 255"
        << "-n: \"x\" is not a whole number"
        << "";
    // parallel --retry-failed runs an empty command for a Seq the joblog
    // lacks below its highest one (hole.log has 1 and 3: it runs 1, 2 and 3).
    // procdeck runs only the failed ones.
    QTest::newRow("retry_failed_skips_unlogged_seqs")
        << QStringList{"-j1", "--joblog", "hole.log", "--retry-failed"} << QByteArray("a\nc\n")
        << "exit 0"
        << ""
        << "";
    // procdeck logs a job a --halt canceled before it started (Starttime 0,
    // Exitval -1); --resume reads such a line as parallel reads its own
    // joblog, which leaves the job out: it runs.
    QTest::newRow("resume_runs_canceled_jobs")
        << QStringList{"-j1", "--joblog", "canceled.log", "--resume", "echo", ":::", "1", "2"}
        << QByteArray("2\n") << "exit 0"
        << ""
        << "";
    // parallel: --files with -u prints the output as it comes and writes no
    // file. procdeck refuses the combination.
    QTest::newRow("files_with_ungroup")
        << QStringList{"--files", "-u", "echo", ":::", "a"} << QByteArray() << "exit 255"
        << "--files cannot be combined with -u"
        << "";
    // parallel: -q with -m or -X fills command lines by an estimate of the
    // quoted length. procdeck refuses the combination, with a message.
    QTest::newRow("quote_with_multiple_args")
        << QStringList{"-q", "-m", "echo", "x{}", ":::", "1", "2"} << QByteArray() << "exit 255"
        << "-q cannot be combined with -m"
        << "";
    // parallel: a column no line has is replaced by nothing (`--colsep ,
    // echo {3} ::: a,b` runs `echo `). procdeck: the same error as a
    // positional beyond the input sources.
    QTest::newRow("colsep_positional_beyond")
        << QStringList{"--colsep", ",", "echo", "{3}", ":::", "a,b", "c"} << QByteArray()
        << "exit 255"
        << "no job has more than 2 (--colsep ,)"
        << "";
    // parallel: with -m or -X a positional replacement string takes that many
    // values and drops the rest (`-X echo {1}x ::: a b c` runs `echo ax`
    // only). procdeck: an error, since a job's number of values varies.
    QTest::newRow("multiple_args_positional")
        << QStringList{"-j1", "-X", "echo", "{1}x", ":::", "a", "b", "c"} << QByteArray()
        << "exit 255"
        << "positional replacement string has no fixed meaning"
        << "";
    // parallel runs the jobs before the value that does not fit in -s, then
    // stops (exit 255). procdeck builds every job first, so it stops before
    // running any.
    QTest::newRow("max_chars_value_too_long")
        << QStringList{"-j1", "-m", "-s", "10", "echo", ":::", "a", "aaaaaaaaaaaaaaa"}
        << QByteArray() << "exit 255"
        << "command line too long (20 bytes, and the limit is 10: see -s) for input 2"
        << "";
    // A plain command killed by a signal. parallel runs every job under
    // /bin/sh, which (dash) does not exec the last command, so it sees the
    // shell exit 128+N and logs Exitval 137 / 139, Signal 0. procdeck runs
    // plain words directly, without a shell, so it sees the signal the
    // program really died of and logs it as parallel logs a signal: Exitval
    // 0, Signal N. The job counts as failed in both.
    QTest::newRow("signal_seen_directly_inner_sh")
        << QStringList{"sh -c 'kill -9 $$'", ":::", "a"} << QByteArray() << "exit 1"
        << ""
        << "1:0:9";
    QTest::newRow("signal_seen_directly_crash")
        << QStringList{QStringLiteral(TESTCHILD), "crash", ":::", "11", "15"} << QByteArray()
        << "exit 2"
        << ""
        << "1:0:11 2:0:15";
    // Timed-out jobs: parallel wrote this one (Exitval -1, Signal 15) in our
    // measurements but does not always log killed jobs; procdeck always logs
    // every job, a killed one with Exitval -1 and the signal (sleep dies of
    // the first SIGTERM).
    QTest::newRow("timeout_always_logged")
        << QStringList{"-j2", "--timeout", "0.5", "sleep {}; echo done {}", ":::", "5", "0"}
        << QByteArray("done 0\n") << "exit 1"
        << ""
        << "1:-1:15 2:0:0";
    // --halt now kills the jobs still running: parallel 20221122 does not log
    // them. Measured with -j2 `sleep {}; exit 1` ::: 3 0.1: without -k its
    // joblog holds only Seq 2 (the failure); with -k (as here) it holds no job
    // at all, not even the failure that caused the halt. procdeck logs both.
    QTest::newRow("halt_now_killed_job_logged")
        << QStringList{"-j2", "--halt", "now,fail=1", "sleep {}; exit 1", ":::", "3", "0.1"}
        << QByteArray() << "exit 1"
        << ""
        << "1:-1:15 2:1:0";
    // parallel reads --block 0 as its default (1M: 0 is false in Perl).
    // procdeck refuses it, as it refuses any size below 1 byte.
    QTest::newRow("pipe_block_zero")
        << QStringList{"--pipe", "--block", "0", "wc", "-l"} << QByteArray() << "exit 255"
        << "--block: \"0\" is not a size of 1 byte or more"
        << "";
    // parallel --pipe with ::: gives the values to the first job (and runs
    // `echo a` once for `--pipe echo ::: a b`). procdeck refuses the
    // combination: --pipe's input is stdin.
    QTest::newRow("pipe_with_sources")
        << QStringList{"--pipe", "wc", "-l", ":::", "a", "b"} << QByteArray() << "exit 255"
        << "--pipe reads its input from stdin"
        << "";
    // parallel ignores a --memfree it cannot read (Perl evaluates "x" to
    // nothing) and runs every job. procdeck refuses it.
    QTest::newRow("memfree_not_a_size")
        << QStringList{"--memfree", "x", "echo", ":::", "a"} << QByteArray() << "exit 255"
        << "--memfree: \"x\" is not a size"
        << "";
}

void TestConformance::deliberateDifferences()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, expectedStdout);
    QFETCH(QString, expectedStatus);
    QFETCH(QString, stderrMentions);
    QFETCH(QString, expectedJobs);

    Side side;
    const NoteOnFailure onFailure{{}, nullptr, &side};
    runPeerOnly(args, side);
    if (QTest::currentTestFailed())
        return;
    compareByLine(QStringLiteral("stdout"), QString::fromUtf8(side.out),
                  QString::fromUtf8(expectedStdout));
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(side.status, expectedStatus);
    if (!stderrMentions.isEmpty())
        QVERIFY2(QString::fromUtf8(side.err).contains(stderrMentions),
                 qPrintable(QString::fromUtf8(side.err)));
    const Joblog log = readJoblog(side.joblogPath);
    QStringList jobs;
    for (const auto &[seq, job] : log.jobs)
        jobs << QStringLiteral("%1:%2:%3").arg(seq).arg(job.exitval).arg(job.signal);
    QCOMPARE(jobs.join(QLatin1Char(' ')), expectedJobs);
    QVERIFY2(log.badLines.isEmpty(), qPrintable(log.badLines.join(QLatin1Char('\n'))));
}

QTEST_GUILESS_MAIN(TestConformance)
#include "tst_conformance.moc"
