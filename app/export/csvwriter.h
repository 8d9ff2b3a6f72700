#pragma once

#include "app/core/expected.h"

#include <QByteArray>
#include <QString>

namespace procdeck {

class ExportSelection;

// RFC 4180 CSV with GNU parallel's --results FILE.csv columns: a header,
// then one row per job in input order, Seq,Host,Starttime,JobRuntime,Send,
// Receive,Exitval,Signal,Command,V1..Vn,Stdout,Stderr. Stdout and Stderr
// are the raw bytes (a reader decoding them as UTF-8 with surrogate escapes
// gets every byte back); CRLF ends a record, as the RFC says.
class CsvWriter
{
public:
    static Expected<void> write(const QString &path, const ExportSelection &jobs);
    static QByteArray field(const QByteArray &value);
};

} // namespace procdeck
