#pragma once

#include "app/core/expected.h"

#include <QByteArray>
#include <QSaveFile>
#include <QString>

namespace procdeck {

// Writes a file so that it is either complete or not there: the bytes go
// to a temporary file beside it, which replaces the target only at
// commit() (QSaveFile). Written piece by piece, so an export of large
// outputs needs memory for one job at a time. On error the old file, if
// any, is untouched and the message names the file and the reason.
class AtomicFile
{
public:
    Expected<void> open(const QString &path);
    void write(const QByteArray &bytes);
    Expected<void> commit();

    // The whole file at once.
    static Expected<void> write(const QString &path, const QByteArray &bytes);

private:
    QSaveFile m_file;
    bool m_failed = false;
};

} // namespace procdeck
