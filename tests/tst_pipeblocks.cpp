// PipeBlockSplitter: --pipe's blocks, cut as GNU parallel 20221122 cuts them
// (the expected blocks below were measured with parallel --pipe ... 'cat;
// printf "|"'), whole or fed piece by piece.
#include "app/batch/pipeblocks.h"
#include "app/cli/parallelcommandline.h"

#include <QRandomGenerator>
#include <QTest>

using namespace procdeck;

Q_DECLARE_METATYPE(procdeck::PipeFormat)

namespace {

QByteArray seq(int last)
{
    QByteArray out;
    for (int i = 1; i <= last; ++i)
        out += QByteArray::number(i) + '\n';
    return out;
}

QList<QByteArray> takeAll(PipeBlockSplitter &splitter)
{
    QList<QByteArray> blocks;
    for (QByteArray block; splitter.takeBlock(&block);)
        blocks << block;
    return blocks;
}

QList<QByteArray> split(const PipeFormat &format, const QByteArray &input)
{
    PipeBlockSplitter splitter(format);
    splitter.feed(input);
    splitter.finish();
    return takeAll(splitter);
}

PipeFormat format(qint64 blockSize, const QByteArray &recStart = {},
                  const QByteArray &recEnd = QByteArrayLiteral("\n"), int records = 0)
{
    PipeFormat f;
    f.blockSize = blockSize;
    f.recStart = recStart;
    f.recEnd = recEnd;
    f.records = records;
    return f;
}

} // namespace

class TestPipeBlocks : public QObject
{
    Q_OBJECT
private slots:
    void cutsAtTheLastRecordEndOfEachRound();
    void blocks_data();
    void blocks();
    void pieceByPieceMakesTheSameBlocks();
    void blocksAreKnownBeforeTheInputEnds();
    void aLongRecordGrowsTheBlock();
    void unescape_data();
    void unescape();
    void sizes_data();
    void sizes();
};

void TestPipeBlocks::cutsAtTheLastRecordEndOfEachRound()
{
    // seq 100000 | parallel --pipe --block 10k wc -l: 2221, then 2000 a
    // block (each round reads up to the next 10000 bytes).
    const QByteArray input = seq(100000);
    const QList<QByteArray> blocks = split(format(10000), input);
    QCOMPARE(blocks.size(), 59);
    QCOMPARE(blocks.at(0).count('\n'), 2221);
    QCOMPARE(blocks.at(0).size(), 9998);
    QCOMPARE(blocks.at(1).count('\n'), 2000);
    QCOMPARE(blocks.at(1).size(), 10000);
    QCOMPARE(blocks.join(), input);
    for (const QByteArray &block : blocks)
        QVERIFY(block.endsWith('\n'));
}

void TestPipeBlocks::blocks_data()
{
    QTest::addColumn<PipeFormat>("format");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("blocks"); // joined with '|'

    PipeFormat regexpEnd = format(8, {}, "[05]\n");
    regexpEnd.regexp = true;
    PipeFormat regexpStart = format(8, ">[bc]", {});
    regexpStart.regexp = true;
    PipeFormat lines = format(3);
    lines.lines = 2;
    PipeFormat lines3 = format(7);
    lines3.lines = 3;
    const QByteArray fasta = ">a\n1\n>b\n2\n>c\n3\n";

    QTest::newRow("empty input: no block") << format(10) << QByteArray() << QByteArray();
    QTest::newRow("no final newline") << format(1000) << QByteArray("a\nb") << QByteArray("a\nb");
    // The last round read exactly what was left: not yet the end, so it
    // still cuts, and the end is the round after.
    QTest::newRow("last round exactly full")
        << format(3) << QByteArray("a\nb\nc") << QByteArray("a\n|b\n|c");
    QTest::newRow("block 4") << format(4) << QByteArray("ab\ncd\n") << QByteArray("ab\n|cd\n");
    QTest::newRow("-N3") << format(1000, {}, "\n", 3) << seq(10)
                         << QByteArray("1\n2\n3\n|4\n5\n6\n|7\n8\n9\n|10\n");
    // parallel looks for the Nth boundary from the second byte on.
    QTest::newRow("-N1 leading empty line")
        << format(1000, {}, "\n", 1) << QByteArray("\n\na\n") << QByteArray("\n\n|a\n");
    QTest::newRow("recstart -N1") << format(1000, ">", {}, 1) << fasta
                                  << QByteArray(">a\n1\n|>b\n2\n|>c\n3\n");
    QTest::newRow("recstart block 6")
        << format(6, ">", {}) << fasta << QByteArray(">a\n1\n|>b\n2\n|>c\n3\n");
    QTest::newRow("recstart at the start only")
        << format(3, ">", {}) << QByteArray(">aaaa\n>b\n") << QByteArray(">aaaa\n|>b\n");
    QTest::newRow("recend and recstart -N1")
        << format(1000, ">", ";\n", 1) << QByteArray("a;\n>b;\nc;\n>d;\n")
        << QByteArray("a;\n|>b;\nc;\n|>d;\n");
    QTest::newRow("recend and recstart block 5")
        << format(5, ">", ";\n") << QByteArray("a;\n>b;\nc;\n>d;\n")
        << QByteArray("a;\n|>b;\nc;\n|>d;\n");
    QTest::newRow("recend comma") << format(3, {}, ",") << QByteArray("a,b,c,d,e,")
                                  << QByteArray("a,|b,|c,|d,|e,");
    QTest::newRow("no record separators: whole rounds")
        << format(4, {}, {}) << QByteArray("abcdefghij") << QByteArray("abcd|efgh|ij");
    QTest::newRow("no record separators -N2")
        << format(1000, {}, {}, 2) << QByteArray("abcde") << QByteArray("ab|cd|e");
    QTest::newRow("-L2") << lines << QByteArray("\na\nb\nc\n") << QByteArray("\na\n|b\nc\n");
    QTest::newRow("-L3 block 7") << lines3 << seq(10)
                                 << QByteArray("1\n2\n3\n|4\n5\n6\n|7\n8\n9\n|10\n");
    QTest::newRow("regexp recend") << regexpEnd << seq(20)
                                   << QByteArray("1\n2\n3\n4\n5\n|6\n7\n8\n9\n10\n|11\n12\n13\n14\n"
                                                 "15\n|16\n17\n18\n19\n20\n");
    QTest::newRow("regexp recstart")
        << regexpStart << fasta << QByteArray(">a\n1\n|>b\n2\n|>c\n3\n");
}

void TestPipeBlocks::blocks()
{
    QFETCH(PipeFormat, format);
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, blocks);
    QCOMPARE(split(format, input).join('|'), blocks);
}

void TestPipeBlocks::pieceByPieceMakesTheSameBlocks()
{
    // However the input arrives, the blocks are the same: each round waits
    // until it has read what parallel's would.
    const QByteArray input = seq(20000);
    for (const PipeFormat &f : {format(1000), format(777, {}, "\n", 7), format(50, "1", {})}) {
        const QList<QByteArray> whole = split(f, input);
        PipeBlockSplitter splitter(f);
        QList<QByteArray> pieces;
        QRandomGenerator random(42);
        for (qsizetype at = 0; at < input.size();) {
            const qsizetype n = qMin<qsizetype>(random.bounded(1, 3000), input.size() - at);
            splitter.feed(input.mid(at, n));
            at += n;
            pieces += takeAll(splitter);
        }
        splitter.finish();
        pieces += takeAll(splitter);
        QCOMPARE(pieces.size(), whole.size());
        QCOMPARE(pieces, whole);
    }
}

void TestPipeBlocks::blocksAreKnownBeforeTheInputEnds()
{
    PipeBlockSplitter splitter(format(10));
    QByteArray block;
    splitter.feed("abc\nde");
    QVERIFY(!splitter.takeBlock(&block)); // a round of 10 bytes is not read yet
    splitter.feed("f\nghij\n");
    QVERIFY(splitter.takeBlock(&block));
    QCOMPARE(block, QByteArray("abc\ndef\n"));
    QVERIFY(!splitter.takeBlock(&block));
    splitter.finish();
    QVERIFY(splitter.takeBlock(&block));
    QCOMPARE(block, QByteArray("ghij\n"));
    QVERIFY(!splitter.takeBlock(&block));
    splitter.feed("late"); // after the end: ignored
    QVERIFY(!splitter.takeBlock(&block));
}

void TestPipeBlocks::aLongRecordGrowsTheBlock()
{
    // parallel --pipe --block 3 on "aaaaaaaaaa\nb\n": three warnings, and
    // the block stays grown.
    PipeBlockSplitter splitter(format(3));
    splitter.feed("aaaaaaaaaa\nb\n");
    splitter.finish();
    QCOMPARE(takeAll(splitter), (QList<QByteArray>{"aaaaaaaaaa\n", "b\n"}));
    QCOMPARE(
        splitter.takeWarnings(),
        (QStringList{QStringLiteral("A record was longer than 3. Increasing to --blocksize 5."),
                     QStringLiteral("A record was longer than 5. Increasing to --blocksize 8."),
                     QStringLiteral("A record was longer than 8. Increasing to --blocksize 12.")}));
    QCOMPARE(splitter.blockSize(), qint64(12));
    QVERIFY(splitter.takeWarnings().isEmpty());
}

void TestPipeBlocks::unescape_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("newline") << QStringLiteral("a\\nb") << QByteArray("a\nb");
    QTest::newRow("tab cr") << QStringLiteral("\\t\\r") << QByteArray("\t\r");
    QTest::newRow("nul") << QStringLiteral("x\\0") << QByteArray("x\0", 2);
    QTest::newRow("backslash quotes") << QStringLiteral("\\\\\\'\\\"") << QByteArray("\\'\"");
    QTest::newRow("other escapes stay") << QStringLiteral("\\q\\") << QByteArray("\\q\\");
    QTest::newRow("utf-8") << QStringLiteral("\u00e9") << QByteArray("\xc3\xa9");
}

void TestPipeBlocks::unescape()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, bytes);
    QCOMPARE(PipeFormat::unescape(text), bytes);
}

void TestPipeBlocks::sizes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<double>("bytes");
    // parallel's multiply_binary_prefix: K M G are 1024s, k m g 1000s.
    QTest::newRow("plain") << QStringLiteral("100") << true << 100.0;
    QTest::newRow("k") << QStringLiteral("10k") << true << 10000.0;
    QTest::newRow("K") << QStringLiteral("10K") << true << 10240.0;
    QTest::newRow("ki") << QStringLiteral("1ki") << true << 1024.0;
    QTest::newRow("M") << QStringLiteral("1M") << true << 1048576.0;
    QTest::newRow("m") << QStringLiteral("2m") << true << 2e6;
    QTest::newRow("G") << QStringLiteral("1G") << true << 1073741824.0;
    QTest::newRow("decimal") << QStringLiteral("1.5k") << true << 1500.0;
    QTest::newRow("zero") << QStringLiteral("0") << true << 0.0;
    QTest::newRow("word") << QStringLiteral("x") << false << 0.0;
    QTest::newRow("negative") << QStringLiteral("-5") << false << 0.0;
    QTest::newRow("unit alone") << QStringLiteral("k") << false << 0.0;
    QTest::newRow("two units") << QStringLiteral("1kk") << false << 0.0;
}

void TestPipeBlocks::sizes()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(double, bytes);
    double parsed = 0;
    QCOMPARE(ParallelCommandLine::parseSize(text, &parsed), ok);
    if (ok)
        QCOMPARE(parsed, bytes);
}

QTEST_GUILESS_MAIN(TestPipeBlocks)
#include "tst_pipeblocks.moc"
