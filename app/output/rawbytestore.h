#pragma once

#include <QByteArray>
#include <QString>

#include <deque>
#include <memory>
#include <vector>

class QFile;

namespace procdeck {
class SpillFile;
}

namespace procdeck {

// Keeps every byte one stream wrote, exactly. Small outputs stay in memory;
// past a threshold everything moves to a temporary file so memory stays
// bounded however much a job prints.
//
// The file holds LZ4-compressed blocks of blockBytes raw bytes each (a
// block that does not shrink is stored as it is). Job output is mostly
// text and compresses several times over, and on a busy disk the writes
// are what limits how fast output can be taken in: compressing costs the
// reading thread less than writing the bytes out would. An index of the
// blocks keeps reads from any offset cheap.
//
// The writes themselves happen on the SpillWriter's thread: a busy disk can
// block a write for long. Blocks on their way out are kept here (and read
// from here) until they are written; backlog() says how many bytes that
// is, so the reader can pause a job that prints faster than the disk takes.
class RawByteStore
{
public:
    static constexpr qint64 kDefaultBlockBytes = 1024 * 1024;

    explicit RawByteStore(qint64 memoryLimit, qint64 blockBytes = kDefaultBlockBytes);
    ~RawByteStore();
    RawByteStore(const RawByteStore &) = delete;
    RawByteStore &operator=(const RawByteStore &) = delete;

    void append(const char *data, qint64 size);
    // Appending without a copy: room for up to maxBytes at the end of the
    // stream (*room says how much; less near a block's end, 0 after a
    // storage error), filled by the caller (a read(2) straight into it),
    // then commit() says how many bytes it filled. Nothing else may touch
    // the store in between.
    char *reserve(qint64 maxBytes, qint64 *room);
    void commit(qint64 bytes);
    // Writes out the unfinished block and closes the spill file (it is kept
    // until this store dies), so finished jobs hold no file descriptor and
    // at most a block of memory.
    void close();
    QByteArray readAll() const;
    // Up to maxBytes from offset on (all of it when maxBytes < 0).
    QByteArray readFrom(qint64 offset, qint64 maxBytes = -1) const;
    qint64 size() const { return m_size; }
    bool spilled() const { return !m_spillPath.isEmpty(); }
    // What the spill file takes on disk (0 while everything is in memory).
    qint64 bytesOnDisk() const { return m_fileSize; }
    QString errorText() const;
    // Bytes queued for the disk and not written yet (0 after a failed
    // write: nothing more is on its way).
    qint64 backlog() const;

private:
    struct Block
    {
        qint64 rawOffset;  // where its bytes start in the stream
        qint64 fileOffset; // where it starts in the spill file
        qint32 rawSize;
        qint32 storedSize; // == rawSize: stored uncompressed
    };

    bool openSpillFile();
    bool spill(); // memory to the spill file, once the memory limit is reached
    bool writeBlock(const char *data, qint64 size);
    // Takes note of a write that failed on the writer's thread.
    bool checkWrites();
    // The raw bytes of block i (the last one read is kept: reads in pieces
    // walk through a block one piece at a time).
    const QByteArray &blockBytes(qsizetype index, QFile &in) const;
    qint64 blockedBytes() const;

    qint64 m_memoryLimit;
    qint64 m_blockBytes;
    qint64 m_size = 0;
    // Before the spill: every byte. After it: the block being filled.
    QByteArray m_memory;
    std::vector<Block> m_blocks;
    qint64 m_fileSize = 0;
    std::shared_ptr<SpillFile> m_file; // open while the job writes
    // Every descriptor opened on the spill file (one, or more after
    // appends past close()): blocks still queued are read from them.
    std::vector<std::shared_ptr<SpillFile>> m_files;
    QString m_spillPath; // the spill file, removed with the store
    QString m_error;
    qint64 m_reserved = 0;   // handed out by reserve(), not committed yet
    QByteArray m_compressed; // scratch space for one compressed block
    mutable qsizetype m_cachedBlock = -1;
    mutable QByteArray m_cachedBytes;
};

} // namespace procdeck
