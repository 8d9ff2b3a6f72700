#include "app/export/joblogreader.h"

#include "app/core/rawtext.h"

#include <QFile>

namespace procdeck {

Expected<QList<JoblogReader::Entry>> JoblogReader::read(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return QList<Entry>();
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read the joblog %1: %2").arg(path, file.errorString()));
    QList<Entry> entries;
    int lineNumber = 0;
    while (!file.atEnd()) {
        QByteArray line = file.readLine();
        ++lineNumber;
        if (line.endsWith('\n'))
            line.chop(1);
        if (lineNumber == 1 || line.isEmpty())
            continue; // the header; an empty last line
        // Seq Host Starttime JobRuntime Send Receive Exitval Signal Command;
        // the command may hold tabs of its own.
        const QList<QByteArray> fields = line.split('\t');
        bool ok = fields.size() >= 9 && !fields.at(1).trimmed().isEmpty();
        Entry e;
        if (ok)
            e.seq = fields.at(0).toInt(&ok);
        for (int f = 2; ok && f <= 5; ++f) {
            const double value = fields.at(f).trimmed().toDouble(&ok);
            if (f == 2)
                e.started = value != 0;
        }
        if (ok)
            e.exitval = fields.at(6).trimmed().toInt(&ok);
        if (ok)
            e.signal = fields.at(7).trimmed().toInt(&ok);
        if (!ok || e.seq < 1) {
            return fail(QStringLiteral("the joblog %1 is not one: line %2 is \"%3\"")
                            .arg(path)
                            .arg(lineNumber)
                            .arg(QString::fromUtf8(line.left(80))));
        }
        qsizetype start = 0; // of the command: after the eighth tab
        for (int tab = 0; tab < 8; ++tab)
            start = line.indexOf('\t', start) + 1;
        QByteArray command = line.mid(start);
        command.replace('\0', '\n');
        e.command = RawText::decode(command);
        entries.append(e);
    }
    return entries;
}

} // namespace procdeck
