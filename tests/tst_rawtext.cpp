// RawText: bytes held in a QString without loss (surrogateescape).
#include "app/core/rawtext.h"

#include <QTest>

using namespace procdeck;

class TestRawText : public QObject
{
    Q_OBJECT
private slots:
    void everyByteAlone();
    void everyByteInSequences();
    void validUtf8IsUntouched_data();
    void validUtf8IsUntouched();
    void invalidSequencesAreEscapedBytewise_data();
    void invalidSequencesAreEscapedBytewise();
    void pairWhoseLowHalfLooksLikeAnEscape();
    void loneSurrogatesThatAreNoEscape();
    void forDisplay();
    void lists();
};

static QByteArray byteOf(int b)
{
    return QByteArray(1, char(b));
}

void TestRawText::everyByteAlone()
{
    for (int b = 0; b < 256; ++b) {
        const QString text = RawText::decode(byteOf(b));
        QCOMPARE(text.size(), 1);
        QCOMPARE(RawText::encode(text), byteOf(b));
        // ASCII is itself; every other byte alone is no UTF-8: an escape.
        QCOMPARE(text.at(0).unicode(), char16_t(b < 0x80 ? b : 0xDC00 + b));
        QCOMPARE(RawText::hasEscapes(text), b >= 0x80);
    }
}

void TestRawText::everyByteInSequences()
{
    // Every pair and every byte between two others, valid or not.
    for (int a = 0; a < 256; ++a) {
        for (int b = 0; b < 256; ++b) {
            const QByteArray pair = byteOf(a) + byteOf(b);
            QCOMPARE(RawText::encode(RawText::decode(pair)), pair);
            const QByteArray three = "x" + pair + byteOf(0xE9) + "\xc3\xa9";
            QCOMPARE(RawText::encode(RawText::decode(three)), three);
        }
    }
    // All 256 bytes in a row, forwards and backwards.
    QByteArray all;
    for (int b = 0; b < 256; ++b)
        all += char(b);
    QCOMPARE(RawText::encode(RawText::decode(all)), all);
    std::reverse(all.begin(), all.end());
    QCOMPARE(RawText::encode(RawText::decode(all)), all);
}

void TestRawText::validUtf8IsUntouched_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("ascii") << QByteArray("plain ascii.txt");
    QTest::newRow("two bytes") << QByteArray("h\xc3\xa9llo");
    QTest::newRow("three bytes") << QByteArray("\xe2\x9c\x93 \xef\xbf\xbd");
    QTest::newRow("four bytes") << QByteArray("\xf0\x9f\x98\x80");
    QTest::newRow("U+10080: low half DC80") << QByteArray("\xf0\x90\x82\x80");
    QTest::newRow("U+10FFFF") << QByteArray("\xf4\x8f\xbf\xbf");
    QTest::newRow("U+D7FF, U+E000") << QByteArray("\xed\x9f\xbf\xee\x80\x80");
    QTest::newRow("NUL inside") << QByteArray("a\0b", 3);
}

void TestRawText::validUtf8IsUntouched()
{
    QFETCH(QByteArray, bytes);
    const QString text = RawText::decode(bytes);
    QCOMPARE(text, QString::fromUtf8(bytes));
    QVERIFY(!RawText::hasEscapes(text));
    QCOMPARE(RawText::encode(text), bytes);
    QCOMPARE(RawText::forDisplay(text), text);
}

void TestRawText::invalidSequencesAreEscapedBytewise_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    const auto esc = [](int b) { return QString(QChar(char16_t(0xDC00 + b))); };
    QTest::newRow("latin-1") << QByteArray("caf\xe9.txt") << "caf" + esc(0xE9) + ".txt";
    QTest::newRow("lone continuation") << QByteArray("\x80") << esc(0x80);
    QTest::newRow("overlong 2") << QByteArray("\xc0\xaf") << esc(0xC0) + esc(0xAF);
    QTest::newRow("overlong C1") << QByteArray("\xc1\xbf") << esc(0xC1) + esc(0xBF);
    QTest::newRow("overlong 3") << QByteArray("\xe0\x80\xaf") << esc(0xE0) + esc(0x80) + esc(0xAF);
    QTest::newRow("overlong 4") << QByteArray("\xf0\x80\x80\xaf")
                                << esc(0xF0) + esc(0x80) + esc(0x80) + esc(0xAF);
    QTest::newRow("truncated 2 at end") << QByteArray("a\xc3") << "a" + esc(0xC3);
    QTest::newRow("truncated 3") << QByteArray("\xe2\x9c!") << esc(0xE2) + esc(0x9C) + "!";
    QTest::newRow("truncated 4") << QByteArray("\xf0\x9f\x98") << esc(0xF0) + esc(0x9F) + esc(0x98);
    // UTF-16 surrogates written as UTF-8 (CESU-8) are no UTF-8 either.
    QTest::newRow("encoded high surrogate")
        << QByteArray("\xed\xa0\x80") << esc(0xED) + esc(0xA0) + esc(0x80);
    QTest::newRow("encoded escape")
        << QByteArray("\xed\xb3\xa9") << esc(0xED) + esc(0xB3) + esc(0xA9);
    QTest::newRow("past U+10FFFF")
        << QByteArray("\xf4\x90\x80\x80") << esc(0xF4) + esc(0x90) + esc(0x80) + esc(0x80);
    QTest::newRow("F5..FF") << QByteArray("\xf5\xfe\xff") << esc(0xF5) + esc(0xFE) + esc(0xFF);
    QTest::newRow("valid after invalid")
        << QByteArray("\xff\xc3\xa9\xff") << esc(0xFF) + QString(QChar(0xE9)) + esc(0xFF);
}

void TestRawText::invalidSequencesAreEscapedBytewise()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    const QString text = RawText::decode(bytes);
    QCOMPARE(text, expected);
    QVERIFY(RawText::hasEscapes(text));
    QCOMPARE(RawText::encode(text), bytes);
}

void TestRawText::pairWhoseLowHalfLooksLikeAnEscape()
{
    // U+10080 is D800 DC80: one character, encoded as its 4 bytes, not as
    // a lone D800 and the byte 0x80.
    const QString text = QString::fromUcs4(U"\U00010080") + QChar(char16_t(0xDCE9));
    QCOMPARE(RawText::encode(text), QByteArray("\xf0\x90\x82\x80\xe9"));
    QVERIFY(!RawText::hasEscapes(QString::fromUcs4(U"\U00010080")));
}

void TestRawText::loneSurrogatesThatAreNoEscape()
{
    // Not from decode(): typed or pasted text. Never bytes of their own,
    // and never invalid UTF-8 out of encode().
    for (char16_t u : {char16_t(0xD800), char16_t(0xDBFF), char16_t(0xDC00), char16_t(0xDC7F)}) {
        const QString text = QStringLiteral("a") + QChar(u) + QStringLiteral("b");
        QVERIFY(!RawText::hasEscapes(text));
        const QByteArray bytes = RawText::encode(text);
        QVERIFY2(QString::fromUtf8(bytes).toUtf8() == bytes, bytes.toHex().constData());
        QVERIFY(bytes.startsWith('a') && bytes.endsWith('b'));
    }
}

void TestRawText::forDisplay()
{
    const QString text = RawText::decode("caf\xe9 \xf0\x90\x82\x80 \xc3\xa9");
    const QString shown = RawText::forDisplay(text);
    QCOMPARE(shown, QStringLiteral("caf\uFFFD ") + QString::fromUcs4(U"\U00010080") +
                        QStringLiteral(" \u00e9"));
    QVERIFY(!RawText::hasEscapes(shown));
}

void TestRawText::lists()
{
    const QByteArrayList bytes = {"caf\xe9", "ok", QByteArray()};
    const QStringList texts = RawText::decode(bytes);
    QCOMPARE(texts.size(), 3);
    QVERIFY(RawText::hasEscapes(texts));
    QVERIFY(!RawText::hasEscapes(texts.mid(1)));
    QCOMPARE(RawText::encode(texts), bytes);
}

QTEST_GUILESS_MAIN(TestRawText)
#include "tst_rawtext.moc"
