#include "rawbytestore.h"

#include "spillwriter.h"

#include <QDir>
#include <QFile>
#include <QTemporaryFile>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <lz4.h>
#include <unistd.h>

namespace procdeck {

RawByteStore::RawByteStore(qint64 memoryLimit, qint64 blockBytes)
    : m_memoryLimit(memoryLimit)
    , m_blockBytes(qBound<qint64>(1, blockBytes, qint64(LZ4_MAX_INPUT_SIZE)))
{}

RawByteStore::~RawByteStore()
{
    // Nothing still queued needs writing: the file goes with the store.
    for (const InFlight &block : m_inFlight)
        block.file->cancel();
    if (m_file)
        SpillWriter::instance().close(m_file);
    if (!m_spillPath.isEmpty())
        QFile::remove(m_spillPath);
}

bool RawByteStore::openSpillFile()
{
    if (m_spillPath.isEmpty()) {
        const QString folder = QDir::tempPath();
        if (folder.isEmpty()) { // Qt's answer when $TMPDIR names no folder
            m_error = QStringLiteral("could not spill output to disk: the temporary folder "
                                     "%1 (TMPDIR) does not exist")
                          .arg(qEnvironmentVariable("TMPDIR"));
            return false;
        }
        QTemporaryFile temp(folder + QStringLiteral("/procdeck-output-XXXXXX"));
        temp.setAutoRemove(false); // we own the path from here on
        if (!temp.open()) {
            m_error = QStringLiteral("could not spill output to disk: %1").arg(temp.errorString());
            return false;
        }
        m_spillPath = temp.fileName();
    }
    const int fd = ::open(QFile::encodeName(m_spillPath).constData(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        m_error = QStringLiteral("could not open the output file: %1")
                      .arg(QString::fromLocal8Bit(strerror(errno)));
        return false;
    }
    m_file = std::make_shared<SpillFile>(fd, m_fileSize);
    return true;
}

bool RawByteStore::writeBlock(const char *data, qint64 size)
{
    const int bound = LZ4_compressBound(int(size));
    if (m_compressed.size() < bound)
        m_compressed.resize(bound);
    int stored = LZ4_compress_default(data, m_compressed.data(), int(size), bound);
    const char *out = m_compressed.constData();
    if (stored <= 0 || stored >= size) { // incompressible: keep it as it is
        stored = int(size);
        out = data;
    }
    if (!settle())
        return false;
    QByteArray bytes(out, stored); // the block buffer is reused at once
    m_inFlight.push_back(InFlight{m_file, m_fileSize, bytes});
    m_inFlightBytes += stored;
    SpillWriter::instance().write(m_file, m_fileSize, std::move(bytes));
    m_blocks.push_back(Block{blockedBytes(), m_fileSize, qint32(size), qint32(stored)});
    m_fileSize += stored;
    return true;
}

qint64 RawByteStore::blockedBytes() const
{
    return m_blocks.empty() ? 0 : m_blocks.back().rawOffset + m_blocks.back().rawSize;
}

bool RawByteStore::settle()
{
    while (!m_inFlight.empty()) {
        const InFlight &front = m_inFlight.front();
        if (front.file->error() != 0) {
            if (m_error.isEmpty())
                m_error = QStringLiteral("could not write output to disk: %1")
                              .arg(QString::fromLocal8Bit(strerror(front.file->error())));
            return false;
        }
        if (front.file->written() < front.fileOffset + front.bytes.size())
            break;
        m_inFlightBytes -= front.bytes.size();
        m_inFlight.pop_front();
    }
    return m_error.isEmpty();
}

qint64 RawByteStore::backlog()
{
    settle();
    return m_inFlightBytes;
}

QString RawByteStore::errorText() const
{
    if (!m_error.isEmpty() || m_inFlight.empty() || m_inFlight.front().file->error() == 0)
        return m_error;
    return QStringLiteral("could not write output to disk: %1")
        .arg(QString::fromLocal8Bit(strerror(m_inFlight.front().file->error())));
}

char *RawByteStore::reserve(qint64 maxBytes, qint64 *room)
{
    *room = 0;
    settle();
    if (maxBytes <= 0 || !m_error.isEmpty())
        return nullptr; // after a storage error the stream is cut short, never holed
    if (m_spillPath.isEmpty() && m_size < m_memoryLimit) {
        *room = qMin(maxBytes, m_memoryLimit - m_size);
    } else {
        if (m_spillPath.isEmpty() && !spill())
            return nullptr;
        if (!m_file && !openSpillFile()) // appending after close()
            return nullptr;
        *room = qMin(maxBytes, m_blockBytes - m_memory.size());
    }
    const qsizetype at = m_memory.size();
    m_memory.resize(at + *room); // within the reserved capacity: no copy
    m_reserved = *room;
    return m_memory.data() + at;
}

void RawByteStore::commit(qint64 bytes)
{
    bytes = qBound<qint64>(0, bytes, m_reserved);
    m_memory.resize(m_memory.size() - (m_reserved - bytes));
    m_reserved = 0;
    m_size += bytes;
    if (spilled() && m_memory.size() >= m_blockBytes &&
        writeBlock(m_memory.constData(), m_memory.size()))
        m_memory.resize(0); // keeps the capacity for the next block
    if (!m_error.isEmpty())
        m_size = blockedBytes() + m_memory.size(); // what is kept, exactly
}

void RawByteStore::append(const char *data, qint64 size)
{
    while (size > 0) {
        qint64 room = 0;
        char *to = reserve(size, &room);
        if (!to)
            return;
        memcpy(to, data, size_t(room));
        commit(room);
        data += room;
        size -= room;
    }
}

bool RawByteStore::spill()
{
    if (!openSpillFile())
        return false;
    // What was kept in memory goes out in whole blocks; the rest opens the
    // next block, in a buffer of its own size.
    qint64 written = 0;
    while (m_memory.size() - written >= m_blockBytes &&
           writeBlock(m_memory.constData() + written, m_blockBytes))
        written += m_blockBytes;
    QByteArray open;
    open.reserve(m_blockBytes);
    open.append(m_memory.constData() + written, m_memory.size() - written);
    m_memory = open;
    if (!m_error.isEmpty())
        m_size = blockedBytes() + m_memory.size();
    return m_error.isEmpty();
}

void RawByteStore::close()
{
    if (!spilled())
        m_memory.squeeze(); // a finished job keeps no spare capacity
    else if (m_file && !m_memory.isEmpty() && writeBlock(m_memory.constData(), m_memory.size()))
        m_memory = QByteArray();
    if (m_file) // a finished job holds no file descriptor, once its blocks are out
        SpillWriter::instance().close(m_file);
    m_file.reset();
}

QByteArray RawByteStore::readAll() const
{
    return readFrom(0);
}

const QByteArray &RawByteStore::blockBytes(qsizetype index, QFile &in) const
{
    if (m_cachedBlock == index)
        return m_cachedBytes;
    const Block &b = m_blocks[size_t(index)];
    m_cachedBlock = -1;
    m_cachedBytes.clear();
    QByteArray stored;
    // Still on its way to the disk? Then the bytes are here.
    auto queued =
        std::lower_bound(m_inFlight.begin(), m_inFlight.end(), b.fileOffset,
                         [](const InFlight &f, qint64 offset) { return f.fileOffset < offset; });
    if (queued != m_inFlight.end() && queued->fileOffset == b.fileOffset) {
        stored = queued->bytes;
    } else {
        if (!in.isOpen() && !in.open(QIODevice::ReadOnly))
            return m_cachedBytes;
        if (!in.seek(b.fileOffset))
            return m_cachedBytes;
        stored = in.read(b.storedSize);
    }
    if (stored.size() != b.storedSize)
        return m_cachedBytes;
    if (b.storedSize == b.rawSize) {
        m_cachedBytes = std::move(stored);
    } else {
        m_cachedBytes.resize(b.rawSize);
        if (LZ4_decompress_safe(stored.constData(), m_cachedBytes.data(), b.storedSize,
                                b.rawSize) != b.rawSize) {
            m_cachedBytes.clear();
            return m_cachedBytes;
        }
    }
    m_cachedBlock = index;
    return m_cachedBytes;
}

QByteArray RawByteStore::readFrom(qint64 offset, qint64 maxBytes) const
{
    offset = qMax<qint64>(0, offset);
    if (m_spillPath.isEmpty())
        return m_memory.mid(offset, maxBytes < 0 ? -1 : maxBytes);
    const qint64 end = maxBytes < 0 ? m_size : qMin(m_size, offset + maxBytes);
    QByteArray out;
    if (offset >= end)
        return out;
    out.reserve(end - offset);
    QFile in(m_spillPath);
    // The first block that ends past offset.
    auto it =
        std::upper_bound(m_blocks.begin(), m_blocks.end(), offset,
                         [](qint64 at, const Block &b) { return at < b.rawOffset + b.rawSize; });
    qint64 at = offset;
    for (; it != m_blocks.end() && at < end; ++it) {
        const QByteArray &bytes = blockBytes(it - m_blocks.begin(), in);
        if (bytes.size() != it->rawSize)
            return out; // the file was damaged under us: what could be read
        const qint64 from = at - it->rawOffset;
        const qint64 take = qMin<qint64>(it->rawSize - from, end - at);
        out.append(bytes.constData() + from, take);
        at += take;
    }
    if (at < end) { // the rest is in the open block
        const qint64 from = at - blockedBytes();
        out.append(m_memory.constData() + from, end - at);
    }
    return out;
}

} // namespace procdeck
