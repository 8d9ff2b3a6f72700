#include "app/export/joblogwriter.h"

#include "app/core/atomicfile.h"
#include "app/core/rawtext.h"
#include "app/export/jobfields.h"

namespace procdeck {

QByteArray JoblogWriter::header()
{
    return QByteArrayLiteral(
        "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand");
}

QByteArray JoblogWriter::line(const JobFields &f)
{
    // The command's bytes, as parallel writes them: --retry-failed runs it again.
    QByteArray command = RawText::encode(f.command);
    command.replace('\n', '\0'); // one job, one line, as parallel writes it
    QByteArray out;
    out += QByteArray::number(f.seq) + '\t';
    out += ":\t";
    out += QByteArray::number(f.startTime, 'f', 3) + '\t';
    out += QByteArray::number(f.runtime, 'f', 3).rightJustified(10, ' ') + '\t';
    out += QByteArray::number(f.send) + '\t';
    out += QByteArray::number(f.receive) + '\t';
    out += QByteArray::number(f.exitval) + '\t';
    out += QByteArray::number(f.signal) + '\t';
    out += command;
    return out;
}

Expected<void> JoblogWriter::open(const QString &path, bool append)
{
    m_file.setFileName(path);
    if (append && m_file.size() > 0) {
        // A last line cut short (a crash) ends before the new ones start.
        bool endsInNewline = true;
        if (QFile existing(path); existing.open(QIODevice::ReadOnly)) {
            existing.seek(existing.size() - 1);
            endsInNewline = existing.read(1) == "\n";
        }
        if (m_file.open(QIODevice::WriteOnly | QIODevice::Append) &&
            (endsInNewline || (m_file.write("\n") == 1 && m_file.flush())))
            return {};
        const QString message =
            QStringLiteral("cannot write the joblog %1: %2").arg(path, m_file.errorString());
        m_file.close();
        return fail(message);
    }
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        m_file.write(header() + '\n') < 0 || !m_file.flush()) {
        const QString message =
            QStringLiteral("cannot write the joblog %1: %2").arg(path, m_file.errorString());
        m_file.close();
        return fail(message);
    }
    return {};
}

Expected<void> JoblogWriter::write(const JobFields &fields)
{
    if (!m_file.isOpen())
        return fail(QStringLiteral("the joblog is not open"));
    const QByteArray bytes = line(fields) + '\n';
    if (m_file.write(bytes) != bytes.size() || !m_file.flush())
        return fail(QStringLiteral("cannot write the joblog %1: %2")
                        .arg(m_file.fileName(), m_file.errorString()));
    return {};
}

Expected<void> JoblogWriter::writeFile(const QString &path, const ExportSelection &jobs)
{
    AtomicFile file;
    if (Expected<void> opened = file.open(path); !opened)
        return opened;
    file.write(header() + '\n');
    for (const JobFields &f : jobs.inFinishingOrder())
        file.write(line(f) + '\n');
    return file.commit();
}

} // namespace procdeck
