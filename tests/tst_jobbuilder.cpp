// JobBuilder and shell quoting: what the launch panel and `procdeck run` input becomes.
#include "app/batch/jobbuilder.h"
#include "app/core/shellquote.h"
#include "app/output/outputlog.h"
#include "app/process/jobrunner.h"
#include "testsupport.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTest>

using namespace procdeck;

class TestJobBuilder : public QObject
{
    Q_OBJECT
private slots:
    void runsCommandTimes();
    void appendsEachArgumentAsOneWord();
    void plainWordsRunWithoutShell_data();
    void plainWordsRunWithoutShell();
    void shellSyntaxRunsUnderShell();
    void badInput_data();
    void badInput();
    void splitWords_data();
    void splitWords();
    void shellQuoteRoundTripsThroughShell_data();
    void shellQuoteRoundTripsThroughShell();
    void groupsValuesIntoJobs();
    void groupingOffKeepsOneTupleAJob();
    void fillsJobsUpToTheLength();
    void maxCommandLengthFitsTheSystem();
    void shufflesBeforeNumbering();
};

void TestJobBuilder::runsCommandTimes()
{
    BatchRequest r;
    r.command = QStringLiteral("sleep 0.1");
    r.times = 10;
    const auto built = JobBuilder::build(r);
    QVERIFY_OK(built);
    const std::vector<JobSpec> &specs = *built;
    QCOMPARE(specs.size(), size_t(10));
    QCOMPARE(specs[9].program, QStringLiteral("sleep"));
    QCOMPARE(specs[9].arguments, QStringList{QStringLiteral("0.1")});
    QCOMPARE(specs[9].displayCommand(), QStringLiteral("sleep 0.1"));
}

void TestJobBuilder::appendsEachArgumentAsOneWord()
{
    BatchRequest r;
    r.command = QStringLiteral("echo 'hello world'");
    r.setArguments({QStringLiteral("a"), QStringLiteral("a b; rm -rf x")});
    const auto built = JobBuilder::build(r);
    QVERIFY_OK(built);
    const std::vector<JobSpec> &specs = *built;
    QCOMPARE(specs.size(), size_t(2));
    QCOMPARE(specs[1].program, QStringLiteral("echo"));
    QCOMPARE(specs[1].arguments,
             (QStringList{QStringLiteral("hello world"), QStringLiteral("a b; rm -rf x")}));
    QCOMPARE(specs[1].displayCommand(), QStringLiteral("echo 'hello world' 'a b; rm -rf x'"));
}

void TestJobBuilder::plainWordsRunWithoutShell_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<bool>("shell");
    QTest::newRow("plain") << "sleep 0.1" << false;
    QTest::newRow("double quotes") << "echo \"a b\"" << false;
    QTest::newRow("single quotes with specials") << "echo 'a | b'" << false;
    QTest::newRow("pipe") << "echo a | wc -c" << false; // a native pipeline
    QTest::newRow("or") << "false || echo a" << true;
    QTest::newRow("redirection") << "echo a > /dev/null" << true;
    QTest::newRow("and") << "true && echo" << true;
    QTest::newRow("variable") << "echo $HOME" << true;
    QTest::newRow("glob") << "ls *.log" << true;
    QTest::newRow("subshell") << "(echo a)" << true;
}

void TestJobBuilder::plainWordsRunWithoutShell()
{
    QFETCH(QString, command);
    QFETCH(bool, shell);
    BatchRequest r;
    r.command = command;
    const auto built = JobBuilder::build(r);
    QVERIFY_OK(built);
    const std::vector<JobSpec> &specs = *built;
    QCOMPARE(specs.size(), size_t(1));
    QCOMPARE(specs[0].usesShell(), shell);
}

void TestJobBuilder::shellSyntaxRunsUnderShell()
{
    BatchRequest r;
    r.command = QStringLiteral("printf '%s\\n' | cat");
    r.setArguments({QStringLiteral("it's $HOME")});
    const auto built = JobBuilder::build(r);
    QVERIFY_OK(built);
    const std::vector<JobSpec> &specs = *built;
    QCOMPARE(specs.size(), size_t(1));
    QVERIFY(specs[0].isPipeline()); // a plain pipeline: chained processes, no shell
    QCOMPARE(specs[0].pipeline[1].arguments, QStringList{"it's $HOME"});
    QCOMPARE(specs[0].displayCommand(), QStringLiteral("printf '%s\\n' | cat 'it'\"'\"'s $HOME'"));
}

void TestJobBuilder::badInput_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<int>("times");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << "" << 1 << "the command is empty";
    QTest::newRow("blank") << "   " << 1 << "the command is empty";
    QTest::newRow("unbalanced single") << "echo 'abc" << 1 << "unbalanced quote ' at column 6";
    QTest::newRow("unbalanced double") << "ls \"x' y" << 1 << "unbalanced quote \" at column 4";
    QTest::newRow("zero runs") << "true" << 0 << "at least 1";
}

void TestJobBuilder::badInput()
{
    QFETCH(QString, command);
    QFETCH(int, times);
    QFETCH(QString, message);
    BatchRequest r;
    r.command = command;
    r.times = times;
    const auto built = JobBuilder::build(r);
    QVERIFY(!built);
    QVERIFY2(built.error().contains(message), qPrintable(built.error()));
}

void TestJobBuilder::splitWords_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QStringList>("words");
    QTest::newRow("plain") << "sleep 0.1" << QStringList{"sleep", "0.1"};
    QTest::newRow("extra blanks") << "  a \t b  " << QStringList{"a", "b"};
    QTest::newRow("single quotes") << "echo 'a  b' 'it\"s'" << QStringList{"echo", "a  b", "it\"s"};
    QTest::newRow("double quotes")
        << "echo \"a 'b'\" \"q\\\"q\"" << QStringList{"echo", "a 'b'", "q\"q"};
    QTest::newRow("backslash") << "echo a\\ b" << QStringList{"echo", "a b"};
    QTest::newRow("adjacent quoting") << "x'a'\"b\"c" << QStringList{"xabc"};
    QTest::newRow("empty quoted word") << "echo '' \"\"" << QStringList{"echo", "", ""};
}

void TestJobBuilder::splitWords()
{
    QFETCH(QString, command);
    QFETCH(QStringList, words);
    QCOMPARE(procdeck::splitWords(command), words);
}

void TestJobBuilder::shellQuoteRoundTripsThroughShell_data()
{
    QTest::addColumn<QString>("word");
    QTest::newRow("plain") << "abc";
    QTest::newRow("empty") << "";
    QTest::newRow("space") << "a b";
    QTest::newRow("quote") << "it's";
    QTest::newRow("specials") << "$HOME `id` \"x\" ; | & * ? \\ ! #";
    QTest::newRow("newline and tab") << "a\nb\tc";
    QTest::newRow("unicode") << "café ☕";
}

void TestJobBuilder::shellQuoteRoundTripsThroughShell()
{
    QFETCH(QString, word);
    JobSpec spec = testsupport::shell(QStringLiteral("printf %s ") + shellQuote(word));
    OutputLog log;
    JobRunner runner(spec, &log);
    QSignalSpy finished(&runner, &JobRunner::finished);
    runner.start();
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(runner.result().exitCode, 0);
    QCOMPARE(QString::fromUtf8(log.rawBytes(Stream::Stdout)), word);
}

void TestJobBuilder::groupsValuesIntoJobs()
{
    BatchRequest r;
    r.command = QStringLiteral("echo {2} {}");
    r.setArguments({"a", "b", "c", "d", "e"});
    r.grouping.maxRecords = 2;
    r.grouping.describedAs = QStringLiteral("-n 2");
    r.timeoutMs = 500;
    auto built = JobBuilder::build(r);
    QVERIFY_OK(built);
    QCOMPARE(built->size(), size_t(3));
    QCOMPARE((*built)[0].arguments, (QStringList{"b", "a", "b"}));
    QCOMPARE((*built)[2].arguments, QStringList{"e"});
    QCOMPARE((*built)[2].inputValues, QStringList{"e"});
    QCOMPARE((*built)[2].timeoutMs, 500); // what every job shares still applies
    QCOMPARE(JobBuilder::jobCount(r), 3);
    QCOMPARE(JobBuilder::preview(r, 2).value(), (QStringList{"echo b a b", "echo d c d"}));

    r.command = QStringLiteral("echo {3}");
    built = JobBuilder::build(r);
    QVERIFY(!built);
    QVERIFY2(built.error().contains(QStringLiteral("no job has more than 2 (-n 2)")),
             qPrintable(built.error()));

    // Whole commands: a job's values, joined, are its command.
    BatchRequest commands;
    commands.valuesAreCommands = true;
    commands.setArguments({"echo a", "echo b", "true"});
    commands.grouping.maxRecords = 2;
    built = JobBuilder::build(commands);
    QVERIFY_OK(built);
    QCOMPARE(built->size(), size_t(2));
    QCOMPARE((*built)[0].arguments, (QStringList{"a", "echo", "b"}));
    QCOMPARE((*built)[1].program, QStringLiteral("true"));
}

void TestJobBuilder::groupingOffKeepsOneTupleAJob()
{
    // The window's batches: no grouping, one job per tuple, as before.
    BatchRequest r;
    r.command = QStringLiteral("echo {2} {1}");
    r.sources = {InputSource{{"a", "b"}, false}, InputSource{{"1"}, false}};
    QVERIFY(!r.grouping.isActive());
    const auto built = JobBuilder::build(r);
    QVERIFY_OK(built);
    QCOMPARE(built->size(), size_t(2));
    QCOMPARE((*built)[1].arguments, (QStringList{"1", "b"}));
    QCOMPARE((*built)[1].displayCommand(), QStringLiteral("echo 1 b"));
}

static QStringList commandsOf(const BatchRequest &r)
{
    const auto built = JobBuilder::build(r);
    if (!built)
        return {built.error()};
    QStringList commands;
    for (const JobSpec &spec : *built)
        commands << spec.displayCommand();
    return commands;
}

void TestJobBuilder::fillsJobsUpToTheLength()
{
    BatchRequest r;
    r.command = QStringLiteral("echo");
    r.setArguments({"aaaa", "bbbb", "cccc", "dddd", "eeee", "ffff"});
    r.grouping.fill = true;
    r.grouping.jobSlots = 1;
    // Shorter than 20 bytes: "echo aaaa bbbb cccc" is 19.
    r.grouping.maxChars = 20;
    QCOMPARE(commandsOf(r), (QStringList{"echo aaaa bbbb cccc", "echo dddd eeee ffff"}));
    r.grouping.maxChars = 19;
    QCOMPARE(commandsOf(r), (QStringList{"echo aaaa bbbb", "echo cccc dddd", "echo eeee ffff"}));
    // The end of the input spread over the slots: 6 values, 2 slots.
    r.grouping.maxChars = 0;
    r.grouping.jobSlots = 2;
    QCOMPARE(commandsOf(r), (QStringList{"echo aaaa bbbb cccc", "echo dddd eeee ffff"}));
    // A cap (-n 4) first, then the last two spread: 4, 1, 1.
    r.grouping.maxRecords = 4;
    QCOMPARE(commandsOf(r), (QStringList{"echo aaaa bbbb cccc dddd", "echo eeee", "echo ffff"}));
    // -j0: no limit on slots, one value a job.
    r.grouping.maxRecords = -1;
    r.grouping.jobSlots = 0;
    QCOMPARE(commandsOf(r).size(), 6);
    // Context replace, and {#} whose length grows with the job's number.
    r.grouping.jobSlots = 1;
    r.grouping.contextReplace = true;
    r.grouping.maxChars = 24;
    r.command = QStringLiteral("echo {#} x{}");
    QStringList values;
    for (int i = 0; i < 40; ++i)
        values << QStringLiteral("v");
    r.setArguments(values);
    const QStringList commands = commandsOf(r);
    QVERIFY(commands.size() > 4);
    int seen = 0;
    for (const QString &c : commands) {
        QVERIFY2(c.toUtf8().size() < 24, qPrintable(c));
        seen += int(c.count(QStringLiteral("xv")));
    }
    QCOMPARE(seen, 40);
    // A value that does not fit at all.
    r.setArguments({"v", QString(30, QLatin1Char('w'))});
    const auto tooLong = JobBuilder::build(r);
    QVERIFY(!tooLong);
    QVERIFY2(tooLong.error().contains(QStringLiteral("command line too long")) &&
                 tooLong.error().contains(QStringLiteral("for input 2")),
             qPrintable(tooLong.error()));
    // Positional replacement strings mean nothing here.
    r.command = QStringLiteral("echo {1}");
    QVERIFY(!JobBuilder::build(r));
}

void TestJobBuilder::maxCommandLengthFitsTheSystem()
{
    // A shell command of the longest length runs (it is one argument).
    const qsizetype length = JobBuilder::maxCommandLength();
    QVERIFY(length >= 4096);
    QString command = QStringLiteral(": ");
    command += QString(length - 1 - command.size(), QLatin1Char('x'));
    QCOMPARE(command.toUtf8().size() + 1, length);
    QProcess sh;
    sh.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), command});
    QVERIFY2(sh.waitForFinished(10000), qPrintable(sh.errorString()));
    QCOMPARE(sh.exitStatus(), QProcess::NormalExit);
    QCOMPARE(sh.exitCode(), 0);
}

void TestJobBuilder::shufflesBeforeNumbering()
{
    // --shuf: a random order, and {#} counts in it (as parallel's Seq).
    BatchRequest r;
    r.command = QStringLiteral("echo {#} {}");
    QStringList values;
    for (int i = 1; i <= 50; ++i)
        values << QString::number(i);
    r.setArguments(values);
    r.grouping.shuffle = true;
    const auto built = JobBuilder::build(r);
    QVERIFY_OK(built);
    QCOMPARE(built->size(), size_t(50));
    QStringList order;
    for (size_t i = 0; i < built->size(); ++i) {
        const JobSpec &spec = (*built)[i];
        QCOMPARE(spec.arguments.value(0), QString::number(i + 1));
        order << spec.arguments.value(1);
    }
    QVERIFY2(order != values, "50 values kept their order (1 chance in 50!)");
    order.sort();
    values.sort();
    QCOMPARE(order, values); // each value once
    // With -n 2: the values are shuffled, then paired.
    r.grouping.maxRecords = 2;
    r.command = QStringLiteral("echo");
    const auto paired = JobBuilder::build(r);
    QVERIFY_OK(paired);
    QCOMPARE(paired->size(), size_t(25));
}

QTEST_GUILESS_MAIN(TestJobBuilder)
#include "tst_jobbuilder.moc"
