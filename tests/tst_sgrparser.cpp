// SgrParser: ANSI colors and attributes into styled runs, every other
// escape swallowed, whatever way the text is cut into chunks; strip().
#include "app/output/outputlog.h"
#include "app/output/sgrparser.h"

#include <QTest>

using namespace procdeck;

Q_DECLARE_METATYPE(QList<QString>)

class TestSgrParser : public QObject
{
    Q_OBJECT
private slots:
    void runs_data();
    void runs();
    void sameRunsWhateverTheChunking_data();
    void sameRunsWhateverTheChunking();
    void plainTextIsHandedOutWithoutACopy();
    void unfinishedSequenceWaitsForTheNextChunk();
    void resetForgetsStyleAndSequence();
    void strip_data();
    void strip();
    void paletteColors_data();
    void paletteColors();
    void rawBytesInTheLogAreUntouched();
};

static QString color(const TermColor &c)
{
    if (c.kind == TermColor::Kind::Palette)
        return QStringLiteral("p%1").arg(c.index);
    return QStringLiteral("#%1").arg(c.value, 6, 16, QLatin1Char('0'));
}

// "<fg=p1 bold>text": a run's style, then its text.
static QString describe(const QList<StyledRun> &runs)
{
    QString out;
    for (const StyledRun &run : runs) {
        QStringList parts;
        const TextStyle &s = run.style;
        if (!s.foreground.isDefault())
            parts << QStringLiteral("fg=") + color(s.foreground);
        if (!s.background.isDefault())
            parts << QStringLiteral("bg=") + color(s.background);
        if (s.bold)
            parts << QStringLiteral("bold");
        if (s.faint)
            parts << QStringLiteral("faint");
        if (s.italic)
            parts << QStringLiteral("italic");
        if (s.underline)
            parts << QStringLiteral("underline");
        if (s.inverse)
            parts << QStringLiteral("inverse");
        out += QLatin1Char('<') + parts.join(QLatin1Char(' ')) + QLatin1Char('>') + run.text;
    }
    return out;
}

// Feeds the chunks to one parser; runs of one style across chunks merge.
static QList<StyledRun> parseChunks(const QList<QString> &chunks)
{
    SgrParser parser;
    QList<StyledRun> runs;
    for (const QString &chunk : chunks) {
        for (const StyledRun &run : parser.parse(chunk)) {
            if (!runs.isEmpty() && runs.last().style == run.style)
                runs.last().text += run.text;
            else
                runs.append(run);
        }
    }
    return runs;
}

static QString esc(const char *text)
{
    return QString::fromUtf8(text).replace(QLatin1Char('~'), QChar(0x1b));
}

void TestSgrParser::runs_data()
{
    // '~' stands for ESC.
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    auto row = [](const char *name, const char *input, const char *expected) {
        QTest::newRow(name) << esc(input) << QString::fromUtf8(expected);
    };
    row("plain", "hello world", "<>hello world");
    row("empty", "", "");
    row("basic foreground", "~[31mred~[0m back", "<fg=p1>red<> back");
    row("every basic", "~[30ma~[37mb", "<fg=p0>a<fg=p7>b");
    row("bright foreground", "~[91mx~[97my", "<fg=p9>x<fg=p15>y");
    row("basic background", "~[42mx", "<bg=p2>x");
    row("bright background", "~[105mx", "<bg=p13>x");
    row("256 foreground", "~[38;5;208mx", "<fg=p208>x");
    row("256 background", "~[48;5;17mx", "<bg=p17>x");
    row("truecolor foreground", "~[38;2;255;128;0mx", "<fg=#ff8000>x");
    row("truecolor background", "~[48;2;1;2;3mx", "<bg=#010203>x");
    row("colon 256", "~[38:5:208mx", "<fg=p208>x");
    row("colon truecolor with color space", "~[38:2::10:20:30mx", "<fg=#0a141e>x");
    row("colon truecolor", "~[38:2:10:20:30mx", "<fg=#0a141e>x");
    row("extended then more", "~[38;5;1;1mx", "<fg=p1 bold>x");
    row("truecolor then more", "~[38;2;1;2;3;4mx", "<fg=#010203 underline>x");
    row("combined", "~[1;4;31;42mx", "<fg=p1 bg=p2 bold underline>x");
    row("italic faint inverse", "~[2;3;7mx", "<faint italic inverse>x");
    row("empty is reset", "~[31mA~[mB", "<fg=p1>A<>B");
    row("empty parameter is reset", "~[31m~[;1mA", "<bold>A");
    row("default colors", "~[31;44mA~[39mB~[49mC", "<fg=p1 bg=p4>A<bg=p4>B<>C");
    row("attributes off", "~[1;3;4;7mA~[22mB~[23mC~[24mD~[27mE",
        "<bold italic underline inverse>A<italic underline inverse>B<underline inverse>C"
        "<inverse>D<>E");
    row("underline 4:0 is off", "~[4mA~[4:0mB~[4:3mC", "<underline>A<>B<underline>C");
    row("style carries over lines", "~[32mone\ntwo\n", "<fg=p2>one\ntwo\n");
    row("cursor moves swallowed", "a~[2Ab~[10;20Hc~[1Gd", "<>abcd");
    row("erase line swallowed", "progress~[K~[2Kdone", "<>progressdone");
    row("private mode swallowed", "~[?25lx~[?25h", "<>x");
    row("private m is not sgr", "~[>4;1mx", "<>x");
    row("intermediate m is not sgr", "~[1 mx", "<>x");
    row("osc title with bel", "~]0;title\ax", "<>x");
    row("osc link with st", "~]8;;http://example.com~\\link~]8;;~\\", "<>link");
    row("dcs swallowed", "~Pq#0;2;0;0;0~\\x", "<>x");
    row("apc swallowed", "~_anything~\\x", "<>x");
    row("two byte escapes", "~7a~8b~=c~>d~Me", "<>abcde");
    row("charset escape", "~(Bx~)0y", "<>xy");
    row("8-bit csi",
        "\xc2\x9b"
        "31mx",
        "<fg=p1>x");
    row("8-bit osc",
        "\xc2\x9d"
        "0;t\ax",
        "<>x");
    row("bell alone", "a\ab", "<>ab");
    row("unicode kept", "~[31mcafé ✓", "<fg=p1>café ✓");
    // Malformed and unterminated.
    row("csi cut by newline", "~[31\nnext", "<>\nnext");
    row("csi cut by a new escape", "~[12~[31mx", "<fg=p1>x");
    row("csi cut by non-ascii", "~[3é", "<>é");
    row("escape then non-ascii", "~éa", "<>éa");
    row("escape escape", "~~[31mx", "<fg=p1>x");
    row("escape then newline", "a~\nb", "<>a\nb");
    row("osc cut by newline", "~]0;title\nvisible", "<>\nvisible");
    row("osc cut by a new escape", "~]0;title~[31mx", "<fg=p1>x");
    row("dcs cut by newline", "~Pdata\nshown", "<>\nshown");
    row("256 out of range", "~[31m~[38;5;300mx", "<fg=p1>x");
    row("truecolor out of range", "~[38;2;1;2;999mx", "<>x");
    row("256 without index", "~[38;5mx", "<>x");
    row("38 alone", "~[38mx", "<>x");
    row("truecolor short", "~[38;2;1;2mx", "<>x");
    row("unknown codes", "~[5;8;53;73mx", "<>x");
    row("control inside csi ignored", "~[3\a1mx", "<fg=p1>x");
    // Large values.
    row("huge code", "~[99999999999999999999999mx", "<>x");
    row("huge code then color", "~[31;99999999999999mx", "<fg=p1>x");
    row("huge 256 index", "~[38;5;99999999999999mx", "<>x");
    row("leading zeros", "~[0000031mx", "<fg=p1>x");
}

void TestSgrParser::runs()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    SgrParser parser;
    QCOMPARE(describe(parser.parse(input)), expected);
}

void TestSgrParser::sameRunsWhateverTheChunking_data()
{
    QTest::addColumn<QList<QString>>("chunks");
    QTest::addColumn<QString>("expected");
    auto row = [](const char *name, QList<const char *> parts, const char *expected) {
        QList<QString> chunks;
        for (const char *p : parts)
            chunks << esc(p);
        QTest::newRow(name) << chunks << QString::fromUtf8(expected);
    };
    row("after escape", {"a~", "[31mred"}, "<>a<fg=p1>red");
    row("inside parameters", {"~[3", "1mred"}, "<fg=p1>red");
    row("before final", {"~[38;5;208", "mx"}, "<fg=p208>x");
    row("extended over three", {"~[38;", "2;1;2", ";3mx"}, "<fg=#010203>x");
    row("empty chunk between", {"a~[", "", "K", "b"}, "<>ab");
    row("osc over three", {"~]0;ti", "tle", "\ax"}, "<>x");
    row("osc terminator split", {"~]0;t~", "\\x"}, "<>x");
    row("style carries over chunks", {"~[1mbold ", "still\n", "and still"},
        "<bold>bold still\nand still");
    row("reset in the next chunk", {"~[31mred", "~[0mplain"}, "<fg=p1>red<>plain");
    row("one char at a time", {"~", "[", "4", "2", "m", "x"}, "<bg=p2>x");
    row("8-bit csi split", {"\xc2\x9b", "32mx"}, "<fg=p2>x");
}

void TestSgrParser::sameRunsWhateverTheChunking()
{
    QFETCH(QList<QString>, chunks);
    QFETCH(QString, expected);
    QCOMPARE(describe(parseChunks(chunks)), expected);
    // And the same text in one piece.
    QCOMPARE(describe(parseChunks({chunks.join(QString())})), expected);
}

void TestSgrParser::plainTextIsHandedOutWithoutACopy()
{
    const QString text = QStringLiteral("no escapes at all\nnone\n");
    SgrParser parser;
    int runs = 0;
    parser.feed(text, [&](QStringView run, const TextStyle &style) {
        ++runs;
        QCOMPARE(run.data(), text.constData()); // a view of the chunk itself
        QCOMPARE(run.size(), text.size());
        QVERIFY(style.isPlain());
    });
    QCOMPARE(runs, 1);
    // Text around an escape: views of the chunk too.
    const QString colored = esc("ab~[1mcd");
    QList<const QChar *> starts;
    parser.feed(colored, [&](QStringView run, const TextStyle &) { starts << run.data(); });
    QCOMPARE(starts, (QList<const QChar *>{colored.constData(), colored.constData() + 6}));
}

void TestSgrParser::unfinishedSequenceWaitsForTheNextChunk()
{
    SgrParser parser;
    QCOMPARE(describe(parser.parse(esc("abc~[31"))), QStringLiteral("<>abc"));
    QVERIFY(parser.style().isPlain()); // not applied before its final byte
    QCOMPARE(describe(parser.parse(esc("mX"))), QStringLiteral("<fg=p1>X"));
    QCOMPARE(parser.style().foreground, TermColor::palette(1));
    // A CSI far longer than any real one: dropped whole, never shown.
    QString huge = esc("~[");
    for (int i = 0; i < 2000; ++i)
        huge += QStringLiteral("1;");
    huge += QStringLiteral("32mY");
    QCOMPARE(describe(parser.parse(huge)), QStringLiteral("<fg=p1>Y"));
}

void TestSgrParser::resetForgetsStyleAndSequence()
{
    SgrParser parser;
    parser.parse(esc("~[1;31mred~[4"));
    parser.reset();
    QVERIFY(parser.style().isPlain());
    QCOMPARE(describe(parser.parse(QStringLiteral("mtext"))), QStringLiteral("<>mtext"));
}

void TestSgrParser::strip_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << QStringLiteral("plain text") << QStringLiteral("plain text");
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("colors") << esc("~[1;32mok~[0m 3 passed") << QStringLiteral("ok 3 passed");
    QTest::newRow("progress") << esc("~[2K~[1G[=====>   ] 60%")
                              << QStringLiteral("[=====>   ] 60%");
    QTest::newRow("title") << esc("~]0;build~\\done\a") << QStringLiteral("done");
    QTest::newRow("unterminated at the end") << esc("text~[3") << QStringLiteral("text");
    QTest::newRow("unterminated osc at the end") << esc("text~]0;ti") << QStringLiteral("text");
}

void TestSgrParser::strip()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(SgrParser::strip(input), expected);
    QCOMPARE(SgrParser::strip(QStringView(input)), expected);
    if (input == expected && !input.isEmpty()) // plain: shared, not copied
        QCOMPARE(SgrParser::strip(input).constData(), input.constData());
}

void TestSgrParser::paletteColors_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<uint>("rgb");
    QTest::newRow("red") << 1 << 0xcc0000u;
    QTest::newRow("bright white") << 15 << 0xeeeeecu;
    QTest::newRow("cube black") << 16 << 0x000000u;
    QTest::newRow("cube red") << 196 << 0xff0000u;
    QTest::newRow("cube mixed") << 208 << 0xff8700u;
    QTest::newRow("cube white") << 231 << 0xffffffu;
    QTest::newRow("gray first") << 232 << 0x080808u;
    QTest::newRow("gray last") << 255 << 0xeeeeeeu;
}

void TestSgrParser::paletteColors()
{
    QFETCH(int, index);
    QFETCH(uint, rgb);
    QCOMPARE(uint(TermColor::palette(index).rgb()), rgb);
    QCOMPARE(uint(TermColor::fromRgb(1, 2, 3).rgb()), 0x010203u);
}

void TestSgrParser::rawBytesInTheLogAreUntouched()
{
    // Colors are the views' business: the log keeps every byte as it came
    // (exports write those), escapes and all.
    const QByteArray out = "\x1b[1;31mred\x1b[0m \x1b]0;title\x07\x1b[K\n\x1b[38;2;1;2";
    const QByteArray err = "\x1b[33mwarn\x1b[m\n";
    OutputLog log;
    log.append(Stream::Stdout, out.left(7));
    log.append(Stream::Stderr, err);
    log.append(Stream::Stdout, out.mid(7));
    log.finish();
    QCOMPARE(log.rawBytes(Stream::Stdout), out);
    QCOMPARE(log.rawBytes(Stream::Stderr), err);
    QVERIFY(log.displayText(Stream::Stdout).contains(QChar(0x1b)));
    QCOMPARE(SgrParser::strip(log.displayText(Stream::Stdout)), QStringLiteral("red \n"));
}

QTEST_APPLESS_MAIN(TestSgrParser)
#include "tst_sgrparser.moc"
