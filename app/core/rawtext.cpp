#include "app/core/rawtext.h"

namespace procdeck {

namespace {

// The length of the valid UTF-8 sequence at data[i] (RFC 3629: no
// overlong forms, no surrogates, nothing past U+10FFFF), or 0.
qsizetype validSequenceAt(const uchar *data, qsizetype size, qsizetype i)
{
    const uchar b = data[i];
    if (b < 0x80)
        return 1;
    qsizetype length = 0;
    uchar low = 0x80;  // the second byte's range, narrowed where the
    uchar high = 0xBF; // first byte alone allows overlong or bad values
    if (b >= 0xC2 && b <= 0xDF) {
        length = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
        length = 3;
        if (b == 0xE0)
            low = 0xA0; // overlong below U+0800
        else if (b == 0xED)
            high = 0x9F; // U+D800..U+DFFF: surrogates
    } else if (b >= 0xF0 && b <= 0xF4) {
        length = 4;
        if (b == 0xF0)
            low = 0x90; // overlong below U+10000
        else if (b == 0xF4)
            high = 0x8F; // past U+10FFFF
    } else {
        return 0; // a continuation byte, C0/C1 (always overlong), F5..FF
    }
    if (i + length > size)
        return 0;
    if (data[i + 1] < low || data[i + 1] > high)
        return 0;
    for (qsizetype k = 2; k < length; ++k) {
        if (data[i + k] < 0x80 || data[i + k] > 0xBF)
            return 0;
    }
    return length;
}

} // namespace

QString RawText::decode(QByteArrayView bytes)
{
    const auto *data = reinterpret_cast<const uchar *>(bytes.data());
    const qsizetype size = bytes.size();
    QString out;
    qsizetype runStart = 0; // of the valid stretch not yet appended
    qsizetype i = 0;
    while (i < size) {
        const qsizetype length = validSequenceAt(data, size, i);
        if (length > 0) {
            i += length;
            continue;
        }
        // Valid stretches go through Qt's fast decoder, in one piece each.
        if (out.isNull())
            out.reserve(size);
        out += QString::fromUtf8(bytes.sliced(runStart, i - runStart));
        out += QChar(char16_t(0xDC00 + data[i]));
        runStart = ++i;
    }
    if (runStart == 0)
        return QString::fromUtf8(bytes); // the common case: all of it valid
    out += QString::fromUtf8(bytes.sliced(runStart));
    return out;
}

QStringList RawText::decode(const QByteArrayList &list)
{
    QStringList out;
    out.reserve(list.size());
    for (const QByteArray &bytes : list)
        out << decode(bytes);
    return out;
}

QByteArray RawText::encode(QStringView text)
{
    if (!hasEscapes(text))
        return text.toUtf8();
    QByteArray out;
    out.reserve(text.size() * 3);
    qsizetype runStart = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t u = text.at(i).unicode();
        if (QChar::isHighSurrogate(u) && i + 1 < text.size() &&
            QChar::isLowSurrogate(text.at(i + 1).unicode())) {
            ++i; // a pair: one character, even when its low half looks like an escape
            continue;
        }
        if (!RawText::isEscape(u))
            continue;
        out += text.sliced(runStart, i - runStart).toUtf8();
        out += char(u - 0xDC00);
        runStart = i + 1;
    }
    out += text.sliced(runStart).toUtf8();
    return out;
}

QByteArrayList RawText::encode(const QStringList &list)
{
    QByteArrayList out;
    out.reserve(list.size());
    for (const QString &text : list)
        out << encode(text);
    return out;
}

bool RawText::hasEscapes(QStringView text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t u = text.at(i).unicode();
        if (QChar::isHighSurrogate(u) && i + 1 < text.size() &&
            QChar::isLowSurrogate(text.at(i + 1).unicode()))
            ++i;
        else if (RawText::isEscape(u))
            return true;
    }
    return false;
}

bool RawText::hasEscapes(const QStringList &list)
{
    for (const QString &text : list) {
        if (hasEscapes(text))
            return true;
    }
    return false;
}

QString RawText::forDisplay(const QString &text)
{
    if (!hasEscapes(text))
        return text;
    QString out = text;
    for (qsizetype i = 0; i < out.size(); ++i) {
        const char16_t u = out.at(i).unicode();
        if (QChar::isHighSurrogate(u) && i + 1 < out.size() &&
            QChar::isLowSurrogate(out.at(i + 1).unicode()))
            ++i;
        else if (RawText::isEscape(u))
            out[i] = QChar::ReplacementCharacter;
    }
    return out;
}

} // namespace procdeck
