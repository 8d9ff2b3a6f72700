#include "app/output/rawbytestore.h"

#include "app/output/spillwriter.h"

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

namespace {
QString writeErrorText(int error)
{
    return QStringLiteral("could not write output to disk: %1")
        .arg(QString::fromLocal8Bit(strerror(error)));
}
} // namespace

RawByteStore::RawByteStore(qint64 memoryLimit, qint64 blockBytes)
    : m_memoryLimit(memoryLimit)
    , m_blockBytes(qBound<qint64>(1, blockBytes, qint64(LZ4_MAX_INPUT_SIZE)))
{}

RawByteStore::~RawByteStore()
{
    // Nothing still queued needs writing: the file goes with the store.
    for (const std::shared_ptr<SpillFile> &file : m_files)
        file->cancel();
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
    m_file = std::make_shared<SpillFile>(fd);
    m_files.push_back(m_file);
    return true;
}

bool RawByteStore::writeBlock(const char *data, qint64 size)
{
    if (!checkWrites())
        return false; // before compressing: nothing more is taken
    const int bound = LZ4_compressBound(int(size));
    if (m_compressed.size() < bound)
        m_compressed.resize(bound);
    int stored = LZ4_compress_default(data, m_compressed.data(), int(size), bound);
    const char *out = m_compressed.constData();
    if (stored <= 0 || stored >= size) { // incompressible: keep it as it is
        stored = int(size);
        out = data;
    }
    // A copy: the block buffer is reused at once.
    SpillWriter::instance().write(m_file, m_fileSize, QByteArray(out, stored));
    m_blocks.push_back(Block{blockedBytes(), m_fileSize, qint32(size), qint32(stored)});
    m_fileSize += stored;
    return true;
}

qint64 RawByteStore::blockedBytes() const
{
    return m_blocks.empty() ? 0 : m_blocks.back().rawOffset + m_blocks.back().rawSize;
}

bool RawByteStore::checkWrites()
{
    if (!m_error.isEmpty())
        return false;
    for (const std::shared_ptr<SpillFile> &file : m_files) {
        if (file->error() != 0) {
            m_error = writeErrorText(file->error());
            m_memory = QByteArray(); // it would go nowhere
            m_size = blockedBytes();
            return false;
        }
    }
    return true;
}

qint64 RawByteStore::backlog() const
{
    qint64 total = 0;
    for (const std::shared_ptr<SpillFile> &file : m_files)
        total += file->backlog();
    return total;
}

QString RawByteStore::errorText() const
{
    if (!m_error.isEmpty())
        return m_error;
    for (const std::shared_ptr<SpillFile> &file : m_files) {
        if (file->error() != 0)
            return writeErrorText(file->error());
    }
    return QString();
}

char *RawByteStore::reserve(qint64 maxBytes, qint64 *room)
{
    *room = 0;
    if (maxBytes <= 0 || !checkWrites())
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
    if (!m_error.isEmpty())
        return false; // a write failed meanwhile: the memory went with it
    QByteArray open;
    open.reserve(m_blockBytes);
    open.append(m_memory.constData() + written, m_memory.size() - written);
    m_memory = open;
    return true;
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
    // Nor more memory than its index: the scratch buffers go too.
    m_compressed = QByteArray();
    m_cachedBytes = QByteArray();
    m_cachedBlock = -1;
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
    for (const std::shared_ptr<SpillFile> &file : m_files) {
        stored = file->queued(b.fileOffset);
        if (!stored.isNull())
            break;
    }
    if (stored.isNull()) {
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
