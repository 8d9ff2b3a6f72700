#include "app/batch/pipeblocks.h"

#include <cmath>

namespace procdeck {

namespace {

// Perl's index(STR, SUBSTR, POS) on buf[start..]: POS clamped into the
// string, an empty SUBSTR found at POS. Relative positions.
qsizetype perlIndex(const QByteArray &buf, qsizetype start, const QByteArray &needle, qsizetype pos)
{
    const qsizetype length = buf.size() - start;
    pos = qBound<qsizetype>(0, pos, length);
    if (needle.isEmpty())
        return pos;
    const qsizetype at = buf.indexOf(needle, start + pos);
    return at < 0 ? -1 : at - start;
}

// Perl's rindex(STR, SUBSTR, POS): the last SUBSTR starting at or before
// POS, POS clamped into the string (so -1 still looks at position 0).
qsizetype perlRindex(const QByteArray &buf, const QByteArray &needle, qsizetype pos)
{
    pos = qBound<qsizetype>(0, pos, buf.size());
    if (needle.isEmpty())
        return pos;
    return buf.lastIndexOf(needle, pos);
}

} // namespace

QByteArray PipeFormat::unescape(const QString &text)
{
    const QByteArray in = text.toUtf8();
    QByteArray out;
    for (qsizetype i = 0; i < in.size(); ++i) {
        const char c = in.at(i);
        if (c != '\\' || i + 1 >= in.size()) {
            out += c;
            continue;
        }
        switch (in.at(i + 1)) {
        case '0':
            out += '\0';
            break;
        case 'r':
            out += '\r';
            break;
        case 'n':
            out += '\n';
            break;
        case 't':
            out += '\t';
            break;
        case '\'':
            out += '\'';
            break;
        case '"':
            out += '"';
            break;
        case '\\':
            out += '\\';
            break;
        default:
            out += c;
            continue; // not an escape: the backslash stays
        }
        ++i;
    }
    return out;
}

PipeBlockSplitter::PipeBlockSplitter(const PipeFormat &format)
    : m_format(format)
    , m_pattern(format.recEnd + format.recStart)
    , m_blockSize(qBound<qint64>(1, format.blockSize, PipeFormat::MaxBlockSize))
{
    if (m_format.regexp) {
        // parallel's pass_regexp: the last record end followed by a record
        // start. Perl matches bytes, so the buffer is read as Latin-1 (one
        // character a byte) and so is the pattern's UTF-8.
        const QString end = QString::fromLatin1(
            m_format.recEnd.isEmpty() ? QByteArrayLiteral("(?s:.)") : m_format.recEnd);
        const QString start = QString::fromLatin1(m_format.recStart);
        m_regexp = QRegularExpression(
            QStringLiteral("^((?s:.)*(?:(?-x:%1)))(?:(?-x:%2))(?s:.)*?$").arg(end, start),
            QRegularExpression::MultilineOption);
    }
}

void PipeBlockSplitter::feed(const QByteArray &chunk)
{
    if (m_finished || chunk.isEmpty())
        return;
    m_pending += chunk;
    runRounds();
}

void PipeBlockSplitter::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    runRounds();
}

bool PipeBlockSplitter::takeBlock(QByteArray *out)
{
    if (m_blocks.empty())
        return false;
    *out = std::move(m_blocks.front());
    m_blocks.pop_front();
    return true;
}

QStringList PipeBlockSplitter::takeWarnings()
{
    return std::exchange(m_warnings, {});
}

void PipeBlockSplitter::runRounds()
{
    while (!m_done) {
        // A round reads up to the next multiple of the block size; only one
        // that meets the end of the input reads less (and cuts nothing but
        // the -N and -L records: the rest is the last block).
        const qint64 want = m_blockSize - m_buf.size() % m_blockSize;
        bool eof = false;
        const qsizetype available = m_pending.size() - m_pendingStart;
        if (available >= want) {
            m_buf += QByteArrayView(m_pending).sliced(m_pendingStart, want);
            m_pendingStart += want;
            if (m_pendingStart > m_pending.size() / 2) {
                // Dropped now and then, not every round: a big feed() of many
                // small blocks stays linear.
                m_pending.remove(0, m_pendingStart);
                m_pendingStart = 0;
            }
        } else if (m_finished) {
            m_buf += QByteArrayView(m_pending).sliced(m_pendingStart);
            m_pending.clear();
            m_pendingStart = 0;
            eof = true;
        } else {
            return; // the round waits for more input
        }
        m_cutSomething = false;
        cut(eof);
        if (eof) {
            if (!m_buf.isEmpty())
                m_blocks.push_back(std::exchange(m_buf, {}));
            m_done = true;
            return;
        }
        if (!m_cutSomething && m_blockSize < PipeFormat::MaxBlockSize) {
            // A record longer than the block: the block grows until it fits.
            const qint64 grown = qMin<qint64>(qint64(std::ceil(double(m_blockSize) * 1.3 + 1)),
                                              PipeFormat::MaxBlockSize);
            m_warnings << QStringLiteral("A record was longer than %1. Increasing to "
                                         "--blocksize %2.")
                              .arg(m_blockSize)
                              .arg(grown);
            m_blockSize = grown;
        }
    }
}

void PipeBlockSplitter::cut(bool eof)
{
    if (m_format.lines > 0 && m_format.records <= 0) {
        cutLines();
    } else if (m_format.records > 0) {
        cutRecords();
    } else if (!eof) {
        const qsizetype end = lastBoundary();
        if (end > 0)
            cutAt(end);
    }
}

void PipeBlockSplitter::cutAt(qsizetype end)
{
    m_blocks.push_back(m_buf.left(end));
    m_buf.remove(0, end);
    m_cutSomething = true;
}

qsizetype PipeBlockSplitter::lastBoundary() const
{
    if (m_format.regexp) {
        const QRegularExpressionMatch match = m_regexp.match(QString::fromLatin1(m_buf));
        return match.hasMatch() ? match.capturedLength(1) : -1;
    }
    const qsizetype at = perlRindex(m_buf, m_pattern, m_buf.size());
    return at < 0 ? -1 : at + m_format.recEnd.size();
}

void PipeBlockSplitter::cutRecords()
{
    // parallel's pass_n: the Nth record boundary, searched from the second
    // byte on (so a boundary at the very start does not count); every N
    // records of the buffer are a block. Cut by an offset, not one removal
    // a block, so a big buffer of small records stays linear.
    const qsizetype n = qsizetype(m_format.records) * qMax(1, m_format.lines);
    qsizetype start = 0;
    while (start < m_buf.size()) {
        qsizetype at = 0;
        for (qsizetype k = 0; k < n && at >= 0; ++k)
            at = perlIndex(m_buf, start, m_pattern, at + 1);
        if (at < 0)
            break;
        const qsizetype end = at + m_format.recEnd.size();
        m_blocks.push_back(m_buf.mid(start, end));
        start += end;
        m_cutSomething = true;
    }
    m_buf.remove(0, start);
}

void PipeBlockSplitter::cutLines()
{
    // parallel's pass_n_line_records: back from the last newline until the
    // lines before it are a multiple of -L.
    qsizetype lines = m_buf.count('\n');
    qsizetype last = perlRindex(m_buf, QByteArrayLiteral("\n"), m_buf.size());
    while (lines % m_format.lines != 0) {
        --lines;
        last = perlRindex(m_buf, QByteArrayLiteral("\n"), last - 1);
    }
    if (last + 1 > 0)
        cutAt(last + 1);
}

} // namespace procdeck
