#pragma once

#include "app/output/displaytail.h"
#include "app/output/rawcapture.h"

#include <QByteArray>
#include <QString>
#include <QStringView>

#include <functional>

namespace procdeck {

// One job's captured output: every raw byte of stdout and stderr for
// export (RawCapture) and a bounded, lazily decoded tail of text for
// display (DisplayTail). The model, the views and the exports use only
// this interface, so the storage behind it can change freely.
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
    OutputLog(const OutputLog &) = delete;
    OutputLog &operator=(const OutputLog &) = delete;

    void append(Stream stream, const QByteArray &bytes);
    // Appending without a copy: room for up to maxBytes of the stream's
    // next bytes, null when nothing can be kept. Fill it, then
    // commitAppend() with how much was filled.
    char *beginAppend(Stream stream, qint64 maxBytes, qint64 *room)
    {
        return m_raw.reserve(stream, maxBytes, room);
    }
    void commitAppend(Stream stream, qint64 bytes);
    // The job ended: an unfinished multi-byte sequence becomes U+FFFD, and
    // the spill files are closed.
    void finish();

    // Raw bytes (see RawCapture).
    qint64 byteCount(Stream stream) const { return m_raw.byteCount(stream); }
    qint64 bytesOnDisk(Stream stream) const { return m_raw.bytesOnDisk(stream); }
    qint64 spillBacklog(Stream stream) const { return m_raw.spillBacklog(stream); }
    QByteArray rawBytes(Stream stream) const { return m_raw.readAll(stream); }
    QByteArray rawBytes(Stream stream, qint64 offset, qint64 maxBytes = -1) const
    {
        return m_raw.readFrom(stream, offset, maxBytes);
    }
    QString storageError() const { return m_raw.storageError(); }
    QString lastLine() const { return m_raw.lastLine(); }

    // Display text (see DisplayTail).
    qint64 displayStart() const { return m_display.displayStart(); }
    qint64 displayEnd() const { return m_display.displayEnd(); }
    void forEachSegment(qint64 from, const std::function<void(Stream, QStringView)> &fn) const
    {
        m_display.forEachSegment(from, fn);
    }
    bool isBinary(Stream stream) const { return m_display.isBinary(stream); }
    QString displayText(Stream stream) const { return m_display.displayText(stream); }

private:
    RawCapture m_raw;
    DisplayTail m_display;
};

} // namespace procdeck
