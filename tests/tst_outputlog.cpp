// OutputLog: raw bytes kept exactly, stateful UTF-8 decoding, line endings,
// the last-line column, the bounded display tail and spilling to disk.
#include "app/output/outputlog.h"

#include <QTest>

using namespace procdeck;

// The display text of stdout after these reads and the job's end.
static QString shownStdout(const QByteArrayList &chunks)
{
    OutputLog log;
    for (const QByteArray &chunk : chunks)
        log.append(Stream::Stdout, chunk);
    log.finish();
    return log.displayText(Stream::Stdout);
}

class TestOutputLog : public QObject
{
    Q_OBJECT
private slots:
    void keepsRawBytesExactly();
    void decodesCharacterSplitAcrossReads();
    void lineEndings_data();
    void lineEndings();
    void lastLine_data();
    void lastLine();
    void keepsStreamsApartInOrder();
    void invalidUtf8IsShownReplacedAndKeptRaw();
    void danglingSequenceAtEndBecomesReplacement();
    void badByteAtReadBoundaryKeepsWhatFollows_data();
    void badByteAtReadBoundaryKeepsWhatFollows();
    void displayTailIsBounded();
    void spillsToDiskPastTheMemoryLimit();
    void tailCutMidCharacterStartsOnAWholeOne();
    void displayIsDecodedFromSpilledBlocks();
    void zeroCopyAppend();
    void manyTinyAppendsStayInOrder();
    void binaryOutputIsShownAsANote();
};

void TestOutputLog::keepsRawBytesExactly()
{
    OutputLog log;
    QByteArray all;
    for (int i = 0; i < 256; ++i)
        all.append(char(i));
    log.append(Stream::Stdout, all.left(100));
    log.append(Stream::Stdout, all.mid(100));
    log.append(Stream::Stderr, QByteArray("e\r\n"));
    log.finish();
    QCOMPARE(log.rawBytes(Stream::Stdout), all);
    QCOMPARE(log.byteCount(Stream::Stdout), 256);
    QCOMPARE(log.rawBytes(Stream::Stderr), QByteArray("e\r\n"));
}

void TestOutputLog::decodesCharacterSplitAcrossReads()
{
    // "é" is C3 A9, "€" is E2 82 AC, "😀" is F0 9F 98 80: split each.
    OutputLog log;
    log.append(Stream::Stdout, QByteArray("caf\xc3"));
    log.append(Stream::Stdout, QByteArray("\xa9 \xe2"));
    log.append(Stream::Stdout, QByteArray("\x82"));
    log.append(Stream::Stdout, QByteArray("\xac \xf0\x9f"));
    log.append(Stream::Stdout, QByteArray("\x98\x80\n"));
    log.finish();
    QCOMPARE(log.displayText(Stream::Stdout), QStringLiteral("café € 😀\n"));
    QVERIFY(!log.displayText(Stream::Stdout).contains(QChar::ReplacementCharacter));
}

void TestOutputLog::lineEndings_data()
{
    QTest::addColumn<QByteArrayList>("chunks");
    QTest::addColumn<QString>("expected");
    QTest::newRow("lf") << QByteArrayList{"a\nb\n"} << "a\nb\n";
    QTest::newRow("crlf") << QByteArrayList{"a\r\nb\r\n"} << "a\nb\n";
    QTest::newRow("lone cr") << QByteArrayList{"a\rb\r"} << "a\nb\n";
    QTest::newRow("crlf split across reads") << QByteArrayList{"a\r", "\nb"} << "a\nb";
    QTest::newRow("cr then cr") << QByteArrayList{"a\r", "\rb"} << "a\n\nb";
    QTest::newRow("mixed") << QByteArrayList{"1\n2\r\n3\r4"} << "1\n2\n3\n4";
    QTest::newRow("empty lines") << QByteArrayList{"\n\r\n\r"} << "\n\n\n";
}

void TestOutputLog::lineEndings()
{
    QFETCH(QByteArrayList, chunks);
    QFETCH(QString, expected);
    QCOMPARE(shownStdout(chunks), expected);
}

void TestOutputLog::lastLine_data()
{
    QTest::addColumn<QByteArrayList>("chunks");
    QTest::addColumn<QString>("expected");
    QTest::newRow("none") << QByteArrayList{} << "";
    QTest::newRow("one complete line") << QByteArrayList{"hello\n"} << "hello";
    QTest::newRow("several lines") << QByteArrayList{"a\nb\nc\n"} << "c";
    QTest::newRow("unfinished line wins") << QByteArrayList{"a\nb"} << "b";
    QTest::newRow("line across reads") << QByteArrayList{"he", "llo", "\n"} << "hello";
    QTest::newRow("progress with cr") << QByteArrayList{"10%\r", "50%\r", "100%\r\n"} << "100%";
    QTest::newRow("line split then more") << QByteArrayList{"x\nab", "c\nd"} << "d";
}

void TestOutputLog::lastLine()
{
    QFETCH(QByteArrayList, chunks);
    QFETCH(QString, expected);
    OutputLog log;
    for (const QByteArray &chunk : chunks)
        log.append(Stream::Stdout, chunk);
    log.append(Stream::Stderr, QByteArray("stderr never shows here\n"));
    QCOMPARE(log.lastLine(), expected);
}

void TestOutputLog::keepsStreamsApartInOrder()
{
    OutputLog log;
    log.append(Stream::Stdout, "o1\n");
    log.append(Stream::Stderr, "e1\n");
    log.append(Stream::Stdout, "o2\n");
    QList<QPair<Stream, QString>> runs;
    log.forEachSegment(log.displayStart(), [&](Stream s, QStringView t) {
        runs.append({s, t.toString()});
    });
    QCOMPARE(runs.size(), 3);
    QCOMPARE(runs[0].first, Stream::Stdout);
    QCOMPARE(runs[1].first, Stream::Stderr);
    QCOMPARE(runs[1].second, QStringLiteral("e1\n"));
    QCOMPARE(log.displayText(Stream::Stdout), QStringLiteral("o1\no2\n"));
    QCOMPARE(log.displayText(Stream::Stderr), QStringLiteral("e1\n"));
    // Reading from an offset returns only what came after it.
    QString tail;
    log.forEachSegment(4, [&](Stream, QStringView t) { tail += t; });
    QCOMPARE(tail, QStringLiteral("1\no2\n"));
}

void TestOutputLog::invalidUtf8IsShownReplacedAndKeptRaw()
{
    OutputLog log;
    const QByteArray bad("ok \xff\xfe end\n");
    log.append(Stream::Stdout, bad);
    log.finish();
    QCOMPARE(log.rawBytes(Stream::Stdout), bad);
    QVERIFY(log.displayText(Stream::Stdout).contains(QChar::ReplacementCharacter));
    QVERIFY(log.displayText(Stream::Stdout).endsWith(QStringLiteral(" end\n")));
}

void TestOutputLog::danglingSequenceAtEndBecomesReplacement()
{
    OutputLog log;
    log.append(Stream::Stdout, QByteArray("cut \xe2\x82"));
    QCOMPARE(log.displayText(Stream::Stdout), QStringLiteral("cut "));
    log.finish();
    QCOMPARE(log.displayText(Stream::Stdout),
             QStringLiteral("cut ") + QChar(QChar::ReplacementCharacter));
    QCOMPARE(log.rawBytes(Stream::Stdout), QByteArray("cut \xe2\x82"));
}

void TestOutputLog::badByteAtReadBoundaryKeepsWhatFollows_data()
{
    QTest::addColumn<QByteArrayList>("chunks");
    QTest::addColumn<QString>("expected");
    const QString r(QChar::ReplacementCharacter);
    // Latin-1 "é" ends a read, the newline comes in the next one.
    QTest::newRow("latin1 then newline")
        << QByteArrayList{"caf\xe9", "\nnext\n"} << "caf" + r + "\nnext\n";
    // Qt shows each byte of a cut sequence as one U+FFFD; what follows stays.
    QTest::newRow("cut sequence then letter") << QByteArrayList{"\xe2\x82", "A"} << r + r + "A";
    QTest::newRow("cut sequence then emoji")
        << QByteArrayList{"\xe2\x82", "\xf0\x9f\x98\x80"} << r + r + "😀";
    QTest::newRow("lone lead at the end") << QByteArrayList{"x\xc0"} << "x" + r;
    QTest::newRow("bad byte mid chunk") << QByteArrayList{"a\xff"
                                                          "b\n"}
                                        << "a" + r + "b\n";
}

void TestOutputLog::badByteAtReadBoundaryKeepsWhatFollows()
{
    QFETCH(QByteArrayList, chunks);
    QFETCH(QString, expected);
    QCOMPARE(shownStdout(chunks), expected);
}

void TestOutputLog::displayTailIsBounded()
{
    OutputLog::Limits limits;
    limits.displayChars = 200 * 1024;
    OutputLog log(limits);
    const QByteArray line = QByteArray(99, 'x') + '\n';
    for (int i = 0; i < 20000; ++i) // 2,000,000 characters
        log.append(Stream::Stdout, line);
    log.append(Stream::Stdout, "last\n");
    log.finish();
    const qint64 kept = log.displayEnd() - log.displayStart();
    QVERIFY2(kept <= limits.displayChars, qPrintable(QString::number(kept)));
    QVERIFY(kept > limits.displayChars / 2);
    QCOMPARE(log.displayEnd(), 2000005);
    QVERIFY(log.displayText(Stream::Stdout).endsWith(QStringLiteral("x\nlast\n")));
    // Raw bytes are all still there.
    QCOMPARE(log.byteCount(Stream::Stdout), 2000005);
    QCOMPARE(log.lastLine(), QStringLiteral("last"));
}

void TestOutputLog::spillsToDiskPastTheMemoryLimit()
{
    OutputLog::Limits limits;
    limits.memoryBytesPerStream = 64 * 1024;
    OutputLog log(limits);
    QByteArray expected;
    for (int i = 0; i < 5000; ++i) {
        QByteArray chunk = QByteArray::number(i) + QByteArray(37, char('a' + i % 26)) + '\n';
        chunk.append(char(i % 256)); // binary bytes survive the trip to disk
        expected += chunk;
        log.append(Stream::Stdout, chunk);
    }
    log.finish();
    QVERIFY(expected.size() > limits.memoryBytesPerStream);
    QCOMPARE(log.byteCount(Stream::Stdout), expected.size());
    QCOMPARE(log.rawBytes(Stream::Stdout), expected);
    QVERIFY(log.storageError().isEmpty());
}

void TestOutputLog::tailCutMidCharacterStartsOnAWholeOne()
{
    // 2-byte characters and an odd budget: the undecoded bytes dropped to
    // fit it end mid-character, and the shown text must not start with a
    // stray U+FFFD.
    OutputLog::Limits limits;
    limits.displayChars = 1001;
    OutputLog log(limits);
    QByteArray all;
    for (int i = 0; i < 750; ++i)
        all += "\xc3\xa9";                           // é
    for (qsizetype at = 0; at < all.size(); at += 7) // reads that cut characters
        log.append(Stream::Stdout, all.mid(at, 7));
    log.finish();
    const QString text = log.displayText(Stream::Stdout);
    QVERIFY(!text.isEmpty());
    QVERIFY2(!text.contains(QChar::ReplacementCharacter), qPrintable(text.left(5)));
    QCOMPARE(text, QString(text.size(), QChar(0xe9)));
    QCOMPARE(text.size(), 500); // 1,001 bytes kept, the first of them half a character
    QCOMPARE(log.byteCount(Stream::Stdout), 1500);
}

void TestOutputLog::displayIsDecodedFromSpilledBlocks()
{
    OutputLog::Limits limits;
    limits.memoryBytesPerStream = 16 * 1024;
    limits.displayChars = 100 * 1024;
    OutputLog log(limits);
    QString expected;
    for (int i = 0; i < 20000; ++i) {
        const QString line = QStringLiteral("line %1: naïve café\n").arg(i);
        expected += line;
        log.append(Stream::Stdout, line.toUtf8());
    }
    log.finish();
    QVERIFY(log.bytesOnDisk(Stream::Stdout) > 0);
    const QString shown = log.displayText(Stream::Stdout);
    QVERIFY(shown.size() > limits.displayChars / 2);
    QVERIFY(expected.endsWith(shown));
    QVERIFY(!shown.contains(QChar::ReplacementCharacter));
}

void TestOutputLog::zeroCopyAppend()
{
    OutputLog log;
    qint64 room = 0;
    char *to = log.beginAppend(Stream::Stdout, 100, &room);
    QVERIFY(to);
    QCOMPARE(room, qint64(100));
    memcpy(to, "partial line", 12);
    log.commitAppend(Stream::Stdout, 12);
    QCOMPARE(log.lastLine(), QStringLiteral("partial line"));
    to = log.beginAppend(Stream::Stdout, 100, &room);
    memcpy(to, " ends\nnext", 10);
    log.commitAppend(Stream::Stdout, 10);
    log.finish();
    QCOMPARE(log.rawBytes(Stream::Stdout), QByteArray("partial line ends\nnext"));
    QCOMPARE(log.displayText(Stream::Stdout), QStringLiteral("partial line ends\nnext"));
    QCOMPARE(log.lastLine(), QStringLiteral("next"));
}

void TestOutputLog::manyTinyAppendsStayInOrder()
{
    // One byte at a time, streams interleaved: runs of one stream merge,
    // the order between streams stays.
    OutputLog log;
    const QByteArray out = "abcdefghij";
    const QByteArray err = "0123456789";
    for (int i = 0; i < out.size(); ++i) {
        log.append(Stream::Stdout, out.mid(i, 1));
        if (i % 3 == 0)
            log.append(Stream::Stderr, err.mid(i, 1));
    }
    log.finish();
    QString all;
    log.forEachSegment(log.displayStart(), [&](Stream s, QStringView text) {
        all += (s == Stream::Stderr ? QStringLiteral("[%1]") : QStringLiteral("%1"))
                   .arg(text.toString());
    });
    QCOMPARE(all, QStringLiteral("a[0]bcd[3]efg[6]hij[9]"));
}

void TestOutputLog::binaryOutputIsShownAsANote()
{
    OutputLog log;
    log.append(Stream::Stdout, QByteArray("header\npart", 11));
    log.append(Stream::Stdout, QByteArray("ial\0\1\2\xff", 7));
    for (int i = 0; i < 100; ++i)
        log.append(Stream::Stdout, QByteArray(1000, '\0'));
    log.append(Stream::Stderr, QByteArray("a warning\n"));
    log.finish();
    QVERIFY(log.isBinary(Stream::Stdout));
    QVERIFY(!log.isBinary(Stream::Stderr));
    QCOMPARE(log.displayText(Stream::Stdout),
             QStringLiteral("header\npartial\n[binary output (it has NUL bytes): not shown; "
                            "every byte is kept for export]\n"));
    QCOMPARE(log.displayText(Stream::Stderr), QStringLiteral("a warning\n"));
    QCOMPARE(log.byteCount(Stream::Stdout), 18 + 100 * 1000);
    QCOMPARE(log.rawBytes(Stream::Stdout, 12, 5), QByteArray("al\0\1\2", 5));
    QCOMPARE(log.lastLine(), QStringLiteral("[binary output]"));

    // A flood of it, far past the display budget: still the note alone.
    OutputLog flood;
    for (int i = 0; i < 100; ++i)
        flood.append(Stream::Stdout, QByteArray(64 * 1024, '\0'));
    flood.finish();
    QCOMPARE(flood.displayText(Stream::Stdout),
             QStringLiteral("[binary output (it has NUL bytes): not shown; every byte is kept "
                            "for export]\n"));
    QCOMPARE(flood.byteCount(Stream::Stdout), 100 * 64 * 1024);
}

QTEST_GUILESS_MAIN(TestOutputLog)
#include "tst_outputlog.moc"
