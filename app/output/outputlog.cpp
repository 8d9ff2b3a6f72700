#include "app/output/outputlog.h"

#include <cstring>

namespace procdeck {

namespace {
// New display segments start past this size, so trimming the tail drops whole
// segments instead of shifting one huge string.
constexpr qsizetype kSegmentChars = 64 * 1024;
constexpr qsizetype kTailBytes = 4096; // lastLine() looks this far back
} // namespace

OutputLog::OutputLog()
    : OutputLog(Limits{})
{}

OutputLog::OutputLog(Limits limits)
    : m_limits(limits)
    , m_stdout(limits.memoryBytesPerStream)
    , m_stderr(limits.memoryBytesPerStream)
{}

OutputLog::~OutputLog() = default;

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

char *OutputLog::beginAppend(Stream stream, qint64 maxBytes, qint64 *room)
{
    char *to = raw(stream).reserve(maxBytes, room);
    m_appending = to;
    return to;
}

void OutputLog::commitAppend(Stream stream, qint64 bytes)
{
    RawByteStore &store = raw(stream);
    const qint64 offset = store.size();
    if (bytes > 0 && stream == Stream::Stdout && m_appending) {
        // Before the commit: a full block leaves the buffer at commit.
        const qint64 take = qMin<qint64>(bytes, kTailBytes);
        m_stdoutTail.append(m_appending + bytes - take, take);
        if (m_stdoutTail.size() > 2 * kTailBytes)
            m_stdoutTail = m_stdoutTail.right(kTailBytes);
        m_lastLineValid = false;
    }
    m_appending = nullptr;
    store.commit(bytes);
    bytes = store.size() - offset; // what the store kept
    if (bytes <= 0 || m_limits.displayChars <= 0)
        return; // raw bytes only: nothing is shown, so nothing is decoded
    if (m_decoding[int(stream)].binary && m_decoding[int(stream)].binaryNoteShown)
        return; // binary: the note says it all
    if (!m_pending.empty() && m_pending.back().stream == stream &&
        m_pending.back().offset + m_pending.back().size == offset)
        m_pending.back().size += bytes;
    else
        m_pending.push_back(Pending{stream, offset, bytes});
    m_pendingBytes += bytes;
    // Only the newest display budget of bytes can ever be shown (a byte is
    // at most one character): older ones, and all text decoded before
    // them, leave the tail undecoded.
    while (m_pendingBytes > m_limits.displayChars) {
        Pending &front = m_pending.front();
        const qint64 dropped = qMin(front.size, m_pendingBytes - m_limits.displayChars);
        front.offset += dropped;
        front.size -= dropped;
        m_pendingBytes -= dropped;
        m_displayStart += m_displaySize + dropped;
        m_displaySize = 0;
        m_segments.clear();
        for (Decoding &d : m_decoding) { // the text restarts mid-stream
            d.carry.clear();
            d.pendingCarriageReturn = false;
            d.startsMidStream = true;
            d.binaryNoteShown = false; // it went with the segments
        }
        if (front.size == 0)
            m_pending.pop_front();
    }
}

// How many bytes at the end start a multi-byte sequence that is not
// complete yet (0 when the data ends on a whole character).
static qsizetype unfinishedSequence(const QByteArray &data)
{
    for (qsizetype back = 1; back <= 3 && back <= data.size(); ++back) {
        const uchar c = uchar(data.at(data.size() - back));
        if ((c & 0xC0) == 0x80)
            continue; // a continuation byte: look further back for the lead
        if ((c & 0xC0) != 0xC0)
            return 0; // ASCII
        const int length = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
        return length > back ? back : 0;
    }
    return 0;
}

void OutputLog::decodePending() const
{
    while (!m_pending.empty()) {
        const Pending chunk = m_pending.front();
        m_pending.pop_front();
        m_pendingBytes -= chunk.size;
        Decoding &state = m_decoding[int(chunk.stream)];
        if (state.binary) { // nothing of it is shown: not even read
            showBinaryNote(chunk.stream);
            continue;
        }
        QByteArray bytes = raw(chunk.stream).readFrom(chunk.offset, chunk.size);
        if (state.startsMidStream) {
            state.startsMidStream = false;
            qsizetype skip = 0;
            while (skip < 3 && skip < bytes.size() && (uchar(bytes.at(skip)) & 0xC0) == 0x80)
                ++skip;
            bytes.remove(0, skip);
        }
        const qsizetype nul = bytes.indexOf('\0');
        if (nul >= 0) {
            // Binary output: its text would be noise, and laying out
            // characters no font has stalls the window. What came before
            // the first NUL is shown, then a note.
            state.binary = true;
            bytes.truncate(nul);
        }
        QByteArray data = state.carry.isEmpty() ? bytes : state.carry + bytes;
        // (Binary: what comes after the NUL never completes a character.)
        const qsizetype unfinished = state.binary ? 0 : unfinishedSequence(data);
        state.carry = data.right(unfinished);
        data.chop(unfinished);
        // Whole characters only, so a stateless decoder is exact; a bad byte
        // becomes one U+FFFD and the text after it is kept.
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        addText(chunk.stream, decoder.decode(data));
        if (state.binary)
            showBinaryNote(chunk.stream);
    }
}

void OutputLog::showBinaryNote(Stream stream) const
{
    Decoding &state = m_decoding[int(stream)];
    if (state.binaryNoteShown)
        return;
    state.binaryNoteShown = true;
    const bool midLine = !m_segments.empty() && m_segments.back().stream == stream &&
                         !m_segments.back().text.endsWith(QLatin1Char('\n'));
    addDisplay(stream, QStringLiteral("%1[binary output (it has NUL bytes): not shown; every byte "
                                      "is kept for export]\n")
                           .arg(midLine ? QStringLiteral("\n") : QString()));
}

bool OutputLog::isBinary(Stream stream) const
{
    decodePending();
    return m_decoding[int(stream)].binary;
}

qint64 OutputLog::displayStart() const
{
    decodePending();
    return m_displayStart;
}

qint64 OutputLog::displayEnd() const
{
    decodePending();
    return m_displayStart + m_displaySize;
}

void OutputLog::finish()
{
    decodePending();
    for (Stream s : {Stream::Stdout, Stream::Stderr}) {
        // A sequence the job never finished still shows up, as U+FFFD.
        Decoding &state = m_decoding[int(s)];
        if (!state.carry.isEmpty())
            addText(s, QString(QChar::ReplacementCharacter));
        state.carry.clear();
    }
    m_stdout.close();
    m_stderr.close();
}

QString OutputLog::storageError() const
{
    return !m_stdout.errorText().isEmpty() ? m_stdout.errorText() : m_stderr.errorText();
}

void OutputLog::addText(Stream stream, const QString &decoded) const
{
    if (decoded.isEmpty())
        return;
    Decoding &state = m_decoding[int(stream)];
    if (!state.pendingCarriageReturn && !decoded.contains(QLatin1Char('\r'))) {
        addDisplay(stream, decoded); // the common case: nothing to rewrite
        return;
    }
    // "\r\n" and a lone "\r" both end a line: show them as "\n".
    QString text;
    text.reserve(decoded.size());
    qsizetype from = 0;
    if (state.pendingCarriageReturn && decoded.startsWith(QLatin1Char('\n')))
        from = 1; // the "\r" that ended the last chunk already ended this line
    state.pendingCarriageReturn = false;
    while (from < decoded.size()) {
        const qsizetype cr = decoded.indexOf(QLatin1Char('\r'), from);
        if (cr < 0) {
            text.append(QStringView(decoded).mid(from));
            break;
        }
        text.append(QStringView(decoded).mid(from, cr - from));
        text.append(QLatin1Char('\n'));
        from = cr + 1;
        if (from < decoded.size() && decoded.at(from) == QLatin1Char('\n'))
            ++from;
        else if (from == decoded.size())
            state.pendingCarriageReturn = true;
    }
    if (!text.isEmpty())
        addDisplay(stream, text);
}

void OutputLog::addDisplay(Stream stream, const QString &text) const
{
    if (!m_segments.empty() && m_segments.back().stream == stream &&
        m_segments.back().text.size() < kSegmentChars) {
        m_segments.back().text.append(text);
    } else {
        m_segments.push_back(Segment{stream, text});
    }
    m_displaySize += text.size();
    while (m_displaySize > m_limits.displayChars && m_segments.size() > 1) {
        const qint64 dropped = m_segments.front().text.size();
        m_segments.pop_front();
        m_displayStart += dropped;
        m_displaySize -= dropped;
    }
    if (m_displaySize > m_limits.displayChars) {
        // One segment larger than the whole budget: keep its tail.
        Segment &only = m_segments.front();
        const qint64 excess = m_displaySize - m_limits.displayChars;
        only.text.remove(0, excess);
        m_displayStart += excess;
        m_displaySize -= excess;
    }
}

QString OutputLog::lastLine() const
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

void OutputLog::forEachSegment(qint64 from,
                               const std::function<void(Stream, QStringView)> &fn) const
{
    decodePending();
    qint64 offset = m_displayStart;
    for (const Segment &seg : m_segments) {
        const qint64 end = offset + seg.text.size();
        if (end > from) {
            const qint64 skip = from > offset ? from - offset : 0;
            fn(seg.stream, QStringView(seg.text).mid(skip));
        }
        offset = end;
    }
}

QString OutputLog::displayText(Stream stream) const
{
    QString out;
    forEachSegment(displayStart(), [&](Stream s, QStringView text) {
        if (s == stream)
            out.append(text);
    });
    return out;
}

} // namespace procdeck
