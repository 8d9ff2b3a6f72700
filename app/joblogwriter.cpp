#include "joblogwriter.h"

#include "jobstore.h"

namespace procdeck {

QByteArray JoblogWriter::header()
{
    return QByteArrayLiteral(
        "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand");
}

QByteArray JoblogWriter::line(const JobRecord &job)
{
    const JobResult &r = job.result;
    int exitval = 0;
    int signal = 0;
    switch (r.outcome) {
    case Outcome::Exited:
        exitval = r.exitCode;
        break;
    case Outcome::Signaled:
        // A job that died of a signal by itself: parallel logs 0 and the
        // signal; one that was killed (stopped) is -1, as for a timeout.
        exitval = r.stoppedByUser ? -1 : 0;
        signal = r.signal;
        break;
    case Outcome::TimedOut:
        exitval = -1;
        signal = r.signal != 0 ? r.signal : 15;
        break;
    case Outcome::FailedToStart:
        exitval = 127; // what a shell reports for a command it cannot run
        break;
    case Outcome::Canceled:
    case Outcome::None:
        exitval = -1;
        break;
    }
    QByteArray command = job.spec.displayCommand().toUtf8();
    command.replace('\n', '\0'); // one job, one line, as parallel writes it
    QByteArray out;
    out += QByteArray::number(job.seq) + '\t';
    out += ":\t";
    out += QByteArray::number(double(r.startedAtMs) / 1000.0, 'f', 3) + '\t';
    out += QByteArray::number(double(r.runtimeNs) / 1e9, 'f', 3).rightJustified(10, ' ') + '\t';
    out += "0\t";
    out += QByteArray::number(job.output ? job.output->byteCount(Stream::Stdout) : 0) + '\t';
    out += QByteArray::number(exitval) + '\t';
    out += QByteArray::number(signal) + '\t';
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
    m_file.write(line(job) + '\n');
    m_file.flush();
}

} // namespace procdeck
