#include "app/export/jsonlineswriter.h"

#include "app/core/atomicfile.h"
#include "app/engine/jobquery.h"
#include "app/export/jobfields.h"
#include "app/output/outputlog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStringDecoder>

namespace procdeck {

void JsonLinesWriter::putBytes(QJsonObject &object, const QString &key, const QByteArray &bytes)
{
    // Stateless: a sequence cut off at the end is an error too, not held back.
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder.decode(bytes);
    object.insert(key, text);
    if (decoder.hasError())
        object.insert(key + QStringLiteral("Base64"), QString::fromLatin1(bytes.toBase64()));
}

Expected<void> JsonLinesWriter::write(const QString &path, const ExportSelection &jobs)
{
    AtomicFile file;
    if (Expected<void> opened = file.open(path); !opened)
        return opened;
    for (const JobFields &raw : jobs.inInputOrder()) {
        const JobFields f = raw.asText();
        const OutputLog *log = jobs.jobs().output(f.index);
        QJsonObject o;
        o.insert(QStringLiteral("Seq"), f.seq);
        o.insert(QStringLiteral("Host"), QStringLiteral(":"));
        o.insert(QStringLiteral("Starttime"), f.startTime);
        o.insert(QStringLiteral("JobRuntime"), f.runtime);
        o.insert(QStringLiteral("Send"), f.send);
        o.insert(QStringLiteral("Receive"), f.receive);
        o.insert(QStringLiteral("Exitval"), f.exitval);
        o.insert(QStringLiteral("Signal"), f.signal);
        o.insert(QStringLiteral("Command"), f.command);
        o.insert(QStringLiteral("V"), QJsonArray::fromStringList(f.values));
        putBytes(o, QStringLiteral("Stdout"), log ? log->rawBytes(Stream::Stdout) : QByteArray());
        putBytes(o, QStringLiteral("Stderr"), log ? log->rawBytes(Stream::Stderr) : QByteArray());
        o.insert(QStringLiteral("Status"), f.status);
        o.insert(QStringLiteral("CPUTime"), f.cpuTime >= 0 ? QJsonValue(f.cpuTime) : QJsonValue());
        o.insert(QStringLiteral("PeakRSS"),
                 f.peakRss >= 0 ? QJsonValue(double(f.peakRss)) : QJsonValue());
        file.write(QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n'); // one job at a time
    }
    return file.commit();
}

} // namespace procdeck
