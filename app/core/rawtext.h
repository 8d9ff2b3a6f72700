#pragma once

#include <QByteArray>
#include <QByteArrayList>
#include <QByteArrayView>
#include <QString>
#include <QStringList>
#include <QStringView>

namespace procdeck {

// Bytes held in a QString without losing any, as Python's
// "surrogateescape" does: file names, argv and input lines are bytes, and
// GNU parallel hands them to jobs as they came. Valid UTF-8 decodes as
// usual; each byte of anything else becomes a lone low surrogate
// U+DC80 + byte (an "escape"), which no valid UTF-8 decodes to, and
// encode() turns back into that byte. So encode(decode(b)) == b for every
// b, and the engine keeps working on QString.
//
// Escapes are not text: whatever shows a value to a person, or writes it
// for a tool that expects UTF-8 (JSON, CSV, HTML), uses forDisplay().
class RawText
{
public:
    static QString decode(QByteArrayView bytes);
    static QStringList decode(const QByteArrayList &list);
    // Escapes become their bytes, everything else UTF-8 (a lone surrogate
    // that is no escape becomes '?', as in toUtf8()).
    static QByteArray encode(QStringView text);
    static QByteArrayList encode(const QStringList &list);
    // Whether `text` holds an escape: only then does encode() differ from
    // toUtf8().
    static bool hasEscapes(QStringView text);
    static bool hasEscapes(const QStringList &list);
    // Whether this UTF-16 unit is an escape, when it is not the low half
    // of a pair.
    static bool isEscape(char16_t unit) { return unit >= 0xDC80 && unit <= 0xDCFF; }
    // Each escape as U+FFFD, the visible replacement character: valid
    // text, for people and for UTF-8 formats.
    static QString forDisplay(const QString &text);
};

} // namespace procdeck
