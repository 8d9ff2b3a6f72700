#include "app/output/displaytail.h"

#include "app/output/rawcapture.h"

#include <QStringDecoder>

namespace procdeck {

namespace {
// New display segments start past this size, so trimming the tail drops whole
// segments instead of shifting one huge string.
constexpr qsizetype kSegmentChars = 64 * 1024;
} // namespace

DisplayTail::DisplayTail(const RawCapture &raw, qint64 displayChars)
    : m_raw(raw)
    , m_displayChars(displayChars)
{}

void DisplayTail::appended(Stream stream, qint64 offset, qint64 bytes)
{
    if (bytes <= 0 || m_displayChars <= 0)
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
    while (m_pendingBytes > m_displayChars) {
        Pending &front = m_pending.front();
        const qint64 dropped = qMin(front.size, m_pendingBytes - m_displayChars);
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

void DisplayTail::decodePending() const
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
        QByteArray bytes = m_raw.readFrom(chunk.stream, chunk.offset, chunk.size);
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

void DisplayTail::showBinaryNote(Stream stream) const
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

bool DisplayTail::isBinary(Stream stream) const
{
    decodePending();
    return m_decoding[int(stream)].binary;
}

qint64 DisplayTail::displayStart() const
{
    decodePending();
    return m_displayStart;
}

qint64 DisplayTail::displayEnd() const
{
    decodePending();
    return m_displayStart + m_displaySize;
}

void DisplayTail::finish()
{
    decodePending();
    for (Stream s : {Stream::Stdout, Stream::Stderr}) {
        // A sequence the job never finished still shows up, as U+FFFD.
        Decoding &state = m_decoding[int(s)];
        if (!state.carry.isEmpty())
            addText(s, QString(QChar::ReplacementCharacter));
        state.carry.clear();
    }
}

void DisplayTail::addText(Stream stream, const QString &decoded) const
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

void DisplayTail::addDisplay(Stream stream, const QString &text) const
{
    if (!m_segments.empty() && m_segments.back().stream == stream &&
        m_segments.back().text.size() < kSegmentChars) {
        m_segments.back().text.append(text);
    } else {
        m_segments.push_back(Segment{stream, text});
    }
    m_displaySize += text.size();
    while (m_displaySize > m_displayChars && m_segments.size() > 1) {
        const qint64 dropped = m_segments.front().text.size();
        m_segments.pop_front();
        m_displayStart += dropped;
        m_displaySize -= dropped;
    }
    if (m_displaySize > m_displayChars) {
        // One segment larger than the whole budget: keep its tail.
        Segment &only = m_segments.front();
        const qint64 excess = m_displaySize - m_displayChars;
        only.text.remove(0, excess);
        m_displayStart += excess;
        m_displaySize -= excess;
    }
}

void DisplayTail::forEachSegment(qint64 from,
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

QString DisplayTail::displayText(Stream stream) const
{
    QString out;
    forEachSegment(displayStart(), [&](Stream s, QStringView text) {
        if (s == stream)
            out.append(text);
    });
    return out;
}

} // namespace procdeck
