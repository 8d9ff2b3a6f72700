#include "app/export/csvwriter.h"

#include "app/core/atomicfile.h"
#include "app/core/rawtext.h"
#include "app/engine/jobquery.h"
#include "app/export/jobfields.h"
#include "app/output/outputlog.h"

namespace procdeck {

QByteArray CsvWriter::field(const QByteArray &value)
{
    bool quote = false;
    for (char c : value) {
        if (c == ',' || c == '"' || c == '\n' || c == '\r') {
            quote = true;
            break;
        }
    }
    if (!quote)
        return value;
    QByteArray quoted = value;
    quoted.replace('"', "\"\"");
    return '"' + quoted + '"';
}

Expected<void> CsvWriter::write(const QString &path, const ExportSelection &jobs)
{
    AtomicFile file;
    if (Expected<void> opened = file.open(path); !opened)
        return opened;
    const int values = jobs.maxValues();
    QByteArray out = "Seq,Host,Starttime,JobRuntime,Send,Receive,Exitval,Signal,Command";
    for (int v = 1; v <= values; ++v)
        out += ",V" + QByteArray::number(v);
    // procdeck's own columns come after parallel's, so readers of its
    // format find theirs where they expect them.
    out += ",Stdout,Stderr,CPUTime,PeakRSS\r\n";
    file.write(out);
    for (const JobFields &f : jobs.inInputOrder()) {
        const OutputLog *log = jobs.jobs().output(f.index);
        QByteArrayList row{QByteArray::number(f.seq),
                           ":",
                           QByteArray::number(f.startTime, 'f', 3),
                           QByteArray::number(f.runtime, 'f', 3),
                           QByteArray::number(f.send),
                           QByteArray::number(f.receive),
                           QByteArray::number(f.exitval),
                           QByteArray::number(f.signal),
                           field(RawText::encode(f.command))};
        // Bytes, as the output columns and parallel's CSV: read back with
        // surrogate escapes, every byte of a value that is no UTF-8 returns.
        for (int v = 0; v < values; ++v)
            row << field(RawText::encode(f.values.value(v)));
        row << field(log ? log->rawBytes(Stream::Stdout) : QByteArray());
        row << field(log ? log->rawBytes(Stream::Stderr) : QByteArray());
        row << (f.cpuTime >= 0 ? QByteArray::number(f.cpuTime, 'f', 3) : QByteArray());
        row << (f.peakRss >= 0 ? QByteArray::number(f.peakRss) : QByteArray());
        file.write(row.join(',') + "\r\n"); // one job in memory at a time
    }
    return file.commit();
}

} // namespace procdeck
