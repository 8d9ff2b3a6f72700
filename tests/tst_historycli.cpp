// procdeck history as a process: batches recorded by procdeck run, listed
// (a table and JSON Lines, searched, limited), exported (joblog, results
// folder, JSON Lines) and cleared; bad ids and options; a missing, turned
// off or damaged database.
#include "app/history/historydatabase.h"
#include "testsupport.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QScopeGuard>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <limits>
#include <unistd.h>

using namespace procdeck;
using namespace testsupport;

class TestHistoryCli : public QObject
{
    Q_OBJECT

    struct Result
    {
        int exitCode = -1; // -1: it crashed or did not end
        QByteArray out;
        QByteArray err;
    };

    QString dbPath() const { return m_dir.filePath(QStringLiteral("history.sqlite")); }

    // procdeck with PROCDECK_HISTORY set to `history` (the shared database
    // unless given), stdin empty; killed and reaped if it does not end.
    static Result runProcdeck(const QStringList &args, const QString &history)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PROCDECK_HISTORY"), history);
        p.setProcessEnvironment(env);
        p.setStandardInputFile(QProcess::nullDevice());
        p.start(QStringLiteral(PROCDECK_BIN), args);
        Result r;
        if (!p.waitForFinished(60000)) {
            p.kill();
            p.waitForFinished(10000);
            r.err = "procdeck did not end within 60 s";
            return r;
        }
        if (p.exitStatus() == QProcess::NormalExit)
            r.exitCode = p.exitCode();
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }
    Result history(const QStringList &args, const QString &db = QString()) const
    {
        return runProcdeck(QStringList{QStringLiteral("history")} + args,
                           db.isEmpty() ? dbPath() : db);
    }

    // The --json listing, parsed; empty, with a warning, when procdeck fails
    // or prints anything but JSON objects.
    QList<QJsonObject> listJson(const QStringList &more = {}) const
    {
        const Result r = history(QStringList{QStringLiteral("--json")} + more);
        if (r.exitCode != 0) {
            qWarning("procdeck history --json failed (%d): %s", r.exitCode, r.err.constData());
            return {};
        }
        QList<QJsonObject> objects;
        for (const QByteArray &line : r.out.split('\n')) {
            if (line.isEmpty())
                continue;
            QJsonParseError error{};
            const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
            if (error.error != QJsonParseError::NoError || !doc.isObject()) {
                qWarning("not a JSON object: %s", line.constData());
                return {};
            }
            objects << doc.object();
        }
        return objects;
    }

    static QByteArray readFile(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("(missing)");
    }

    // Joblog rows by Seq: Exitval, Signal and Command (fields 6, 7, 8).
    static QMap<QByteArray, QList<QByteArray>> joblogRows(const QByteArray &joblog)
    {
        QMap<QByteArray, QList<QByteArray>> rows;
        const QList<QByteArray> lines = joblog.trimmed().split('\n');
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QList<QByteArray> f = lines[i].split('\t');
            if (f.size() == 9)
                rows.insert(f[0], {f[6], f[7], f[8]});
        }
        return rows;
    }

    QTemporaryDir m_dir;
    QString m_liveJoblog; // the failing batch's joblog, as procdeck run wrote it

private slots:
    void initTestCase();
    void init() { failOnLeakedProcess(); }
    void listsNewestFirstInAlignedColumns();
    void listsJsonLines();
    void searchAndLimit();
    void batchWithoutTemplateIsRecordedAndListed();
    void exportsLatestAsTheRunsJoblog();
    void exportsByIdToResultsFolderAndJsonLines();
    void valuesThatAreNoUtf8KeepTheirBytes();
    void runningBatchListsAndExportsAsItStands();
    void unknownIdIsAnError();
    void usageErrors_data();
    void usageErrors();
    void helpForEachCommand();
    void missingOrTurnedOffHistory();
    void damagedDatabaseIsNamedAndClearRemovesIt_data();
    void damagedDatabaseIsNamedAndClearRemovesIt();
    void newerDatabaseIsNeverRemoved();
    void readOnlyDatabaseListsExportsAndRunGoesOn();
    void clearThenListIsEmpty();
};

void TestHistoryCli::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_liveJoblog = m_dir.filePath(QStringLiteral("live.joblog"));
    // Three batches, oldest first: two that succeed, then one with a
    // failing job (exit 3), which procdeck run also logs itself.
    const QList<std::pair<QStringList, int>> runs = {
        {{QStringLiteral("echo"), QStringLiteral(":::"), QStringLiteral("a"), QStringLiteral("b")},
         0},
        {{QStringLiteral("echo needle-{}"), QStringLiteral(":::"), QStringLiteral("x")}, 0},
        {{QStringLiteral("--joblog"), m_liveJoblog, QStringLiteral("echo out-{}; exit {}"),
          QStringLiteral(":::"), QStringLiteral("0"), QStringLiteral("3")},
         1},
    };
    for (const auto &[args, status] : runs) {
        const Result r = runProcdeck(QStringList{QStringLiteral("run")} + args, dbPath());
        QVERIFY2(r.exitCode == status, r.err.constData());
    }
}

void TestHistoryCli::listsNewestFirstInAlignedColumns()
{
    const Result r = history({});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.err, QByteArray());
    const QStringList lines = QString::fromUtf8(r.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 4);
    const QString header = lines[0];
    QVERIFY2(header.simplified() == QStringLiteral("ID STARTED ORIGIN JOBS OK FAILED WALL LABEL"),
             qPrintable(header));
    const QList<QJsonObject> json = listJson();
    QCOMPARE(json.size(), 3);
    qint64 previousId = std::numeric_limits<qint64>::max();
    for (int i = 1; i < lines.size(); ++i) {
        const QString &row = lines[i];
        // Every column starts where its header does (numbers end there).
        QCOMPARE(row.indexOf(QStringLiteral("cli")), header.indexOf(QStringLiteral("ORIGIN")));
        const qsizetype labelAt = header.indexOf(QStringLiteral("LABEL"));
        QVERIFY2(row.at(labelAt - 1) == QLatin1Char(' ') && row.at(labelAt) != QLatin1Char(' '),
                 qPrintable(row));
        const QStringList f = row.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        const qint64 id = f[0].toLongLong();
        QVERIFY(id > 0 && id < previousId); // newest first
        previousId = id;
        QCOMPARE(id, json[i - 1].value(QStringLiteral("id")).toInteger());
        // STARTED is the local time of the JSON's UTC one.
        const QDateTime started = QDateTime::fromString(
            json[i - 1].value(QStringLiteral("started")).toString(), Qt::ISODateWithMs);
        QVERIFY(started.isValid());
        QCOMPARE(f[1] + QLatin1Char(' ') + f[2],
                 started.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
        QVERIFY2(f[7].endsWith(QLatin1Char('s')) && f[7].chopped(1).toDouble() >= 0,
                 qPrintable(row));
    }
    // The newest is the failing batch: 2 jobs, 1 ok, 1 failed.
    const QStringList newest = lines[1].split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QCOMPARE(newest.mid(3, 4), (QStringList{QStringLiteral("cli"), QStringLiteral("2"),
                                            QStringLiteral("1"), QStringLiteral("1")}));
    QVERIFY2(lines[1].endsWith(QStringLiteral("  echo out-{}; exit {}")), qPrintable(lines[1]));
    const QStringList oldest = lines[3].split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QCOMPARE(oldest.mid(4, 3),
             (QStringList{QStringLiteral("2"), QStringLiteral("2"), QStringLiteral("0")}));
    QVERIFY(lines[3].endsWith(QStringLiteral("  echo")));
}

void TestHistoryCli::listsJsonLines()
{
    const QList<QJsonObject> batches = listJson();
    QCOMPARE(batches.size(), 3);
    const QStringList labels = {QStringLiteral("echo out-{}; exit {}"),
                                QStringLiteral("echo needle-{}"), QStringLiteral("echo")};
    const QList<int> jobs = {2, 1, 2}, ok = {1, 1, 2}, failed = {1, 0, 0};
    for (int i = 0; i < 3; ++i) {
        const QJsonObject &b = batches[i];
        QCOMPARE(b.value(QStringLiteral("label")).toString(), labels[i]);
        QCOMPARE(b.value(QStringLiteral("origin")).toString(), QStringLiteral("cli"));
        for (const char *key : {"id", "jobs", "ok", "failed", "canceled", "interrupted", "running",
                                "wallSeconds", "outputBytes"})
            QVERIFY2(b.value(QLatin1String(key)).isDouble(), key); // numbers, not text
        QCOMPARE(b.value(QStringLiteral("jobs")).toInt(), jobs[i]);
        QCOMPARE(b.value(QStringLiteral("ok")).toInt(), ok[i]);
        QCOMPARE(b.value(QStringLiteral("failed")).toInt(), failed[i]);
        QCOMPARE(b.value(QStringLiteral("running")).toInt(), 0);
        const QDateTime started =
            QDateTime::fromString(b.value(QStringLiteral("started")).toString(), Qt::ISODateWithMs);
        const QDateTime finished = QDateTime::fromString(
            b.value(QStringLiteral("finished")).toString(), Qt::ISODateWithMs);
        QVERIFY(started.isValid() && finished.isValid());
        QCOMPARE(started.timeSpec(), Qt::UTC);
        QVERIFY(finished >= started);
        QCOMPARE(b.value(QStringLiteral("wallSeconds")).toDouble(),
                 double(started.msecsTo(finished)) / 1000.0);
        if (i > 0) {
            QVERIFY(b.value(QStringLiteral("id")).toInteger() <
                    batches[i - 1].value(QStringLiteral("id")).toInteger());
        }
    }
}

void TestHistoryCli::searchAndLimit()
{
    const QList<QJsonObject> needle =
        listJson({QStringLiteral("--search"), QStringLiteral("NEEDLE")});
    QCOMPARE(needle.size(), 1);
    QCOMPARE(needle[0].value(QStringLiteral("label")).toString(), QStringLiteral("echo needle-{}"));
    // A job's command matches too: "out-3" is only in the filled-in command.
    const QList<QJsonObject> byCommand =
        listJson({QStringLiteral("--search"), QStringLiteral("out-3")});
    QCOMPARE(byCommand.size(), 1);
    QCOMPARE(byCommand[0].value(QStringLiteral("jobs")).toInt(), 2);

    const Result none = history({QStringLiteral("--search"), QStringLiteral("nothing-like-it")});
    QCOMPARE(none.exitCode, 0);
    QVERIFY2(none.out.startsWith("No batches match \"nothing-like-it\" in "), none.out.constData());

    const QList<QJsonObject> all = listJson({QStringLiteral("--limit"), QStringLiteral("0")});
    QCOMPARE(all.size(), 3);
    const QList<QJsonObject> one = listJson({QStringLiteral("--limit"), QStringLiteral("1")});
    QCOMPARE(one.size(), 1);
    QCOMPARE(one[0].value(QStringLiteral("id")), all[0].value(QStringLiteral("id")));
    const QList<QJsonObject> two = listJson({QStringLiteral("--limit"), QStringLiteral("2"),
                                             QStringLiteral("--search"), QStringLiteral("echo")});
    QCOMPARE(two.size(), 2);
    QCOMPARE(two[1].value(QStringLiteral("id")), all[1].value(QStringLiteral("id")));
    const Result table =
        history({QStringLiteral("list"), QStringLiteral("--limit"), QStringLiteral("1")});
    QCOMPARE(table.exitCode, 0);
    QCOMPARE(table.out.count('\n'), 2); // header and one batch
}

void TestHistoryCli::batchWithoutTemplateIsRecordedAndListed()
{
    // Each value a whole command: no template, so an empty label (which
    // history once failed to record: NULL into a NOT NULL column).
    const QString db = m_dir.filePath(QStringLiteral("no-template.sqlite"));
    const Result run = runProcdeck({QStringLiteral("run"), QStringLiteral(":::"),
                                    QStringLiteral("echo x"), QStringLiteral("echo y")},
                                   db);
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.err, QByteArray());
    const Result table = history({}, db);
    QCOMPARE(table.exitCode, 0);
    const QList<QByteArray> lines = table.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    QVERIFY2(lines[1].endsWith("  (no template: each value a command)"), lines[1].constData());
    const Result json = history({QStringLiteral("--json")}, db);
    const QJsonObject b = QJsonDocument::fromJson(json.out).object();
    QCOMPARE(b.value(QStringLiteral("label")).toString(), QString());
    QCOMPARE(b.value(QStringLiteral("jobs")).toInt(), 2);
    // The commands are searchable all the same.
    QVERIFY(history({QStringLiteral("--search"), QStringLiteral("echo y")}, db)
                .out.contains("(no template"));
}

void TestHistoryCli::exportsLatestAsTheRunsJoblog()
{
    const QString file = m_dir.filePath(QStringLiteral("latest.joblog"));
    const Result r = history({QStringLiteral("export"), QStringLiteral("--joblog"), file});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.err, QByteArray());
    QCOMPARE(r.out, QByteArray()); // quiet on success
    const QByteArray exported = readFile(file);
    const QByteArray live = readFile(m_liveJoblog);
    QCOMPARE(exported.left(exported.indexOf('\n')), live.left(live.indexOf('\n')));
    // The same jobs, exit values, signals and commands as the run logged.
    const auto rows = joblogRows(exported);
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows, joblogRows(live));
    QCOMPARE(rows.value("2"), (QList<QByteArray>{"3", "0", "echo out-3; exit 3"}));

    // "latest" said, and "-": the same joblog on stdout.
    const Result out = history({QStringLiteral("export"), QStringLiteral("latest"),
                                QStringLiteral("--joblog"), QStringLiteral("-")});
    QCOMPARE(out.exitCode, 0);
    QCOMPARE(out.out, exported);
}

void TestHistoryCli::valuesThatAreNoUtf8KeepTheirBytes()
{
    // A Latin-1 file name: the list shows U+FFFD (text, searched in
    // SQLite), an export of the batch has the bytes, as the run's joblog.
    const QString db = m_dir.filePath(QStringLiteral("bytes.sqlite"));
    const QString names = m_dir.filePath(QStringLiteral("latin1.txt"));
    QFile f(names);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("caf\xe9.txt\n");
    f.close();
    const QString live = m_dir.filePath(QStringLiteral("bytes.joblog"));
    const Result run = runProcdeck({QStringLiteral("run"), QStringLiteral("--joblog"), live,
                                    QStringLiteral("-a"), names, QStringLiteral("echo")},
                                   db);
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.out, QByteArray("caf\xe9.txt\n"));
    const QString file = m_dir.filePath(QStringLiteral("bytes-export.joblog"));
    QCOMPARE(history({QStringLiteral("export"), QStringLiteral("--joblog"), file}, db).exitCode, 0);
    QCOMPARE(joblogRows(readFile(file)), joblogRows(readFile(live)));
    QCOMPARE(joblogRows(readFile(file)).value("1").value(2), QByteArray("echo 'caf\xe9.txt'"));
    const Result listed = history({QStringLiteral("--search"), QStringLiteral("caf")}, db);
    QCOMPARE(listed.exitCode, 0);
    QVERIFY2(listed.out.contains("echo"), listed.out.constData());
}

void TestHistoryCli::exportsByIdToResultsFolderAndJsonLines()
{
    const QList<QJsonObject> batches = listJson();
    QCOMPARE(batches.size(), 3);
    const QString echoId = QString::number(batches[2].value(QStringLiteral("id")).toInteger());
    const QString failingId = QString::number(batches[0].value(QStringLiteral("id")).toInteger());

    const QString echoDir = m_dir.filePath(QStringLiteral("echo-results"));
    Result r = history({QStringLiteral("export"), echoId, QStringLiteral("--results"), echoDir});
    QCOMPARE(r.exitCode, 0);
    for (const char *value : {"a", "b"}) {
        const QString job = echoDir + QStringLiteral("/1/") + QLatin1String(value);
        QCOMPARE(readFile(job + QStringLiteral("/stdout")), QByteArray(value) + '\n');
        QCOMPARE(readFile(job + QStringLiteral("/stderr")), QByteArray());
        QCOMPARE(readFile(job + QStringLiteral("/exitval")), QByteArray("0\n"));
    }

    const QString failingDir = m_dir.filePath(QStringLiteral("failing-results"));
    const QString jsonl = m_dir.filePath(QStringLiteral("failing.jsonl"));
    r = history({QStringLiteral("export"), failingId, QStringLiteral("--results"), failingDir,
                 QStringLiteral("--jsonl"), jsonl});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(readFile(failingDir + QStringLiteral("/1/3/stdout")), QByteArray("out-3\n"));
    QCOMPARE(readFile(failingDir + QStringLiteral("/1/3/exitval")), QByteArray("3\n"));
    QCOMPARE(readFile(failingDir + QStringLiteral("/1/0/exitval")), QByteArray("0\n"));
    const QList<QByteArray> lines = readFile(jsonl).trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    const QJsonObject second = QJsonDocument::fromJson(lines[1]).object();
    QCOMPARE(second.value(QStringLiteral("Stdout")).toString(), QStringLiteral("out-3\n"));
    QCOMPARE(second.value(QStringLiteral("Exitval")).toInt(), 3);
}

void TestHistoryCli::runningBatchListsAndExportsAsItStands()
{
    // A live procdeck run: one job hangs, the second waits for it (-j1).
    const QString db = m_dir.filePath(QStringLiteral("running.sqlite"));
    QProcess run;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PROCDECK_HISTORY"), db);
    run.setProcessEnvironment(env);
    run.setStandardInputFile(QProcess::nullDevice());
    run.start(QStringLiteral(PROCDECK_BIN),
              {QStringLiteral("run"), QStringLiteral("-j1"), childPath(), QStringLiteral(":::"),
               QStringLiteral("hang"), QStringLiteral("hang")});
    QVERIFY(run.waitForStarted(10000));
    const auto stop = qScopeGuard([&] {
        ::kill(pid_t(run.processId()), SIGTERM);
        if (!run.waitForFinished(30000)) {
            run.kill();
            run.waitForFinished(10000);
        }
    });
    // Once its first job's start is committed, the list shows it running.
    QTRY_VERIFY_WITH_TIMEOUT(history({QStringLiteral("--json")}, db).out.contains("\"running\":1"),
                             20000);
    const QJsonObject b =
        QJsonDocument::fromJson(history({QStringLiteral("--json")}, db).out).object();
    QVERIFY(b.value(QStringLiteral("finished")).isNull());
    QVERIFY(b.value(QStringLiteral("wallSeconds")).isNull());
    QCOMPARE(b.value(QStringLiteral("jobs")).toInt(), 2);
    const Result table = history({}, db);
    QCOMPARE(table.exitCode, 0);
    QVERIFY2(table.out.split('\n').value(1).contains("  running  "), table.out.constData());
    // Exported as it stands: both jobs, neither with an exit value yet.
    const Result exported =
        history({QStringLiteral("export"), QStringLiteral("--joblog"), QStringLiteral("-")}, db);
    QCOMPARE(exported.exitCode, 0);
    QVERIFY2(exported.err.contains("is still running"), exported.err.constData());
    const auto rows = joblogRows(exported.out);
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows.value("1").value(0), QByteArray("-1"));
    // clear keeps a batch a live procdeck still records.
    const Result cleared = history({QStringLiteral("clear")}, db);
    QCOMPARE(cleared.exitCode, 0);
    QVERIFY2(cleared.out.contains("Cleared 0 batches") &&
                 cleared.out.contains("(1 batch still running kept)"),
             cleared.out.constData());
}

void TestHistoryCli::unknownIdIsAnError()
{
    const QString file = m_dir.filePath(QStringLiteral("never.joblog"));
    const Result r = history(
        {QStringLiteral("export"), QStringLiteral("4242"), QStringLiteral("--joblog"), file});
    QCOMPARE(r.exitCode, 255);
    QCOMPARE(QString::fromUtf8(r.err).trimmed(),
             QStringLiteral("procdeck history: no batch 4242 in %1").arg(dbPath()));
    QVERIFY(!QFile::exists(file));
}

void TestHistoryCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown option") << QStringList{"--frobnicate"} << "unknown option --frobnicate";
    QTest::newRow("unknown short") << QStringList{"list", "-x"} << "unknown option -x";
    QTest::newRow("unknown one-dash word") << QStringList{"-xyz"} << "unknown option -xyz";
    QTest::newRow("missing value") << QStringList{"--limit"} << "option --limit needs a value";
    QTest::newRow("flag with value") << QStringList{"--json=yes"} << "option --json takes no value";
    QTest::newRow("bad limit") << QStringList{"--limit", "many"}
                               << "--limit: \"many\" is not a number of batches";
    QTest::newRow("negative limit")
        << QStringList{"--limit", "-3"} << "--limit: \"-3\" is not a number of batches";
    QTest::newRow("unknown command") << QStringList{"frob"} << "unknown command frob";
    QTest::newRow("list argument") << QStringList{"list", "extra"} << "unexpected argument extra";
    QTest::newRow("export nowhere") << QStringList{"export"} << "export needs somewhere to write";
    QTest::newRow("export missing value")
        << QStringList{"export", "--joblog"} << "option --joblog needs a value";
    QTest::newRow("export csv stdout")
        << QStringList{"export", "--csv", "-"} << "--csv -: only --joblog can write to stdout";
    QTest::newRow("export two ids") << QStringList{"export", "1", "2", "--joblog", "x"}
                                    << "export takes one batch id, not 2 (1 2)";
    QTest::newRow("export bad id")
        << QStringList{"export", "first", "--joblog", "x"} << "\"first\" is not a batch id";
    QTest::newRow("export list option")
        << QStringList{"export", "--json", "--joblog", "x"} << "unknown option --json";
    QTest::newRow("clear option") << QStringList{"clear", "--search", "x"}
                                  << "unknown option --search";
}

void TestHistoryCli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Result r = history(args);
    QCOMPARE(r.exitCode, 255);
    QCOMPARE(r.out, QByteArray());
    const QString err = QString::fromUtf8(r.err);
    QVERIFY2(err.startsWith(QStringLiteral("procdeck history: ") + message), qPrintable(err));
    QVERIFY2(err.contains(QStringLiteral("--help'.")), qPrintable(err));
    QCOMPARE(listJson().size(), 3); // nothing was cleared or changed
}

void TestHistoryCli::helpForEachCommand()
{
    const QList<std::pair<QStringList, QStringList>> cases = {
        {{"--help"}, {"list (the default)", "export:", "clear (or --clear)"}},
        {{"list", "--help"}, {"--search TEXT", "--limit N"}},
        {{"export", "-h"}, {"--joblog FILE", "--results DIR", "--html FILE"}},
        {{"clear", "--help"}, {"clear (or --clear)"}},
    };
    for (const auto &[args, words] : cases) {
        const Result r = history(args);
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith("Usage: procdeck history"));
        for (const QString &word : words)
            QVERIFY2(r.out.contains(word.toUtf8()), qPrintable(args.join(' ') + ": " + word));
    }
    // Each command's help is its own part only.
    QVERIFY(!history({"clear", "--help"}).out.contains("GNU parallel's joblog"));
}

void TestHistoryCli::missingOrTurnedOffHistory()
{
    const QString missing = m_dir.filePath(QStringLiteral("none/history.sqlite"));
    Result r = history({}, missing);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QStringLiteral("No history yet (%1 does not exist).\n").arg(missing).toUtf8());
    r = history({QStringLiteral("--json")}, missing);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray()); // stdout is JSON only; the note goes to stderr
    QVERIFY(r.err.startsWith("No history yet"));
    r = history({QStringLiteral("export"), QStringLiteral("--joblog"), QStringLiteral("-")},
                missing);
    QCOMPARE(r.exitCode, 255);
    QVERIFY2(r.err.contains("no history yet: " + missing.toUtf8() + " does not exist"),
             r.err.constData());
    r = history({QStringLiteral("clear")}, missing);
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("nothing to clear"));
    // Looking did not create it, nor its folder.
    QVERIFY(!QFile::exists(QFileInfo(missing).absolutePath()));

    r = history({}, QStringLiteral("off"));
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.startsWith("History is off (PROCDECK_HISTORY=off)"), r.out.constData());
    r = history({QStringLiteral("export"), QStringLiteral("--joblog"), QStringLiteral("-")},
                QStringLiteral("off"));
    QCOMPARE(r.exitCode, 255);
    QVERIFY2(r.err.contains("history is off"), r.err.constData());
    QVERIFY(!QFile::exists(QStringLiteral("off")));
}

void TestHistoryCli::damagedDatabaseIsNamedAndClearRemovesIt_data()
{
    QTest::addColumn<bool>("recordFirst");
    QTest::addColumn<QString>("problem");
    // Random bytes: no SQLite header at all.
    QTest::newRow("not a database") << false << "file is not a database";
    // A real history whose pages after the first are overwritten: it opens,
    // and its tables cannot be read.
    QTest::newRow("damaged pages") << true << "database disk image is malformed";
}

void TestHistoryCli::damagedDatabaseIsNamedAndClearRemovesIt()
{
    QFETCH(bool, recordFirst);
    QFETCH(QString, problem);
    const QString bad = m_dir.filePath(QStringLiteral("damaged.sqlite"));
    if (recordFirst) {
        QCOMPARE(runProcdeck({QStringLiteral("run"), QStringLiteral("echo"), QStringLiteral(":::"),
                              QStringLiteral("a")},
                             bad)
                     .exitCode,
                 0);
        QVERIFY(!QFile::exists(bad + QStringLiteral("-wal"))); // checkpointed at close
    }
    {
        QFile f(bad);
        QVERIFY(f.open(QIODevice::ReadWrite));
        const qint64 from = recordFirst ? 4096 : 0; // SQLite's first page, of 4 KiB
        const qint64 size = qMax<qint64>(f.size() - from, 64 * 1024);
        QVERIFY(f.seek(from));
        QCOMPARE(f.write(QByteArray(size, '\xff')), size);
    }
    for (const QStringList &args :
         {QStringList{}, QStringList{"--json"}, QStringList{"export", "--joblog", "-"}}) {
        const Result r = history(args, bad);
        QCOMPARE(r.exitCode, 255); // an error, not a crash
        QCOMPARE(r.out, QByteArray());
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(err.startsWith(QStringLiteral("procdeck history: %1: ").arg(bad)),
                 qPrintable(err));
        QVERIFY2(err.contains(problem), qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("procdeck history clear removes")), qPrintable(err));
    }
    QVERIFY(QFile::exists(bad)); // listing never removes anything

    const Result cleared = history({QStringLiteral("clear")}, bad);
    QCOMPARE(cleared.exitCode, 0);
    QVERIFY2(cleared.out.startsWith("Removed " + bad.toUtf8()), cleared.out.constData());
    QVERIFY(cleared.out.contains(problem.toUtf8()));
    QVERIFY(!QFile::exists(bad));
    QVERIFY(history({}, bad).out.startsWith("No history yet"));
}

// A database in a folder we may only read (root's, shared): SQLite cannot
// make the -shm file it reads WAL through, yet the list and an export
// still work, and procdeck run says it runs without history and runs.
// Root writes anything, so as root the commands run as nobody.
void TestHistoryCli::readOnlyDatabaseListsExportsAndRunGoesOn()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString folder = dir.filePath(QStringLiteral("shared"));
    QVERIFY(QDir().mkpath(folder));
    const QString db = folder + QStringLiteral("/history.sqlite");
    QCOMPARE(runProcdeck({QStringLiteral("run"), QStringLiteral("echo"), QStringLiteral(":::"),
                          QStringLiteral("a"), QStringLiteral("b")},
                         db)
                 .exitCode,
             0);
    const auto readable = QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther;
    const auto enterable = QFile::ExeOwner | QFile::ExeGroup | QFile::ExeOther;
    const auto restore = qScopeGuard([&] {
        QFile::setPermissions(folder, readable | enterable | QFile::WriteOwner);
        QFile::setPermissions(db, readable | QFile::WriteOwner);
    });
    QVERIFY(QFile::setPermissions(dir.path(), readable | enterable | QFile::WriteOwner));
    QVERIFY(QFile::setPermissions(db, readable));
    QVERIFY(QFile::setPermissions(folder, readable | enterable));

    QStringList prefix;
    if (::geteuid() == 0) {
        prefix = {QStringLiteral("setpriv"), QStringLiteral("--reuid=65534"),
                  QStringLiteral("--regid=65534"), QStringLiteral("--clear-groups")};
    }
    auto run = [&](const QStringList &args) {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PROCDECK_HISTORY"), db);
        p.setProcessEnvironment(env);
        p.setStandardInputFile(QProcess::nullDevice());
        const QStringList argv = prefix + QStringList{QStringLiteral(PROCDECK_BIN)} + args;
        p.start(argv.first(), argv.mid(1));
        Result r;
        if (!p.waitForFinished(60000)) {
            p.kill();
            p.waitForFinished(10000);
            return r;
        }
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    };
    if (!prefix.isEmpty() && run({QStringLiteral("--version")}).exitCode != 0)
        QSKIP("the build is not reachable as nobody (a private parent folder)");

    const Result list = run({QStringLiteral("history")});
    QVERIFY2(list.exitCode == 0, list.err.constData());
    QVERIFY2(list.out.contains("echo"), list.out.constData());
    const Result joblog = run({QStringLiteral("history"), QStringLiteral("export"),
                               QStringLiteral("--joblog"), QStringLiteral("-")});
    QVERIFY2(joblog.exitCode == 0, joblog.err.constData());
    QCOMPARE(joblogRows(joblog.out).size(), 2);
    const Result cleared = run({QStringLiteral("history"), QStringLiteral("clear")});
    QCOMPARE(cleared.exitCode, 255);
    QVERIFY2(cleared.err.contains(db.toUtf8()), cleared.err.constData());
    QVERIFY(QFileInfo::exists(db)); // never removed for being read-only

    const Result runs = run({QStringLiteral("run"), QStringLiteral("echo"), QStringLiteral(":::"),
                             QStringLiteral("still")});
    QCOMPARE(runs.exitCode, 0);
    QCOMPARE(runs.out, QByteArray("still\n"));
    QVERIFY2(runs.err.contains(db.toUtf8()) && runs.err.contains("without history"),
             runs.err.constData());
}

void TestHistoryCli::newerDatabaseIsNeverRemoved()
{
    // Written by a newer procdeck: not damaged, so clear leaves it be.
    const QString db = m_dir.filePath(QStringLiteral("newer.sqlite"));
    QCOMPARE(runProcdeck({QStringLiteral("run"), QStringLiteral("true"), QStringLiteral(":::"),
                          QStringLiteral("1")},
                         db)
                 .exitCode,
             0);
    {
        HistoryDatabase database;
        QVERIFY_OK(database.open(db));
        QSqlQuery q(database.db());
        QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 99")));
    }
    const Result list = history({}, db);
    QCOMPARE(list.exitCode, 255);
    QVERIFY2(list.err.contains("written by a newer procdeck"), list.err.constData());
    const Result clear = history({QStringLiteral("clear")}, db);
    QCOMPARE(clear.exitCode, 255);
    QVERIFY2(clear.err.startsWith("procdeck history: " + db.toUtf8() + ": cannot clear it: "),
             clear.err.constData());
    QVERIFY(QFile::exists(db));
}

void TestHistoryCli::clearThenListIsEmpty()
{
    const QString db = m_dir.filePath(QStringLiteral("to-clear.sqlite"));
    for (const char *value : {"1", "2"}) {
        const Result r = runProcdeck(
            {QStringLiteral("run"), QStringLiteral("true"), QStringLiteral(":::"), value}, db);
        QCOMPARE(r.exitCode, 0);
    }
    QCOMPARE(history({QStringLiteral("list")}, db).out.count('\n'), 3);
    Result r = history({QStringLiteral("clear")}, db);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QStringLiteral("Cleared 2 batches from %1.\n").arg(db).toUtf8());
    r = history({}, db);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QStringLiteral("No batches in history (%1).\n").arg(db).toUtf8());
    r = history({QStringLiteral("--json")}, db);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray());
    r = history({QStringLiteral("export"), QStringLiteral("--joblog"), QStringLiteral("-")}, db);
    QCOMPARE(r.exitCode, 255);
    QCOMPARE(QString::fromUtf8(r.err).trimmed(),
             QStringLiteral("procdeck history: no batches in %1").arg(db));
    // --clear is clear; on an empty history it clears nothing.
    r = history({QStringLiteral("--clear")}, db);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QStringLiteral("Cleared 0 batches from %1.\n").arg(db).toUtf8());
    // The shared database was not touched.
    QCOMPARE(listJson().size(), 3);
}

QTEST_GUILESS_MAIN(TestHistoryCli)
#include "tst_historycli.moc"
