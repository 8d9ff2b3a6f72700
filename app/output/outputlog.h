#pragma once

#include "app/output/rawbytestore.h"

#include <QByteArray>
#include <QString>
#include <QStringDecoder>
#include <QStringView>

#include <deque>
#include <functional>
#include <memory>

namespace procdeck {

enum class Stream : quint8 { Stdout = 0, Stderr = 1 };

// Owns one job's captured stdout and stderr. Raw bytes are kept for export;
// text for display is decoded as UTF-8 with a decoder that keeps state
// between reads (a character split across two reads survives), and lines
// end at "\n", "\r\n" or a lone "\r" (all shown as "\n"). The display text
// is a bounded tail: the oldest text is dropped first and displayStart()
// says how much. A stream that writes a NUL byte is binary: from there on
// its display is a one-line note, as git and grep do. The model and the
// views only use this interface, so the storage behind it can change freely.
class OutputLog
{
public:
    struct Limits
    {
        qint64 memoryBytesPerStream = 4 << 20; // raw bytes beyond this go to disk
        // The tail kept for display (0: raw bytes only): a little more than
        // the output pane shows, so it can show it again at any time.
        qint64 displayChars = 256 * 1024;
    };

    OutputLog();
    explicit OutputLog(Limits limits);
    ~OutputLog();

    void append(Stream stream, const QByteArray &bytes);
    // Appending without a copy (see RawByteStore::reserve): room for up to
    // maxBytes of the stream's next bytes, null when nothing can be kept.
    // Fill it, then commitAppend() with how much was filled.
    char *beginAppend(Stream stream, qint64 maxBytes, qint64 *room);
    void commitAppend(Stream stream, qint64 bytes);
    // The job ended: an unfinished multi-byte sequence becomes U+FFFD.
    void finish();

    qint64 byteCount(Stream stream) const { return raw(stream).size(); }
    // What the stream's spill file takes on disk (compressed).
    qint64 bytesOnDisk(Stream stream) const { return raw(stream).bytesOnDisk(); }
    // Bytes of the stream still queued for the disk (see RawByteStore).
    qint64 spillBacklog(Stream stream) const { return raw(stream).backlog(); }
    QByteArray rawBytes(Stream stream) const { return raw(stream).readAll(); }
    // The raw bytes from `offset` on.
    QByteArray rawBytes(Stream stream, qint64 offset, qint64 maxBytes = -1) const
    {
        return raw(stream).readFrom(offset, maxBytes);
    }
    QString storageError() const;

    // The last line stdout printed: the unfinished line if there is one,
    // otherwise the last complete line.
    QString lastLine() const;

    // Display text, addressed by absolute offsets that never change:
    // [displayStart(), displayEnd()) is what is still kept. Text is decoded
    // only when it is read, and only the newest bytes that fit the display
    // budget ever are: output nobody looks at costs a memcpy. (Bytes dropped
    // undecoded count one offset each.)
    qint64 displayStart() const;
    qint64 displayEnd() const;
    // Calls fn for each run of same-stream text from absolute offset `from`.
    void forEachSegment(qint64 from, const std::function<void(Stream, QStringView)> &fn) const;
    // The stream wrote a NUL byte somewhere in its shown tail: binary
    // output, shown as a note instead of text (the raw bytes are all kept).
    bool isBinary(Stream stream) const;
    // All kept display text of one stream, for tests and copying.
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

    const RawByteStore &raw(Stream s) const { return s == Stream::Stdout ? m_stdout : m_stderr; }
    RawByteStore &raw(Stream s) { return s == Stream::Stdout ? m_stdout : m_stderr; }
    void decodePending() const;
    void showBinaryNote(Stream stream) const;
    void addText(Stream stream, const QString &decoded) const;
    void addDisplay(Stream stream, const QString &text) const;

    // Bytes not decoded yet, as a range of the stream's store: showing
    // output never costs a copy while it is taken in.
    struct Pending
    {
        Stream stream;
        qint64 offset;
        qint64 size;
    };

    Limits m_limits;
    RawByteStore m_stdout;
    RawByteStore m_stderr;
    QByteArray m_stdoutTail; // the last bytes of stdout, for lastLine()
    // lastLine() is asked on every repaint and sort comparison: worked out
    // once per change of stdout.
    mutable QString m_lastLine;
    mutable bool m_lastLineValid = true;
    // Decoding happens on read, so these change in const functions.
    mutable Decoding m_decoding[2];
    const char *m_appending = nullptr;     // handed out by beginAppend()
    mutable std::deque<Pending> m_pending; // raw ranges not decoded yet
    mutable qint64 m_pendingBytes = 0;
    mutable std::deque<Segment> m_segments;
    mutable qint64 m_displayStart = 0;
    mutable qint64 m_displaySize = 0;
};

} // namespace procdeck
