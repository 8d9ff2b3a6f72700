#pragma once

#include <QByteArray>
#include <QString>

namespace procdeck {

// Writes a whole file so that it is either complete or not there: the
// bytes go to a temporary file beside it, which replaces the target only
// once everything is written (QSaveFile). On error the old file, if any,
// is untouched and the message names the file and the reason.
class AtomicFile
{
public:
    static bool write(const QString &path, const QByteArray &bytes, QString *error);
};

} // namespace procdeck
