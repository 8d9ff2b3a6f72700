// CommandTemplate and InputSources: GNU parallel's replacement strings,
// quoting, how a template runs (direct, pipeline, shell), input order.
#include "app/batch/commandtemplate.h"
#include "app/batch/inputsources.h"
#include "testsupport.h"

#include <QRegularExpression>
#include <QTest>

using namespace procdeck;

class TestCommandTemplate : public QObject
{
    Q_OBJECT
private slots:
    void replacementStrings_data();
    void replacementStrings();
    void positional();
    void appendsWhenNoReplacement();
    void modes_data();
    void modes();
    void directWordsAreExact();
    void pipelineStages();
    void quotedValueKeepsParallelsQuotes();
    void slotIsFilledAtStart();
    void errors_data();
    void errors();
    void combine_data();
    void combine();
    void splitLines();
    void groupPositionalCountsThroughValues();
    void groupLeavesOutMissingValues();
    void groupContextReplace();
    void groupOfNoValues();
    void groupErrors();
    void groupLengths_data();
    void groupLengths();
    void joinContinuedLines();
    void splitColumns_data();
    void splitColumns();
    void headerNames();
    void columnNames();
    void quotedWords();
};

void TestCommandTemplate::replacementStrings_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");
    // The same table GNU parallel prints for: echo {} {.} {/} {//} {/.} {#}
    QTest::newRow("a/b.c") << "a/b.c"
                           << "echo a/b.c a/b b.c a b 3";
    QTest::newRow("d.e") << "d.e"
                         << "echo d.e d d.e . d 3";
    QTest::newRow("f") << "f"
                       << "echo f f f . f 3";
    QTest::newRow("dotfile") << ".bashrc"
                             << "echo .bashrc '' .bashrc . '' 3";
    QTest::newRow("two extensions") << "x.tar.gz"
                                    << "echo x.tar.gz x.tar x.tar.gz . x.tar 3";
    QTest::newRow("dot in dir") << "d.x/f"
                                << "echo d.x/f d.x/f f d.x f 3";
    QTest::newRow("trailing slash") << "dir/"
                                    << "echo dir/ dir/ '' . '' 3";
    QTest::newRow("absolute") << "/x"
                              << "echo /x /x x / x 3";
    QTest::newRow("space") << "g h/i"
                           << "echo 'g h/i' 'g h/i' i 'g h' i 3";
}

void TestCommandTemplate::replacementStrings()
{
    QFETCH(QString, value);
    QFETCH(QString, expected);
    const auto t = CommandTemplate::parse(QStringLiteral("echo {} {.} {/} {//} {/.} {#}"), 1);
    QVERIFY2(t, qPrintable(t.error()));
    QCOMPARE(t->commandText({value}, 3), expected);
}

void TestCommandTemplate::positional()
{
    const auto t = CommandTemplate::parse(QStringLiteral("cp {1} {2/}/{1/.}.bak"), 2);
    QVERIFY(t);
    QCOMPARE(t->mode(), CommandTemplate::Mode::Direct);
    const JobSpec spec = t->expand({QStringLiteral("src/a b.txt"), QStringLiteral("x/dest")}, 1);
    QCOMPARE(spec.program, QStringLiteral("cp"));
    QCOMPARE(spec.arguments, (QStringList{"src/a b.txt", "dest/a b.bak"}));
    QCOMPARE(spec.displayCommand(), QStringLiteral("cp 'src/a b.txt' dest/'a b'.bak"));
}

void TestCommandTemplate::appendsWhenNoReplacement()
{
    const auto one = CommandTemplate::parse(QStringLiteral("gzip -k"), 1);
    QVERIFY(one);
    JobSpec spec = one->expand({QStringLiteral("a b.log")}, 1);
    QCOMPARE(spec.arguments, (QStringList{"-k", "a b.log"}));
    QCOMPARE(spec.displayCommand(), QStringLiteral("gzip -k 'a b.log'"));

    const auto two = CommandTemplate::parse(QStringLiteral("echo"), 2);
    QVERIFY(two);
    spec = two->expand({QStringLiteral("a"), QStringLiteral("b c")}, 1);
    QCOMPARE(spec.arguments, (QStringList{"a", "b c"}));
    QCOMPARE(spec.displayCommand(), QStringLiteral("echo a 'b c'"));

    const auto whole = CommandTemplate::parse(QStringLiteral("echo hi"), 0, false);
    QVERIFY(whole);
    QCOMPARE(whole->expand({}, 1).arguments, QStringList{"hi"});
}

void TestCommandTemplate::modes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("mode");
    const int direct = int(CommandTemplate::Mode::Direct);
    const int pipeline = int(CommandTemplate::Mode::Pipeline);
    const int shell = int(CommandTemplate::Mode::Shell);
    QTest::newRow("plain") << "gzip -k {}" << direct;
    QTest::newRow("quoted literal") << "echo 'a | b' {}" << direct;
    QTest::newRow("pipeline") << "cat {} | sort | uniq -c" << pipeline;
    QTest::newRow("or") << "false || echo {}" << shell;
    QTest::newRow("and") << "true && echo {}" << shell;
    QTest::newRow("list") << "echo a; echo {}" << shell;
    QTest::newRow("redirect") << "echo {} > /dev/null" << shell;
    QTest::newRow("variable") << "echo $HOME {}" << shell;
    QTest::newRow("glob") << "ls *.c {}" << shell;
    QTest::newRow("subshell") << "(echo {})" << shell;
    QTest::newRow("builtin") << "exit {}" << shell;
    QTest::newRow("assignment") << "A=1 env {}" << shell;
    QTest::newRow("value as program") << "{} --version" << shell;
    QTest::newRow("value in quotes") << "echo \"{}\"" << shell;
    QTest::newRow("literal braces") << "echo {abc} {}" << shell;
    QTest::newRow("empty stage") << "echo {} |" << shell;
}

void TestCommandTemplate::modes()
{
    QFETCH(QString, text);
    QFETCH(int, mode);
    const auto t = CommandTemplate::parse(text, 1);
    QVERIFY2(t, qPrintable(t.error()));
    QCOMPARE(int(t->mode()), mode);
}

void TestCommandTemplate::directWordsAreExact()
{
    const auto t = CommandTemplate::parse(QStringLiteral("printf '%s|' x{}y {}"), 1);
    QVERIFY(t);
    QCOMPARE(t->mode(), CommandTemplate::Mode::Direct);
    const QString nasty = QStringLiteral("a b; rm -rf x $HOME 'q' \"d\" \\ *");
    const JobSpec spec = t->expand({nasty}, 1);
    QCOMPARE(spec.program, QStringLiteral("printf"));
    QCOMPARE(spec.arguments, (QStringList{"%s|", "x" + nasty + "y", nasty}));
}

void TestCommandTemplate::pipelineStages()
{
    const auto t = CommandTemplate::parse(QStringLiteral("cat {} | tr a-z A-Z | wc -c"), 1);
    QVERIFY(t);
    const JobSpec spec = t->expand({QStringLiteral("my file")}, 1);
    QVERIFY(spec.isPipeline());
    QCOMPARE(spec.pipeline.size(), 3);
    QCOMPARE(spec.pipeline[0].program, QStringLiteral("cat"));
    QCOMPARE(spec.pipeline[0].arguments, QStringList{"my file"});
    QCOMPARE(spec.pipeline[1].arguments, (QStringList{"a-z", "A-Z"}));
    QCOMPARE(spec.pipeline[2].program, QStringLiteral("wc"));
    QCOMPARE(spec.displayCommand(), QStringLiteral("cat 'my file' | tr a-z A-Z | wc -c"));
}

void TestCommandTemplate::quotedValueKeepsParallelsQuotes()
{
    // parallel 'echo "{}"' ::: "a b" runs echo "'a b'" and prints 'a b'.
    const auto t = CommandTemplate::parse(QStringLiteral("echo \"{}\""), 1);
    QVERIFY(t);
    const JobSpec spec = t->expand({QStringLiteral("a b")}, 1);
    QVERIFY(spec.usesShell());
    QCOMPARE(spec.shellCommand, QStringLiteral("echo \"'a b'\""));
}

void TestCommandTemplate::slotIsFilledAtStart()
{
    const auto t = CommandTemplate::parse(QStringLiteral("echo {%} {#}"), 1);
    QVERIFY(t);
    QVERIFY(t->usesSlot());
    JobSpec spec = t->expand({QStringLiteral("x")}, 7);
    CommandTemplate::fillSlot(&spec, 3);
    QCOMPARE(spec.arguments, (QStringList{"3", "7"}));
    QCOMPARE(spec.displayCommand(), QStringLiteral("echo 3 7"));
}

void TestCommandTemplate::errors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("sources");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << "  " << 1 << "the command template is empty";
    QTest::newRow("unbalanced") << "echo 'abc {}" << 1 << "unbalanced quote ' at column 6";
    QTest::newRow("beyond sources")
        << "echo {3}" << 2 << "{3} at column 6 refers to input source 3, but there are only 2";
    QTest::newRow("positional, one source") << "echo {2}" << 1 << "there is only 1";
    QTest::newRow("unknown") << "echo {..}" << 1 << "unknown replacement string {..} at column 6";
    QTest::newRow("unknown positional") << "echo {1#}" << 1 << "unknown replacement string {1#}";
    QTest::newRow("zero") << "echo {0}" << 1 << "refers to input source 0";
}

void TestCommandTemplate::errors()
{
    QFETCH(QString, text);
    QFETCH(int, sources);
    QFETCH(QString, message);
    const auto t = CommandTemplate::parse(text, sources);
    QVERIFY(!t);
    QVERIFY2(t.error().contains(message), qPrintable(t.error()));
}

void TestCommandTemplate::combine_data()
{
    QTest::addColumn<QList<InputSource>>("sources");
    QTest::addColumn<bool>("link");
    QTest::addColumn<QStringList>("expected"); // tuples joined with ","
    const InputSource ab{{"a", "b"}, false};
    const InputSource n12{{"1", "2"}, false};
    const InputSource xyz{{"x", "y", "z"}, false};
    QTest::newRow("one") << QList<InputSource>{ab} << false << QStringList{"a", "b"};
    QTest::newRow("product, first slowest")
        << QList<InputSource>{ab, n12} << false << QStringList{"a,1", "a,2", "b,1", "b,2"};
    QTest::newRow("three") << QList<InputSource>{ab, n12, InputSource{{"p"}, false}} << false
                           << QStringList{"a,1,p", "a,2,p", "b,1,p", "b,2,p"};
    QTest::newRow(":::+ shortest") << QList<InputSource>{xyz, InputSource{{"1", "2"}, true}}
                                   << false << QStringList{"x,1", "y,2"};
    QTest::newRow("--link wraps") << QList<InputSource>{xyz, n12} << true
                                  << QStringList{"x,1", "y,2", "z,1"};
    QTest::newRow(":::+ then product")
        << QList<InputSource>{ab, InputSource{{"1", "2"}, true}, InputSource{{"p", "q"}, false}}
        << false << QStringList{"a,1,p", "a,1,q", "b,2,p", "b,2,q"};
    QTest::newRow("empty source") << QList<InputSource>{ab, InputSource{{}, false}} << false
                                  << QStringList{};
}

void TestCommandTemplate::combine()
{
    QFETCH(QList<InputSource>, sources);
    QFETCH(bool, link);
    QFETCH(QStringList, expected);
    QStringList got;
    for (const QStringList &tuple : InputSources::combine(sources, link))
        got << tuple.join(QLatin1Char(','));
    QCOMPARE(got, expected);
}

void TestCommandTemplate::splitLines()
{
    QCOMPARE(InputSources::splitLines("a\nb c\r\n\nd"), (QStringList{"a", "b c", "", "d"}));
    QCOMPARE(InputSources::splitLines("a\n"), QStringList{"a"});
    QCOMPARE(InputSources::splitLines(""), QStringList{});
}

static QList<QStringList> records(std::initializer_list<QStringList> list)
{
    return QList<QStringList>(list);
}

void TestCommandTemplate::groupPositionalCountsThroughValues()
{
    // -n2 of two sources: {1}..{4} are the two tuples' values in order.
    CommandTemplate::Options o;
    o.valueCount = 4;
    const auto t = CommandTemplate::parse(QStringLiteral("cp {1} {4} {}"), o);
    QVERIFY_OK(t);
    QCOMPARE(t->mode(), CommandTemplate::Mode::Direct);
    const JobSpec spec = t->expandGroup(records({{"a", "1"}, {"b c", "2"}}), 1);
    QCOMPARE(spec.arguments, (QStringList{"a", "2", "a", "1", "b c", "2"}));
    QCOMPARE(spec.inputValues, (QStringList{"a", "1", "b c", "2"}));
    QCOMPARE(spec.displayCommand(), QStringLiteral("cp a 2 a 1 'b c' 2"));
}

void TestCommandTemplate::groupLeavesOutMissingValues()
{
    // The last job of -n2 over three values: {2} is nothing, as parallel
    // leaves it, not an empty word.
    CommandTemplate::Options o;
    o.valueCount = 2;
    const auto direct = CommandTemplate::parse(QStringLiteral("echo {2} {1} x{2}"), o);
    QVERIFY_OK(direct);
    QCOMPARE(direct->mode(), CommandTemplate::Mode::Direct);
    JobSpec spec = direct->expandGroup(records({{"e"}}), 3);
    QCOMPARE(spec.arguments, (QStringList{"e", "x"}));
    QCOMPARE(spec.displayCommand(), QStringLiteral("echo  e x"));
    const auto shell = CommandTemplate::parse(QStringLiteral("echo {2}; echo {1}"), o);
    QVERIFY_OK(shell);
    spec = shell->expandGroup(records({{"e"}}), 3);
    QCOMPARE(spec.shellCommand, QStringLiteral("echo ; echo e"));
    // An empty value is still a value.
    spec = direct->expandGroup(records({{""}, {""}}), 1);
    QCOMPARE(spec.arguments, (QStringList{"", "", "x"}));
}

void TestCommandTemplate::groupContextReplace()
{
    CommandTemplate::Options o;
    o.valueCount = 3;
    o.contextReplace = true;
    const QList<QStringList> three = records({{"a"}, {"b c"}, {"d.e"}});
    // Direct: the word holding {} once per value; positional words once.
    const auto direct = CommandTemplate::parse(QStringLiteral("echo pre{}post {.}x {1} {#}"), o);
    QVERIFY_OK(direct);
    QCOMPARE(direct->mode(), CommandTemplate::Mode::Direct);
    JobSpec spec = direct->expandGroup(three, 7);
    QCOMPARE(spec.arguments,
             (QStringList{"preapost", "preb cpost", "pred.epost", "ax", "b cx", "dx", "a", "7"}));
    QCOMPARE(spec.displayCommand(),
             QStringLiteral("echo preapost pre'b c'post pred.epost ax 'b c'x dx a 7"));
    // Shell: the context is the text up to the blanks around it.
    const auto shell = CommandTemplate::parse(QStringLiteral("echo x{}y;echo {1}-{}"), o);
    QVERIFY_OK(shell);
    QCOMPARE(shell->mode(), CommandTemplate::Mode::Shell);
    spec = shell->expandGroup(three, 1);
    // "x{}y;echo" has no blank: it is one context, as in parallel.
    QCOMPARE(spec.shellCommand,
             QStringLiteral("echo xay;echo x'b c'y;echo xd.ey;echo a-a a-'b c' a-d.e"));
    // Two sources: the context once per value, not per tuple, as parallel
    // (-X echo {}x ::: a b ::: 1 2 runs echo ax 1x ax 2x ...).
    o.valueCount = 4;
    const auto two = CommandTemplate::parse(QStringLiteral("echo {}x"), o);
    QVERIFY_OK(two);
    QCOMPARE(two->mode(), CommandTemplate::Mode::Direct);
    spec = two->expandGroup(records({{"a", "1"}, {"b", "2"}}), 1);
    QCOMPARE(spec.arguments, (QStringList{"ax", "1x", "bx", "2x"}));
    QCOMPARE(spec.displayCommand(), QStringLiteral("echo ax 1x bx 2x"));
}

void TestCommandTemplate::groupOfNoValues()
{
    // -N0: a job per input value, none of them in the command.
    CommandTemplate::Options o;
    o.valueCount = 0;
    o.contextReplace = true;
    const auto t = CommandTemplate::parse(QStringLiteral("echo x {} {#}"), o);
    QVERIFY_OK(t);
    const JobSpec spec = t->expandGroup({}, 2);
    QCOMPARE(spec.arguments, (QStringList{"x", "2"}));
    QCOMPARE(spec.displayCommand(), QStringLiteral("echo x  2"));
    const auto appended = CommandTemplate::parse(QStringLiteral("echo x"), o);
    QVERIFY_OK(appended);
    QCOMPARE(appended->expandGroup({}, 1).arguments, QStringList{"x"});
}

void TestCommandTemplate::groupErrors()
{
    CommandTemplate::Options o;
    o.valueCount = 2;
    o.valueLimit = QStringLiteral("no job has more than 2 (-n 2)");
    auto t = CommandTemplate::parse(QStringLiteral("echo {3}"), o);
    QVERIFY(!t);
    QCOMPARE(t.error(), QStringLiteral("replacement string {3} at column 6 refers to value 3, but "
                                       "no job has more than 2 (-n 2)"));
    o.positionalAllowed = false;
    t = CommandTemplate::parse(QStringLiteral("echo {} {1}"), o);
    QVERIFY(!t);
    QVERIFY2(t.error().contains(QStringLiteral("{1} at column 9")), qPrintable(t.error()));
}

void TestCommandTemplate::groupLengths_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("context");
    QTest::newRow("appended") << "echo" << false;
    QTest::newRow("in a word") << "echo pre{}post {.} {#}" << false;
    QTest::newRow("shell") << "echo {} | wc -c; echo {/} {%}" << false;
    QTest::newRow("context") << "echo pre{}post {.}x {#}" << true;
    QTest::newRow("context, shell") << "echo a{}b;echo {} >/dev/null" << true;
    QTest::newRow("context, several in a word") << "echo {}={/}" << true;
}

void TestCommandTemplate::groupLengths()
{
    // -m and -X fill a command line by adding up lengths: the sum must be
    // the command's real length in bytes, for any number of records.
    QFETCH(QString, text);
    QFETCH(bool, context);
    CommandTemplate::Options o;
    o.valueCount = 100;
    o.contextReplace = context;
    o.positionalAllowed = false;
    const auto t = CommandTemplate::parse(text, o);
    QVERIFY_OK(t);
    const QList<QStringList> all = records(
        {{"a", "b c"}, {"it's", ""}, {"h\u00e9llo \u2713", "x/y.z"}, {"$HOME", "\U0001F600"}});
    for (int n = 1; n <= all.size(); ++n) {
        const QList<QStringList> some = all.mid(0, n);
        qsizetype sum = t->baseLength(12);
        for (const QStringList &r : some)
            sum += t->recordLength(r, 12);
        QCOMPARE(sum, t->groupText(some, 12).toUtf8().size());
    }
}

void TestCommandTemplate::joinContinuedLines()
{
    QCOMPARE(InputSources::joinContinuedLines({"a b", "c ", "d", "e\t", "f", "g"}),
             (QStringList{"a b", "c d", "e\tf", "g"}));
    QCOMPARE(InputSources::joinContinuedLines({"a", "b  "}), (QStringList{"a", "b  "}));
    QCOMPARE(InputSources::joinContinuedLines({"", " ", "x"}), (QStringList{"", " x"}));
    QCOMPARE(InputSources::joinContinuedLines({}), QStringList{});
}

void TestCommandTemplate::splitColumns_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("separator");
    QTest::addColumn<bool>("trim");
    QTest::addColumn<QStringList>("columns");
    // What Perl's split(/SEP/, VALUE, -1) gives, as parallel --colsep does.
    QTest::newRow("plain") << "a,b"
                           << "," << false << QStringList{"a", "b"};
    QTest::newRow("trailing empty") << "a,b,,"
                                    << "," << false << QStringList{"a", "b", "", ""};
    QTest::newRow("leading empty") << ",a"
                                   << "," << false << QStringList{"", "a"};
    QTest::newRow("empty value") << ""
                                 << "," << false << QStringList{""};
    QTest::newRow("no separator") << "abc"
                                  << "," << false << QStringList{"abc"};
    QTest::newRow("regex") << "a,;b;c"
                           << "[,;]+" << false << QStringList{"a", "b", "c"};
    QTest::newRow("empty match") << "ab"
                                 << "x*" << false << QStringList{"a", "b", ""};
    QTest::newRow("trim") << " a ,\tb\t, c"
                          << "," << true << QStringList{"a", "b", "c"};
    QTest::newRow("trim keeps inner blanks") << " a b "
                                             << "," << true << QStringList{"a b"};
    QTest::newRow("no trim") << " a , b"
                             << "," << false << QStringList{" a ", " b"};
}

void TestCommandTemplate::splitColumns()
{
    QFETCH(QString, value);
    QFETCH(QString, separator);
    QFETCH(bool, trim);
    QFETCH(QStringList, columns);
    QCOMPARE(InputSources::splitColumns(value, QRegularExpression(separator), trim), columns);
}

void TestCommandTemplate::headerNames()
{
    const QRegularExpression comma(QStringLiteral(","));
    QCOMPARE(InputSources::headerNames(QStringLiteral("a,b,,"), comma), (QStringList{"a", "b"}));
    QCOMPARE(InputSources::headerNames(QStringLiteral(" a,,b"), comma),
             (QStringList{" a", "", "b"}));
    QCOMPARE(InputSources::headerNames(QString(), comma), QStringList{});
}

void TestCommandTemplate::columnNames()
{
    CommandTemplate::Options o;
    o.valueCount = 2;
    o.columnNames = {{QStringLiteral("src"), 1}, {QStringLiteral("dest dir"), 2}};
    const auto t = CommandTemplate::parse(QStringLiteral("cp {src} {dest dir}/{src/.}.bak {x}"), o);
    QVERIFY_OK(t);
    const JobSpec spec = t->expand({QStringLiteral("a/b.c"), QStringLiteral("out")}, 1);
    QCOMPARE(spec.displayCommand(), QStringLiteral("cp a/b.c out/b.bak {x}"));
    // -q keeps them active too.
    QCOMPARE(CommandTemplate::quoteWords({"cp", "{src}", "{x}"}, o.columnNames),
             QStringLiteral("cp {src} '{x}'"));
}

void TestCommandTemplate::quotedWords()
{
    // -q: each word one argument, whatever it holds; shown quoted whole.
    CommandTemplate::Options o;
    o.valueCount = 1;
    auto t = CommandTemplate::parseWords({"sh", "-c", "echo $0 {}; x | y", "a {} b"}, o);
    QVERIFY_OK(t);
    QCOMPARE(t->mode(), CommandTemplate::Mode::Direct);
    JobSpec spec = t->expand({QStringLiteral("it's")}, 1);
    QCOMPARE(spec.program, QStringLiteral("sh"));
    QCOMPARE(spec.arguments, (QStringList{"-c", "echo $0 it's; x | y", "a it's b"}));
    QCOMPARE(spec.displayCommand(),
             QStringLiteral("sh -c 'echo $0 it'\"'\"'s; x | y' 'a it'\"'\"'s b'"));
    // Appended when no replacement string; an empty word stays one.
    t = CommandTemplate::parseWords({"echo", ""}, o);
    QVERIFY_OK(t);
    spec = t->expand({QStringLiteral("v")}, 1);
    QCOMPARE(spec.arguments, (QStringList{"", "v"}));
    // Several values split the word between them; a missing one is ''.
    o.valueCount = 2;
    t = CommandTemplate::parseWords({"echo", "a{}", "x{2}", "{2}"}, o);
    QVERIFY_OK(t);
    spec = t->expandGroup(records({{"p q"}, {"r"}}), 1);
    QCOMPARE(spec.arguments, (QStringList{"ap q", "r", "xr", "r"}));
    spec = t->expandGroup(records({{"p"}}), 2);
    QCOMPARE(spec.arguments, (QStringList{"ap", "x", ""}));
    QCOMPARE(spec.displayCommand(), QStringLiteral("echo ap x ''"));
    // -N0: a word that gets nothing goes.
    o.valueCount = 0;
    t = CommandTemplate::parseWords({"echo", "{}", "x"}, o);
    QVERIFY_OK(t);
    QCOMPARE(t->expandGroup({}, 1).arguments, QStringList{"x"});
    // A builtin needs the shell; the slot stays a bare number.
    o.valueCount = 1;
    t = CommandTemplate::parseWords({"cd", "{}", "{%}"}, o);
    QVERIFY_OK(t);
    QCOMPARE(t->mode(), CommandTemplate::Mode::Shell);
    spec = t->expand({QStringLiteral("a b")}, 1);
    CommandTemplate::fillSlot(&spec, 2);
    QCOMPARE(spec.shellCommand, QStringLiteral("cd 'a b' 2"));
    // The same errors as a template, with the column in the joined words.
    t = CommandTemplate::parseWords({"echo", "{2}"}, o);
    QVERIFY(!t);
    QVERIFY2(t.error().contains(QStringLiteral("{2} at column 6")), qPrintable(t.error()));
    QVERIFY(!CommandTemplate::parseWords({}, o));
}

QTEST_GUILESS_MAIN(TestCommandTemplate)
#include "tst_commandtemplate.moc"
