#include "jsonlineswriter.h"

#include "atomicfile.h"
#include "jobfields.h"
#include "jobstore.h"

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

bool JsonLinesWriter::write(const QString &path, const ExportSelection &jobs, QString *error)
{
    AtomicFile file;
    if (!file.open(path, error))
        return false;
    for (const JobFields &f : jobs.inInputOrder()) {
        const JobRecord &job = jobs.store().job(f.index);
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
        putBytes(o, QStringLiteral("Stdout"),
                 job.output ? job.output->rawBytes(Stream::Stdout) : QByteArray());
        putBytes(o, QStringLiteral("Stderr"),
                 job.output ? job.output->rawBytes(Stream::Stderr) : QByteArray());
        o.insert(QStringLiteral("Status"), f.status);
        file.write(QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n'); // one job at a time
    }
    return file.commit(error);
}

} // namespace procdeck
