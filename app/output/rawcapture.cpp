#include "app/output/rawcapture.h"

namespace procdeck {

namespace {
constexpr qsizetype kTailBytes = 4096; // lastLine() looks this far back
} // namespace

RawCapture::RawCapture(qint64 memoryBytesPerStream)
    : m_stdout(memoryBytesPerStream)
    , m_stderr(memoryBytesPerStream)
{}

char *RawCapture::reserve(Stream stream, qint64 maxBytes, qint64 *room)
{
    char *to = store(stream).reserve(maxBytes, room);
    m_reserved = to;
    return to;
}

qint64 RawCapture::commit(Stream stream, qint64 bytes)
{
    RawByteStore &s = store(stream);
    const qint64 before = s.size();
    if (bytes > 0 && stream == Stream::Stdout && m_reserved) {
        // Before the commit: a full block leaves the buffer at commit.
        const qint64 take = qMin<qint64>(bytes, kTailBytes);
        m_stdoutTail.append(m_reserved + bytes - take, take);
        if (m_stdoutTail.size() > 2 * kTailBytes)
            m_stdoutTail = m_stdoutTail.right(kTailBytes);
        m_lastLineValid = false;
    }
    m_reserved = nullptr;
    s.commit(bytes);
    return s.size() - before;
}

void RawCapture::close()
{
    m_stdout.close();
    m_stderr.close();
}

QString RawCapture::storageError() const
{
    return !m_stdout.errorText().isEmpty() ? m_stdout.errorText() : m_stderr.errorText();
}

QString RawCapture::lastLine() const
{
    // From the raw tail, so it costs nothing while nobody asks.
    if (m_lastLineValid)
        return m_lastLine;
    m_lastLineValid = true;
    QByteArray tail = m_stdoutTail.right(kTailBytes);
    tail.replace("\r\n", "\n");
    tail.replace('\r', '\n');
    qsizetype end = tail.size();
    if (tail.endsWith('\n'))
        --end; // the last line is complete: show it
    // (lastIndexOf from -1 would search from the end again, hence the guard.)
    const qsizetype start = end > 0 ? tail.lastIndexOf('\n', end - 1) + 1 : 0;
    const QByteArray line = tail.mid(start, end - start);
    m_lastLine = line.contains('\0') ? QStringLiteral("[binary output]") : QString::fromUtf8(line);
    return m_lastLine;
}

} // namespace procdeck
