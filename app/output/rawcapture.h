#pragma once

#include "app/output/rawbytestore.h"

#include <QByteArray>
#include <QString>

namespace procdeck {

enum class Stream : quint8 { Stdout = 0, Stderr = 1 };

// Every raw byte of one job's stdout and stderr, kept for export (in
// memory, then spilled; see RawByteStore), and the last line stdout
// printed, for the table. Appends can go without a copy: reserve room,
// read(2) into it, commit.
class RawCapture
{
public:
    explicit RawCapture(qint64 memoryBytesPerStream);

    // Room for up to maxBytes of the stream's next bytes, or null when
    // nothing can be kept (a storage error). Fill it, then commit().
    char *reserve(Stream stream, qint64 maxBytes, qint64 *room);
    // Returns how many of the bytes the store kept.
    qint64 commit(Stream stream, qint64 bytes);
    // The job ended: spill files are closed (they stay readable).
    void close();

    qint64 byteCount(Stream stream) const { return store(stream).size(); }
    qint64 bytesOnDisk(Stream stream) const { return store(stream).bytesOnDisk(); }
    qint64 spillBacklog(Stream stream) const { return store(stream).backlog(); }
    QByteArray readAll(Stream stream) const { return store(stream).readAll(); }
    QByteArray readFrom(Stream stream, qint64 offset, qint64 maxBytes = -1) const
    {
        return store(stream).readFrom(offset, maxBytes);
    }
    QString storageError() const;
    // The unfinished line stdout is printing, or else its last whole line.
    QString lastLine() const;

private:
    const RawByteStore &store(Stream s) const { return s == Stream::Stdout ? m_stdout : m_stderr; }
    RawByteStore &store(Stream s) { return s == Stream::Stdout ? m_stdout : m_stderr; }

    RawByteStore m_stdout;
    RawByteStore m_stderr;
    const char *m_reserved = nullptr; // handed out by reserve()
    QByteArray m_stdoutTail;          // the last bytes of stdout, for lastLine()
    // lastLine() is asked on every repaint and sort comparison: worked out
    // once per change of stdout.
    mutable QString m_lastLine;
    mutable bool m_lastLineValid = true;
};

} // namespace procdeck
