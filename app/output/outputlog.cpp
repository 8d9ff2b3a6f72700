#include "app/output/outputlog.h"

#include <cstring>

namespace procdeck {

OutputLog::OutputLog()
    : OutputLog(Limits{})
{}

OutputLog::OutputLog(Limits limits)
    : m_raw(limits.memoryBytesPerStream)
    , m_display(m_raw, limits.displayChars)
{}

void OutputLog::append(Stream stream, const QByteArray &bytes)
{
    const char *data = bytes.constData();
    qint64 left = bytes.size();
    while (left > 0) {
        qint64 room = 0;
        char *to = beginAppend(stream, left, &room);
        if (!to)
            return; // a storage error: storageError() says so
        memcpy(to, data, size_t(room));
        commitAppend(stream, room);
        data += room;
        left -= room;
    }
}

void OutputLog::commitAppend(Stream stream, qint64 bytes)
{
    const qint64 offset = m_raw.byteCount(stream);
    const qint64 kept = m_raw.commit(stream, bytes);
    m_display.appended(stream, offset, kept);
}

void OutputLog::finish()
{
    m_display.finish();
    m_raw.close();
}

} // namespace procdeck
