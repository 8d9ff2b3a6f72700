#pragma once

#include "app/output/rawcapture.h"

#include <QString>
#include <QStringView>

#include <deque>
#include <functional>

namespace procdeck {

// The text of one job's output for display: a bounded tail of both
// streams, in the order they came. Bytes are decoded only when the text is
// read, and only the newest that fit the budget ever are: until then they
// are ranges of the RawCapture, not copies. Decoding is UTF-8 by whole
// characters (a character split across two reads survives; a bad byte is
// one U+FFFD), and "\n", "\r\n" and a lone "\r" all end a line. A stream
// that writes a NUL byte is binary: its display is then a one-line note,
// as git and grep do.
class DisplayTail
{
public:
    // displayChars: the budget (0: nothing is ever decoded).
    DisplayTail(const RawCapture &raw, qint64 displayChars);
    DisplayTail(const DisplayTail &) = delete;
    DisplayTail &operator=(const DisplayTail &) = delete;

    // The capture kept `bytes` more of the stream, starting at `offset`.
    void appended(Stream stream, qint64 offset, qint64 bytes);
    // The job ended: an unfinished multi-byte sequence becomes U+FFFD.
    void finish();

    // Text is addressed by absolute offsets that never change:
    // [displayStart(), displayEnd()) is what is kept. (Bytes dropped
    // undecoded count one offset each.)
    qint64 displayStart() const;
    qint64 displayEnd() const;
    // Calls fn for each run of same-stream text from absolute offset `from`.
    void forEachSegment(qint64 from, const std::function<void(Stream, QStringView)> &fn) const;
    bool isBinary(Stream stream) const;
    QString displayText(Stream stream) const;

private:
    struct Segment
    {
        Stream stream;
        QString text;
    };
    struct Decoding
    {
        // An unfinished multi-byte sequence at the end of the last chunk,
        // completed by the next one. Kept by hand: Qt 6.4's stateful
        // decoder drops the character after a sequence cut short.
        QByteArray carry;
        bool pendingCarriageReturn = false;
        // The older bytes were dropped undecoded, maybe mid-character: the
        // first decode skips continuation bytes instead of showing U+FFFD.
        bool startsMidStream = false;
        // The stream wrote a NUL byte: it is binary, and from there on its
        // display text is one note saying so.
        bool binary = false;
        bool binaryNoteShown = false;
    };
    // Bytes not decoded yet, as a range of the stream's capture.
    struct Pending
    {
        Stream stream;
        qint64 offset;
        qint64 size;
    };

    void decodePending() const;
    void showBinaryNote(Stream stream) const;
    void addText(Stream stream, const QString &decoded) const;
    void addDisplay(Stream stream, const QString &text) const;

    const RawCapture &m_raw;
    qint64 m_displayChars;
    // Decoding happens on read, so these change in const functions.
    mutable Decoding m_decoding[2];
    mutable std::deque<Pending> m_pending; // raw ranges not decoded yet
    mutable qint64 m_pendingBytes = 0;
    mutable std::deque<Segment> m_segments;
    mutable qint64 m_displayStart = 0;
    mutable qint64 m_displaySize = 0;
};

} // namespace procdeck
