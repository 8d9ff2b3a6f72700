#pragma once

#include <QByteArray>
#include <QRegularExpression>
#include <QStringList>

#include <deque>
#include <utility>

namespace procdeck {

// How --pipe cuts procdeck's stdin into records and blocks (GNU parallel's
// --block, --recstart, --recend, --regexp, -N and -L under --pipe).
struct PipeFormat
{
    // parallel's largest block (2 GB - 1 byte: more causes problems in Perl).
    static constexpr qint64 MaxBlockSize = (qint64(1) << 31) - 1;

    qint64 blockSize = 1024 * 1024; // --block: bytes read a round; parallel's default 1M
    // A record ends with recEnd and the next starts with recStart; a block
    // is only cut between the two. Empty recStart: any record start.
    QByteArray recStart;
    QByteArray recEnd = QByteArrayLiteral("\n");
    // --regexp: recStart and recEnd are Perl-style regular expressions.
    // Not with records > 0 (parallel's -N --regexp is not spoken).
    bool regexp = false;
    int records = 0; // -N: records a block instead of about blockSize bytes; 0: none
    int lines = 0;   // -L: a block holds a multiple of this many lines; 0: none

    // "\\n", "\\t", "\\0", "\\r", "\\\\", "\\'" and "\\\"" as parallel reads
    // them in --recstart and --recend (not with --regexp).
    static QByteArray unescape(const QString &text);
};

// Splits a stream into --pipe blocks as GNU parallel 20221122 does, so the
// same input makes the same blocks: parallel reads the input in rounds, each
// up to the next multiple of the block size (all of it unless the input
// ends), then cuts off everything up to the last record boundary in what it
// has read (with -N: every N records; with -L: the most whole multiples of
// L lines). A round that cuts nothing grows the block by 30% (a record
// longer than the block); what is left at the end of the input is the last
// block.
//
// Incremental: feed() the input as it arrives and takeBlock() each block as
// soon as it is known, then finish() at the end of the input, so jobs can
// start while input still arrives.
class PipeBlockSplitter
{
public:
    explicit PipeBlockSplitter(const PipeFormat &format);

    void feed(const QByteArray &chunk);
    // The end of the input: what is left becomes the last blocks.
    void finish();
    // The next complete block, in input order. False when none is known yet
    // (or, after finish(), none is left).
    bool takeBlock(QByteArray *out);
    // "A record was longer than N. Increasing to --blocksize M." for each
    // growth since the last call, as parallel warns.
    QStringList takeWarnings();
    qint64 blockSize() const { return m_blockSize; }

private:
    void runRounds();
    void cut(bool eof);
    void cutAt(qsizetype end);
    qsizetype lastBoundary() const;
    void cutRecords();
    void cutLines();

    PipeFormat m_format;
    QByteArray m_pattern; // recEnd + recStart: where a block may be cut
    QRegularExpression m_regexp;
    qint64 m_blockSize;
    QByteArray m_pending; // fed; what a round has read of it ends at m_pendingStart
    qsizetype m_pendingStart = 0;
    QByteArray m_buf; // parallel's buffer: read, not yet cut off
    bool m_finished = false;
    bool m_done = false;
    bool m_cutSomething = false;
    std::deque<QByteArray> m_blocks;
    QStringList m_warnings;
};

} // namespace procdeck
