// BatchFile: the text format batches are saved in and opened from.
#include "app/batch/batchfile.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace procdeck;

class TestBatchFile : public QObject
{
    Q_OBJECT
private slots:
    void parsesEveryKey();
    void roundTrips();
    void terminalOption_data();
    void terminalOption();
    void errorsNameTheLine_data();
    void errorsNameTheLine();
    void shippedExamplesParse();
};

void TestBatchFile::parsesEveryKey()
{
    const Expected<BatchFile> parsed = BatchFile::parse(
        QStringLiteral("# comment\r\ncommand: gzip -k\nparallel: 3\nruns: 2\n"
                       "directory: /tmp\n---\na.log\n\n# kept: an argument\nb c.log\n"));
    QVERIFY_OK(parsed);
    const BatchFile &f = *parsed;
    QCOMPARE(f.request.command, QStringLiteral("gzip -k"));
    QCOMPARE(f.parallel, 3);
    QCOMPARE(f.request.times, 2);
    QCOMPARE(f.request.workingDirectory, QStringLiteral("/tmp"));
    QCOMPARE(f.request.arguments(), (QStringList{"a.log", "# kept: an argument", "b c.log"}));
}

void TestBatchFile::roundTrips()
{
    BatchFile f;
    f.request.command = QStringLiteral("echo 'x: y'");
    f.request.setArguments({QStringLiteral("one"), QStringLiteral(" two ")});
    f.parallel = 5;
    f.request.timeoutMs = 2500;
    f.request.attempts = 3;
    f.request.environment = {QStringLiteral("A=1"), QStringLiteral("B=two words")};
    f.request.stdinMode = BatchRequest::Stdin::File;
    f.request.stdinText = QStringLiteral("/etc/hostname");
    const Expected<BatchFile> parsed = BatchFile::parse(f.toText());
    QVERIFY_OK(parsed);
    const BatchFile &back = *parsed;
    QCOMPARE(back.request.timeoutMs, 2500);
    QCOMPARE(back.request.attempts, 3);
    QCOMPARE(back.request.environment, f.request.environment);
    QCOMPARE(back.request.stdinMode, BatchRequest::Stdin::File);
    QCOMPARE(back.request.stdinText, QStringLiteral("/etc/hostname"));
    QCOMPARE(back.request.command, f.request.command);
    QCOMPARE(back.request.arguments(), f.request.arguments());
    QCOMPARE(back.parallel, 5);
    QCOMPARE(back.request.usePty, false);
    QVERIFY(!f.toText().contains(QStringLiteral("terminal"))); // off: not written
}

void TestBatchFile::terminalOption_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("usePty");
    QTest::newRow("yes") << "yes" << true;
    QTest::newRow("Yes") << "Yes" << true;
    QTest::newRow("true") << "true" << true;
    QTest::newRow("1") << "1" << true;
    QTest::newRow("no") << "no" << false;
    QTest::newRow("false") << "false" << false;
    QTest::newRow("0") << "0" << false;
}

void TestBatchFile::terminalOption()
{
    QFETCH(QString, value);
    QFETCH(bool, usePty);
    const Expected<BatchFile> parsed =
        BatchFile::parse(QStringLiteral("command: ls --color=auto\nterminal: %1\n").arg(value));
    QVERIFY_OK(parsed);
    QCOMPARE(parsed->request.usePty, usePty);
    // Saved and opened again, and copied into every job.
    const Expected<BatchFile> back = BatchFile::parse(parsed->toText());
    QVERIFY_OK(back);
    QCOMPARE(back->request.usePty, usePty);
    BatchRequest request = back->request;
    request.setArguments({QStringLiteral("a"), QStringLiteral("b")});
    const auto specs = JobBuilder::build(request);
    QVERIFY_OK(specs);
    QCOMPARE(specs->size(), size_t(2));
    for (const JobSpec &spec : *specs)
        QCOMPARE(spec.usePty, usePty);
}

void TestBatchFile::errorsNameTheLine_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    QTest::newRow("no command") << "parallel: 2\n---\na\n"
                                << "no \"command:\" line";
    QTest::newRow("bad parallel") << "command: x\nparallel: many\n"
                                  << "line 2: parallel must be";
    QTest::newRow("bad runs") << "command: x\nruns: 0\n"
                              << "line 2: runs must be";
    QTest::newRow("unknown key") << "command: x\ncolour: red\n"
                                 << "line 2: unknown key \"colour\"";
    QTest::newRow("bad terminal") << "command: x\nterminal: maybe\n"
                                  << "line 2: terminal must be yes or no, not \"maybe\"";
    QTest::newRow("not a key") << "# c\nsleep 1\n"
                               << "line 2: expected \"key: value\"";
}

void TestBatchFile::errorsNameTheLine()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    const Expected<BatchFile> parsed = BatchFile::parse(text);
    QVERIFY(!parsed);
    QVERIFY2(parsed.error().contains(message), qPrintable(parsed.error()));
}

void TestBatchFile::shippedExamplesParse()
{
    const QDir dir(QStringLiteral(EXAMPLES_DIR));
    const QStringList names = dir.entryList({QStringLiteral("*.batch")});
    QVERIFY(names.size() >= 3);
    for (const QString &name : names) {
        QFile file(dir.filePath(name));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const Expected<BatchFile> parsed = BatchFile::parse(QString::fromUtf8(file.readAll()));
        QVERIFY2(parsed, qPrintable(name + QStringLiteral(": ") + parsed.error()));
        QVERIFY(!parsed->request.command.isEmpty());
    }
}

QTEST_GUILESS_MAIN(TestBatchFile)
#include "tst_batchfile.moc"
