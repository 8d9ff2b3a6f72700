#include "app/cli/outputprinter.h"

#include "app/cli/fdio.h"
#include "app/cli/progressline.h"
#include "app/core/rawtext.h"
#include "app/engine/jobquery.h"

#include <QDir>
#include <QFile>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace procdeck {

OutputPrinter::OutputPrinter(const JobQuery *jobs, const RunOptions &options,
                             ProgressLine *progress, QObject *parent)
    : QObject(parent)
    , m_jobs(jobs)
    , m_options(options)
    , m_progress(progress)
{}

Expected<void> OutputPrinter::setTagString(const QString &text, int sourceCount,
                                           const QHash<QString, int> &columnNames)
{
    CommandTemplate::Options options;
    options.valueCount = sourceCount;
    options.appendValues = false;
    options.columnNames = columnNames;
    auto t = CommandTemplate::parse(text, options);
    if (!t)
        return fail(QStringLiteral("--tagstring: %1").arg(t.error()));
    m_tagTemplate = std::move(t).value();
    return {};
}

void OutputPrinter::begin(int firstJob)
{
    m_firstJob = m_nextInOrder = firstJob;
    m_printed.clear();
}

OutputPrinter::Printed &OutputPrinter::printed(int index)
{
    // Jobs arrive as the input is read: each gets its entry when first seen.
    const auto at = size_t(index - m_firstJob);
    if (at >= m_printed.size())
        m_printed.resize(at + 1);
    return m_printed[at];
}

bool OutputPrinter::mayPrint(int index) const
{
    return !m_options.keepOrder || index == m_nextInOrder;
}

void OutputPrinter::onJobOutput(int index)
{
    if ((m_options.lineBuffer || m_options.ungroup) && !m_options.files && mayPrint(index))
        printAvailable(index, false);
}

QByteArray OutputPrinter::tagFor(int index) const
{
    if (!m_options.tag)
        return QByteArray();
    const QStringList values = m_jobs->spec(index).inputValues;
    QString tag = m_tagTemplate ? m_tagTemplate->plainText(values, m_jobs->seq(index))
                                : values.join(QLatin1Char(' '));
    tag.replace(CommandTemplate::slotMarker(), QString::number(m_jobs->slot(index)));
    return RawText::encode(tag) + '\t';
}

void OutputPrinter::onJobFinished(int index)
{
    printed(index).finished = true;
    if (!m_options.keepOrder) {
        printAvailable(index, true);
    } else {
        // -k: print every finished job at the head of the order; the next
        // one still running may stream its lines with --line-buffer.
        const auto known = [this](int i) { return size_t(i - m_firstJob) < m_printed.size(); };
        while (known(m_nextInOrder) && printed(m_nextInOrder).finished) {
            printAvailable(m_nextInOrder, true);
            ++m_nextInOrder;
            if (m_options.lineBuffer && known(m_nextInOrder))
                printAvailable(m_nextInOrder, false);
        }
    }
    // What is all out is forgotten: the entries are those of the jobs in
    // flight (and, with -k, those waiting for an earlier one).
    while (!m_printed.empty() && m_printed.front().printed) {
        m_printed.pop_front();
        ++m_firstJob;
    }
}

bool OutputPrinter::write(int fd, const QByteArray &bytes)
{
    if (m_outputBroken)
        return false;
    if (writeAll(fd, bytes))
        return true;
    // The reader of our output went away: the run stops, then leaves (141).
    m_outputBroken = true;
    emit outputGone();
    return false;
}

void OutputPrinter::printToFile(int index)
{
    // parallel's name and place: parXXXXXX.par in --tmpdir (or $TMPDIR),
    // readable by its owner only (mkstemps), named as the folder was given.
    const QString folder = m_options.tmpdir.isEmpty() ? QDir::tempPath() : m_options.tmpdir;
    QByteArray path = QFile::encodeName(QDir(folder).filePath(QStringLiteral("parXXXXXX.par")));
    const int fd = ::mkstemps(path.data(), 4);
    bool ok = fd >= 0;
    if (ok && m_options.verbose)
        ok = writeAll(fd, RawText::encode(m_jobs->spec(index).displayCommand()) + '\n');
    const OutputLog *log = m_jobs->output(index);
    constexpr qint64 kPiece = 1 << 20; // spilled output is read a piece at a time
    for (qint64 offset = 0; ok && log && offset < log->byteCount(Stream::Stdout);) {
        const QByteArray bytes = log->rawBytes(Stream::Stdout, offset, kPiece);
        if (bytes.isEmpty())
            break;
        ok = writeAll(fd, bytes);
        offset += bytes.size();
    }
    const int error = errno;
    if (fd >= 0 && ::close(fd) != 0 && ok) {
        ok = false;
        errno = error;
    }
    if (!ok) {
        // Said for each job, and no part of the file is left; the run goes
        // on, and ends with 255.
        printError(QStringLiteral("--files: cannot write job %1's output to %2: %3")
                       .arg(m_jobs->seq(index))
                       .arg(fd >= 0 ? QFile::decodeName(path) : folder,
                            QString::fromLocal8Bit(std::strerror(error))));
        if (fd >= 0)
            ::unlink(path.constData());
        m_filesFailed = true;
        return;
    }
    m_progress->clear();
    write(1, tagFor(index) + path + '\n');
}

void OutputPrinter::printAvailable(int index, bool final)
{
    Printed &p = printed(index);
    if (p.printed)
        return;
    if (m_options.files) {
        if (!final)
            return;
        if (!m_outputBroken)
            printToFile(index);
        printStream(index, Stream::Stderr, final);
        p.printed = true;
        reportFailedStart(index);
        emit jobPrinted(index);
        return;
    }
    const OutputLog *log = m_jobs->output(index);
    const bool hasOutput =
        log && log->byteCount(Stream::Stdout) + log->byteCount(Stream::Stderr) > 0;
    if (m_options.verbose && !p.commandShown && !m_outputBroken && (final || hasOutput)) {
        // -v: the command goes first, on stdout, as parallel prints it.
        p.commandShown = true;
        if (!write(1, tagFor(index) + RawText::encode(m_jobs->spec(index).displayCommand()) + '\n'))
            return;
    }
    printStream(index, Stream::Stdout, final);
    printStream(index, Stream::Stderr, final);
    if (!final)
        return;
    p.printed = true;
    reportFailedStart(index);
    emit jobPrinted(index);
}

void OutputPrinter::reportFailedStart(int index)
{
    const JobResult &result = m_jobs->result(index);
    if (result.outcome == Outcome::FailedToStart) {
        // Under parallel the shell says "command not found"; say it too.
        printError(QStringLiteral("job %1 (%2) failed to start: %3")
                       .arg(m_jobs->seq(index))
                       .arg(m_jobs->spec(index).displayCommand(), result.errorText));
    }
}

void OutputPrinter::printStream(int index, Stream stream, bool final)
{
    if (m_outputBroken)
        return;
    const OutputLog *log = m_jobs->output(index);
    if (!log)
        return;
    Printed &p = printed(index);
    if (p.attempt != m_jobs->attempt(index)) {
        // A retry: a new attempt with a new log; print it from its start.
        // (Not the log's address: a new log can get the old one's.)
        p.attempt = m_jobs->attempt(index);
        p.offset[0] = p.offset[1] = p.scanned[0] = p.scanned[1] = 0;
        p.atLineStart[0] = p.atLineStart[1] = true;
    }
    qint64 &offset = p.offset[int(stream)];
    qint64 &scanned = p.scanned[int(stream)];
    const qint64 size = log->byteCount(stream);
    qint64 end = size;
    if (!final && !m_options.ungroup) {
        // Only whole lines while the job runs. Look for a newline only in
        // what came since the last look, so a long line costs nothing extra.
        const QByteArray fresh = log->rawBytes(stream, qMax(offset, scanned));
        const qsizetype newline = fresh.lastIndexOf('\n');
        scanned = size;
        if (newline < 0)
            return;
        end = qMax(offset, size - fresh.size()) + newline + 1;
    }
    constexpr qint64 kPiece = 1 << 20; // spilled output is read a piece at a time
    const QByteArray tag = tagFor(index);
    while (offset < end) {
        QByteArray bytes = log->rawBytes(stream, offset, qMin(kPiece, end - offset));
        if (bytes.isEmpty())
            break;
        offset += bytes.size();
        m_progress->clear(); // the progress line goes first
        if (!tag.isEmpty()) {
            QByteArray tagged;
            qsizetype start = 0;
            while (start < bytes.size()) {
                qsizetype lineEnd = bytes.indexOf('\n', start);
                lineEnd = lineEnd < 0 ? bytes.size() : lineEnd + 1;
                if (p.atLineStart[int(stream)])
                    tagged += tag;
                tagged += bytes.mid(start, lineEnd - start);
                p.atLineStart[int(stream)] = tagged.endsWith('\n');
                start = lineEnd;
            }
            bytes = tagged;
        }
        if (!write(stream == Stream::Stdout ? 1 : 2, bytes))
            return;
    }
}

} // namespace procdeck
