#pragma once

#include "app/core/expected.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace procdeck {

class ExportSelection;

// JSON Lines with GNU parallel's --results FILE.json fields: one object per
// job, in input order: Seq, Host, Starttime, JobRuntime, Send, Receive,
// Exitval, Signal, Command, V (an array), Stdout, Stderr, plus procdeck's
// Status. Output that is not valid UTF-8 cannot be a JSON string as it is:
// then Stdout/Stderr hold it with U+FFFD for the bad bytes and
// StdoutBase64/StderrBase64 hold every byte, base64-encoded.
class JsonLinesWriter
{
public:
    static Expected<void> write(const QString &path, const ExportSelection &jobs);
    // Sets key (and key + "Base64" when needed) to the bytes.
    static void putBytes(QJsonObject &object, const QString &key, const QByteArray &bytes);
};

} // namespace procdeck
