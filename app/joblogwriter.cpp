#include "joblogwriter.h"

#include "atomicfile.h"
#include "jobfields.h"
#include "jobstore.h"

namespace procdeck {

QByteArray JoblogWriter::header()
{
    return QByteArrayLiteral(
        "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand");
}

QByteArray JoblogWriter::line(const JobFields &f)
{
    QByteArray command = f.command.toUtf8();
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

bool JoblogWriter::open(const QString &path, QString *error)
{
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        m_file.write(header() + '\n') < 0 || !m_file.flush()) {
        *error = QStringLiteral("cannot write the joblog %1: %2").arg(path, m_file.errorString());
        m_file.close();
        return false;
    }
    return true;
}

void JoblogWriter::write(const JobRecord &job)
{
    if (!m_file.isOpen())
        return;
    m_file.write(line(JobFields::of(job, job.seq)) + '\n');
    m_file.flush();
}

bool JoblogWriter::writeFile(const QString &path, const ExportSelection &jobs, QString *error)
{
    AtomicFile file;
    if (!file.open(path, error))
        return false;
    file.write(header() + '\n');
    for (const JobFields &f : jobs.inFinishingOrder())
        file.write(line(f) + '\n');
    return file.commit(error);
}

} // namespace procdeck
