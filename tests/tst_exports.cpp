// Exports read back by real parsers: GNU parallel's joblog (and parallel
// --resume-failed itself), the results folder, CSV (Python's csv module),
// JSON Lines (Qt's JSON) and the HTML report; atomic on errors.
#include "app/core/rawtext.h"
#include "app/engine/scheduler.h"
#include "app/export/jobfields.h"
#include "app/export/logexporter.h"
#include "app/export/resultsfolderwriter.h"
#include "testsupport.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/stat.h>
#include <unistd.h>

using namespace procdeck;
using namespace testsupport;

class TestExports : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init() { failOnLeakedProcess(); }
    void joblog();
    void resultsFolder();
    void csvReadByPython();
    void jsonLines();
    void htmlReport();
    void parallelResumeFailedReadsOurJoblog();
    void unwritableDestinations_data();
    void unwritableDestinations();
    void reportKeepsPercentSignsInCommands();
    void longValuesBecomeNestedFolders();
    void emptySelectionStillWritesFiles();
    void folderNames_data();
    void folderNames();
    void valuesThatAreNoUtf8();

private:
    static QByteArray readFile(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
    }
    const JobRecord &job(int i) const { return m_scheduler.store().job(i); }
    QByteArray out(int i) const
    {
        return job(i).output ? job(i).output->rawBytes(Stream::Stdout) : QByteArray();
    }
    QByteArray err(int i) const
    {
        return job(i).output ? job(i).output->rawBytes(Stream::Stderr) : QByteArray();
    }
    ExportSelection all() const
    {
        QList<int> jobs;
        for (int i = 0; i < m_scheduler.store().jobCount(); ++i)
            jobs << i;
        return ExportSelection(m_scheduler, jobs);
    }

    Scheduler m_scheduler;
    QTemporaryDir m_dir;
    QString m_tabQuoteNewline;
};

// One batch with everything an export must survive.
void TestExports::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_scheduler.setMaxParallel(0);
    m_scheduler.setGracePeriod(200);
    m_scheduler.setResourceSampling(true, 50);
    std::vector<JobSpec> specs;
    specs.push_back(child({QStringLiteral("binary")})); // 0: every byte value
    JobSpec bad = shell(QStringLiteral("printf 'ok \\377\\376 bad\\n'; printf 'err \\303' >&2"));
    bad.inputValues = {QStringLiteral("v1,with comma"), QStringLiteral("v2 \"quoted\"")};
    specs.push_back(bad); // 1: invalid UTF-8 on both streams, values needing CSV quotes
    m_tabQuoteNewline =
        QStringLiteral("printf '%s' \"tab\there 'q' \\\"dq\\\"\"\necho second line");
    specs.push_back(shell(m_tabQuoteNewline)); // 2: a command with a tab, quotes and a newline
    specs.push_back(child({QStringLiteral("memory"), QStringLiteral("24")})); // 3: killed
    JobSpec missing;
    missing.program = QStringLiteral("/nonexistent/procdeck-export-test");
    specs.push_back(missing); // 4: failed start
    specs.push_back(shell(QStringLiteral(
        "echo '<script>alert(1)</script> & <b>'; printf '\\033[1;31mred <i>\\033[0m\\033[K "
        "plain\\n'; exit 4"))); // 5: html, and color codes
    QSignalSpy finished(&m_scheduler, &Scheduler::jobFinished);
    m_scheduler.submit(QStringLiteral("exports <b>"), std::move(specs));
    QTRY_VERIFY(job(3).result.pid > 0);
    QTRY_COMPARE(finished.size(), 5);
    QTRY_VERIFY_WITH_TIMEOUT(job(3).result.peakRssBytes >= 24 << 20, 10000);
    m_scheduler.stopJob(3);
    QTRY_VERIFY(m_scheduler.isIdle());
    QCOMPARE(out(0).size(), 256);
    QCOMPARE(job(3).result.outcome, Outcome::Signaled);
    QCOMPARE(job(4).result.outcome, Outcome::FailedToStart);
}

void TestExports::joblog()
{
    const QString path = m_dir.filePath(QStringLiteral("run.joblog"));
    QVERIFY_OK(LogExporter::write(ExportFormat::Joblog, path, all(), QString()));
    const QList<QByteArray> lines = readFile(path).split('\n');
    QCOMPARE(
        lines.first(),
        QByteArray("Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand"));
    QCOMPARE(lines.last(), QByteArray()); // ends with a newline
    QMap<int, QList<QByteArray>> bySeq;
    // parallel's own check for a valid line (GUIDE section 4).
    const QRegularExpression valid(QStringLiteral("^\\d+\\s+\\S+\\s+([-0-9.]+\\s+){6}"));
    for (int i = 1; i + 1 < lines.size(); ++i) {
        QVERIFY2(valid.match(QString::fromLatin1(lines[i])).hasMatch(), lines[i].constData());
        const QList<QByteArray> f = lines[i].split('\t');
        bySeq[f[0].toInt()] = f;
    }
    QCOMPARE(bySeq.size(), 6);
    QCOMPARE(bySeq[1][5], QByteArray("256")); // Receive: stdout bytes
    QCOMPARE(bySeq[1][6], QByteArray("0"));
    QCOMPARE(bySeq[4][6], QByteArray("-1")); // killed
    QCOMPARE(bySeq[4][7], QByteArray::number(SIGTERM));
    QCOMPARE(bySeq[5][6], QByteArray("127")); // failed start
    QCOMPARE(bySeq[6][6], QByteArray("4"));
    // The command keeps its tab (the rest of the line) and its newline as NUL.
    QByteArray command = m_tabQuoteNewline.toUtf8();
    command.replace('\n', '\0');
    QCOMPARE(bySeq[3].mid(8).join('\t'), command);
    QVERIFY(bySeq[2][3].startsWith(' ') || bySeq[2][3].size() == 10); // %10.3f
}

void TestExports::resultsFolder()
{
    const QString dir = m_dir.filePath(QStringLiteral("results"));
    QVERIFY_OK(LogExporter::write(ExportFormat::ResultsFolder, dir, all(), QString()));
    // Jobs without input values go to DIR/<seq>/.
    QCOMPARE(readFile(dir + QStringLiteral("/1/stdout")), out(0));
    QCOMPARE(readFile(dir + QStringLiteral("/1/seq")), QByteArray("1\n"));
    QCOMPARE(readFile(dir + QStringLiteral("/1/exitval")), QByteArray("0\n"));
    // With values: DIR/1/<v1>/2/<v2>/, byte for byte.
    const QString withValues = dir + QStringLiteral("/1/v1,with comma/2/v2 \"quoted\"/");
    QCOMPARE(readFile(withValues + QStringLiteral("stdout")), out(1));
    QCOMPARE(readFile(withValues + QStringLiteral("stderr")), err(1));
    QCOMPARE(readFile(dir + QStringLiteral("/4/exitval")), QByteArray("-1\n"));
    QCOMPARE(readFile(dir + QStringLiteral("/5/exitval")), QByteArray("127\n"));
    QCOMPARE(readFile(dir + QStringLiteral("/5/stdout")), QByteArray());
    // Exporting again into the existing folder replaces the files.
    QVERIFY_OK(LogExporter::write(ExportFormat::ResultsFolder, dir, all(), QString()));
    QCOMPARE(readFile(dir + QStringLiteral("/1/stdout")), out(0));
}

void TestExports::csvReadByPython()
{
    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (python.isEmpty())
        QFAIL("python3 is needed to read the CSV back (.ci/install-deps installs it)");
    const QString path = m_dir.filePath(QStringLiteral("jobs.csv"));
    QVERIFY_OK(LogExporter::write(ExportFormat::Csv, path, all(), QString()));
    // Python's csv module reads it; surrogateescape gives back every byte,
    // which we compare as hex.
    const QString script =
        QStringLiteral("import csv, json, sys\n"
                       "rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8', "
                       "errors='surrogateescape')))\n"
                       "enc = lambda s: s.encode('utf-8', 'surrogateescape').hex()\n"
                       "print(json.dumps({'header': rows[0], 'rows': [[enc(c) for c in r] for r in "
                       "rows[1:]]}))\n");
    QProcess p;
    p.start(python, {QStringLiteral("-c"), script, path});
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 0);
    const QJsonObject doc = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    const QStringList header = doc.value(QStringLiteral("header")).toVariant().toStringList();
    QCOMPARE(header, (QStringList{"Seq", "Host", "Starttime", "JobRuntime", "Send", "Receive",
                                  "Exitval", "Signal", "Command", "V1", "V2", "Stdout", "Stderr",
                                  "CPUTime", "PeakRSS"}));
    const QJsonArray rows = doc.value(QStringLiteral("rows")).toArray();
    QCOMPARE(rows.size(), 6);
    auto cell = [&](int row, int column) {
        return QByteArray::fromHex(rows.at(row).toArray().at(column).toString().toLatin1());
    };
    for (int r = 0; r < 6; ++r) {
        QCOMPARE(cell(r, 0), QByteArray::number(r + 1));
        QCOMPARE(cell(r, 11), out(r));
        QCOMPARE(cell(r, 12), err(r));
        QCOMPARE(cell(r, 8), m_scheduler.spec(r).displayCommand().toUtf8());
    }
    QCOMPARE(cell(1, 9), QByteArray("v1,with comma"));
    QCOMPARE(cell(1, 10), QByteArray("v2 \"quoted\""));
    QCOMPARE(cell(3, 6), QByteArray("-1"));
    QCOMPARE(cell(4, 6), QByteArray("127"));
    // procdeck's own columns: CPU seconds for every job that ran, the peak
    // for the one that lived long enough to be sampled, empty when unknown.
    QVERIFY(cell(3, 14).toLongLong() >= 24 << 20);
    QVERIFY(cell(0, 13).toDouble() >= 0);
    QVERIFY(!cell(0, 13).isEmpty());
    QCOMPARE(cell(4, 14), QByteArray()); // never started
}

void TestExports::jsonLines()
{
    const QString path = m_dir.filePath(QStringLiteral("jobs.jsonl"));
    QString error;
    QVERIFY_OK(LogExporter::write(ExportFormat::JsonLines, path, all(), QString()));
    const QList<QByteArray> lines = readFile(path).trimmed().split('\n');
    QCOMPARE(lines.size(), 6);
    for (int i = 0; i < 6; ++i) {
        QJsonParseError parseError;
        const QJsonObject o = QJsonDocument::fromJson(lines[i], &parseError).object();
        QCOMPARE(parseError.error, QJsonParseError::NoError);
        QCOMPARE(o.value(QStringLiteral("Seq")).toInt(), i + 1);
        QCOMPARE(o.value(QStringLiteral("Command")).toString(),
                 m_scheduler.spec(i).displayCommand());
        // Valid UTF-8 is the string itself; anything else has its bytes in
        // the Base64 twin.
        for (const auto &[key, bytes] :
             {std::pair{QStringLiteral("Stdout"), out(i)}, {QStringLiteral("Stderr"), err(i)}}) {
            const QJsonValue b64 = o.value(key + QStringLiteral("Base64"));
            const QByteArray back = b64.isString()
                                        ? QByteArray::fromBase64(b64.toString().toLatin1())
                                        : o.value(key).toString().toUtf8();
            QCOMPARE(back, bytes);
        }
    }
    const QJsonObject second = QJsonDocument::fromJson(lines[1]).object();
    QVERIFY(second.contains(QStringLiteral("StdoutBase64")));
    QVERIFY(
        second.value(QStringLiteral("Stdout")).toString().contains(QChar::ReplacementCharacter));
    QCOMPARE(second.value(QStringLiteral("V")).toArray().at(1).toString(),
             QStringLiteral("v2 \"quoted\""));
    const QJsonObject killed = QJsonDocument::fromJson(lines[3]).object();
    QCOMPARE(killed.value(QStringLiteral("Exitval")).toInt(), -1);
    QCOMPARE(killed.value(QStringLiteral("Signal")).toInt(), SIGTERM);
    QVERIFY(!QJsonDocument::fromJson(lines[5]).object().contains(QStringLiteral("StdoutBase64")));
    QVERIFY(killed.value(QStringLiteral("PeakRSS")).toDouble() >= 24 << 20);
    QVERIFY(killed.value(QStringLiteral("CPUTime")).isDouble());
    const QJsonObject failedStart = QJsonDocument::fromJson(lines[4]).object();
    QVERIFY(failedStart.contains(QStringLiteral("PeakRSS")));
    QVERIFY(failedStart.value(QStringLiteral("PeakRSS")).isNull());
}

void TestExports::htmlReport()
{
    const QString path = m_dir.filePath(QStringLiteral("report.html"));
    QVERIFY_OK(
        LogExporter::write(ExportFormat::Html, path, all(), QStringLiteral("Report <title>")));
    const QString html = QString::fromUtf8(readFile(path));
    QVERIFY(html.startsWith(QStringLiteral("<!DOCTYPE html>")));
    // Output and commands are escaped: the job's script tag is text.
    QVERIFY(html.contains(QStringLiteral("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;")));
    QVERIFY(!html.contains(QStringLiteral("<script")));
    QVERIFY(html.contains(QStringLiteral("<title>Report &lt;title&gt;</title>")));
    // Self-contained: nothing loaded from elsewhere.
    QVERIFY(!html.contains(QStringLiteral("src=")));
    QVERIFY(!html.contains(QRegularExpression(QStringLiteral("href=\"(?!#)"))));
    // A bar per job that ran (the failed start never ran), a section each.
    QCOMPARE(html.count(QStringLiteral("<rect class=\"bar-")), 5);
    QCOMPARE(html.count(QStringLiteral("<details id=\"job-")), 6);
    QVERIFY(html.contains(QStringLiteral("class=\"bar-stopped\"")));
    QVERIFY(html.contains(QStringLiteral("Failed to start: ")));
    QVERIFY(html.contains(QStringLiteral("second line")));
    QVERIFY(html.contains(QStringLiteral("<th>CPU time</th><th>Peak memory</th>")));
    // Color codes become styles, other escapes vanish; text is still escaped.
    const QRegularExpression colored(QStringLiteral(
        "<span style=\"color:#[0-9a-f]{6};font-weight:bold\">red &lt;i&gt;</span> plain"));
    QVERIFY(html.contains(colored));
    QVERIFY(!html.contains(QChar(0x1b)));
    QVERIFY(html.contains(QRegularExpression(QStringLiteral("<td class=\"n\">[\\d.]+ MiB</td>"))));
}

void TestExports::parallelResumeFailedReadsOurJoblog()
{
    const QString parallel = QStandardPaths::findExecutable(QStringLiteral("parallel"));
    if (parallel.isEmpty()) {
        if (qEnvironmentVariableIsSet("CI"))
            QFAIL("GNU parallel is not installed");
        QSKIP("GNU parallel is not installed");
    }
    // procdeck runs five jobs: two fail, one is killed by its timeout.
    QTemporaryDir dir;
    const QString log = dir.filePath(QStringLiteral("joblog"));
    QProcess run;
    run.start(QStringLiteral(PROCDECK_BIN),
              {QStringLiteral("run"), QStringLiteral("-k"), QStringLiteral("--timeout"),
               QStringLiteral("0.3"), QStringLiteral("--joblog"), log,
               QStringLiteral("[ {} != 5 ] || sleep 9; exit {}"), QStringLiteral(":::"),
               QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("0"), QStringLiteral("2"),
               QStringLiteral("5")});
    QVERIFY(run.waitForFinished(30000));
    QCOMPARE(run.exitCode(), 3);
    const QString copy = dir.filePath(QStringLiteral("joblog-for-retry"));
    QVERIFY(QFile::copy(log, copy));
    // The real parallel, given the same jobs and our joblog, reruns exactly
    // the failed ones: 2 (exit 1), 4 (exit 2) and 5 (killed).
    QProcess resume;
    resume.start(parallel, {QStringLiteral("--will-cite"), QStringLiteral("-k"),
                            QStringLiteral("--resume-failed"), QStringLiteral("--joblog"), log,
                            QStringLiteral("echo rerun {#}"), QStringLiteral(":::"),
                            QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("0"),
                            QStringLiteral("2"), QStringLiteral("5")});
    QVERIFY(resume.waitForFinished(60000));
    QCOMPARE(resume.readAllStandardOutput(), QByteArray("rerun 2\nrerun 4\nrerun 5\n"));
    QCOMPARE(resume.exitCode(), 0);
    // --retry-failed reruns the failed commands as our joblog recorded them.
    QProcess retry;
    retry.start(parallel, {QStringLiteral("--will-cite"), QStringLiteral("--retry-failed"),
                           QStringLiteral("--timeout"), QStringLiteral("0.3"),
                           QStringLiteral("--joblog"), copy});
    QVERIFY(retry.waitForFinished(60000));
    QCOMPARE(retry.exitCode(), 3); // the same three fail again
    // parallel appended one line per rerun job: Seqs 2, 4 and 5.
    QFile f(copy);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 1 + 5 + 3);
    QStringList rerun;
    for (const QByteArray &line : lines.mid(6))
        rerun << QString::fromUtf8(line.split('\t').value(0) + ':' + line.split('\t').value(8));
    rerun.sort();
    QCOMPARE(rerun,
             (QStringList{"2:[ 1 != 5 ] || sleep 9; exit 1", "4:[ 2 != 5 ] || sleep 9; exit 2",
                          "5:[ 5 != 5 ] || sleep 9; exit 5"}));
}

void TestExports::unwritableDestinations_data()
{
    QTest::addColumn<int>("format");
    for (ExportFormat f : LogExporter::all())
        QTest::newRow(qPrintable(LogExporter::name(f))) << int(f);
}

void TestExports::unwritableDestinations()
{
    QFETCH(int, format);
    const ExportFormat f = ExportFormat(format);
    QString error;
    // A folder nobody can write into, not even root.
    const QString inProc = QStringLiteral("/proc/self/procdeck-export/out");
    error = LogExporter::write(f, inProc, all(), QString()).error();
    QVERIFY(!error.isEmpty());
    QVERIFY2(error.contains(QStringLiteral("/proc/self")), qPrintable(error));
    QVERIFY(!QFileInfo::exists(inProc));

    QTemporaryDir dir;
    if (::geteuid() != 0) {
        // A read-only folder (root ignores permissions, hence the guard).
        QVERIFY(QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::ExeOwner));
        error.clear();
        error =
            LogExporter::write(f, dir.filePath(QStringLiteral("out")), all(), QString()).error();
        QVERIFY(!error.isEmpty());
        QVERIFY(!error.isEmpty());
        QVERIFY(QDir(dir.path())
                    .entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot)
                    .isEmpty());
        QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                              QFileDevice::ExeOwner);
    }
    // A results folder whose place is taken by a file: the old file stays
    // and no staging folder is left behind.
    if (f == ExportFormat::ResultsFolder) {
        const QString taken = dir.filePath(QStringLiteral("taken"));
        QFile file(taken);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("keep me");
        file.close();
        error.clear();
        error = LogExporter::write(f, taken, all(), QString()).error();
        QVERIFY(!error.isEmpty());
        QVERIFY2(error.contains(QStringLiteral("not a folder")), qPrintable(error));
        QCOMPARE(readFile(taken), QByteArray("keep me"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
                 QStringList{QStringLiteral("taken")});
    }
    // A file export over an existing file that fails leaves the old one.
    error.clear();
    error = LogExporter::write(f, QString(), all(), QString()).error();
    QVERIFY(!error.isEmpty());
    QVERIFY(!error.isEmpty());
}

void TestExports::reportKeepsPercentSignsInCommands()
{
    // printf and date commands are full of %N: they must not be taken for
    // placeholders while the report is put together.
    Scheduler s;
    s.submit(QStringLiteral("pct"), {shell(QStringLiteral("printf '%3d|%1$s\\n' 7"))});
    QTRY_VERIFY(s.isIdle());
    const QString path = m_dir.filePath(QStringLiteral("pct.html"));
    QVERIFY_OK(LogExporter::write(ExportFormat::Html, path, ExportSelection(s, {0}),
                                  QStringLiteral("%1 %2")));
    const QString html = QString::fromUtf8(readFile(path));
    QVERIFY(html.contains(QStringLiteral("<code>printf '%3d|%1$s\\n' 7</code>")));
    QVERIFY(html.contains(QStringLiteral("<title>Job 1: printf '%3d|%1$s\\n' 7 — Exit ")));
    QVERIFY(html.contains(QStringLiteral("<title>%1 %2</title>")));
}

void TestExports::longValuesBecomeNestedFolders()
{
    const QString longValue = QString(300, QLatin1Char('x')) + QStringLiteral("é");
    const QString name = ResultsFolderWriter::folderName(longValue);
    const QStringList pieces = name.split(QLatin1Char('/'));
    QCOMPARE(pieces.size(), 2);
    QCOMPARE(pieces[0].toUtf8().size(), 255);
    QCOMPARE(pieces.join(QString()), longValue);
    JobSpec spec = shell(QStringLiteral("echo long"));
    spec.inputValues = {longValue};
    Scheduler s;
    s.submit(QStringLiteral("long"), {spec});
    QTRY_VERIFY(s.isIdle());
    const QString dir = m_dir.filePath(QStringLiteral("long-results"));
    QVERIFY_OK(
        LogExporter::write(ExportFormat::ResultsFolder, dir, ExportSelection(s, {0}), QString()));
    QCOMPARE(readFile(dir + QStringLiteral("/1/") + name + QStringLiteral("/stdout")),
             QByteArray("long\n"));
}

void TestExports::emptySelectionStillWritesFiles()
{
    Scheduler s;
    for (ExportFormat f :
         {ExportFormat::Joblog, ExportFormat::Csv, ExportFormat::JsonLines, ExportFormat::Html}) {
        const QString path = m_dir.filePath(QStringLiteral("empty-%1").arg(int(f)));
        QVERIFY_OK(LogExporter::write(f, path, ExportSelection(s, {}), QStringLiteral("none")));
        QVERIFY(QFileInfo::exists(path));
    }
    QVERIFY(readFile(m_dir.filePath(QStringLiteral("empty-%1").arg(int(ExportFormat::Csv))))
                .startsWith("Seq,"));
}

void TestExports::folderNames_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("name");
    QTest::newRow("plain") << "a b"
                           << "a b";
    QTest::newRow("slash") << "x/y"
                           << "x\\_y";
    QTest::newRow("backslash") << "a\\b"
                               << "a\\\\b";
    QTest::newRow("empty") << ""
                           << "\\";
    QTest::newRow("dot") << "."
                         << "\\.";
    QTest::newRow("dotdot") << ".."
                            << "\\..";
}

void TestExports::folderNames()
{
    QFETCH(QString, value);
    QFETCH(QString, name);
    QCOMPARE(ResultsFolderWriter::folderName(value), name);
}

void TestExports::valuesThatAreNoUtf8()
{
    // A Latin-1 file name: the joblog, the results folder and CSV keep its
    // bytes, as parallel writes them; JSON Lines and HTML stay valid UTF-8,
    // with U+FFFD for each such byte.
    const QString cafe = RawText::decode("caf\xe9.txt");
    Scheduler scheduler;
    JobSpec spec = child({QStringLiteral("echo"), cafe});
    spec.inputValues = {cafe};
    QSignalSpy finished(&scheduler, &Scheduler::jobFinished);
    scheduler.submit(QStringLiteral("echo {}"), {spec});
    QTRY_COMPARE(finished.size(), 1);
    const ExportSelection jobs(scheduler, {0});
    QCOMPARE(scheduler.store().job(0).output->rawBytes(Stream::Stdout),
             QByteArray("caf\xe9.txt\n"));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString joblog = dir.filePath(QStringLiteral("joblog"));
    QVERIFY_OK(LogExporter::write(ExportFormat::Joblog, joblog, jobs, QString()));
    QVERIFY(readFile(joblog).endsWith("echo 'caf\xe9.txt'\n"));
    const QString csv = dir.filePath(QStringLiteral("jobs.csv"));
    QVERIFY_OK(LogExporter::write(ExportFormat::Csv, csv, jobs, QString()));
    QVERIFY(readFile(csv).contains("echo 'caf\xe9.txt',caf\xe9.txt,"));

    const QString results = dir.filePath(QStringLiteral("results"));
    const QByteArray stdoutFile = QFile::encodeName(results) + "/1/caf\xe9.txt/stdout";
    for (int round = 0; round < 2; ++round) { // a new folder, then into the existing one
        QVERIFY_OK(LogExporter::write(ExportFormat::ResultsFolder, results, jobs, QString()));
        struct stat info;
        QVERIFY2(::stat(stdoutFile.constData(), &info) == 0, stdoutFile.constData());
        QCOMPARE(qint64(info.st_size), qint64(9));
    }
    // Nothing of the staging folders is left beside it.
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
             (QStringList{QStringLiteral("joblog"), QStringLiteral("jobs.csv"),
                          QStringLiteral("results")}));

    const auto isValidUtf8 = [](const QByteArray &bytes) {
        return !RawText::hasEscapes(RawText::decode(bytes));
    };
    for (ExportFormat format : {ExportFormat::JsonLines, ExportFormat::Html}) {
        const QString path = dir.filePath(QStringLiteral("export"));
        QVERIFY_OK(LogExporter::write(format, path, jobs, QString()));
        const QByteArray text = readFile(path);
        QVERIFY2(isValidUtf8(text), text.constData());
        QVERIFY2(text.contains("caf\xef\xbf\xbd.txt"), text.constData()); // U+FFFD
    }
    // QTemporaryDir cannot remove what is named by such bytes.
    QCOMPARE(QProcess::execute(QStringLiteral("rm"), {QStringLiteral("-rf"), results}), 0);
}

QTEST_GUILESS_MAIN(TestExports)
#include "tst_exports.moc"
