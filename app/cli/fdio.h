#pragma once

#include <QByteArray>
#include <QString>

namespace procdeck {

// Writes every byte to a descriptor (stdout 1, stderr 2). False when the
// reader has gone (EPIPE: `procdeck run ... | head`) or the write failed.
bool writeAll(int fd, const QByteArray &bytes);
// "procdeck: MESSAGE" on stderr.
void printError(const QString &message);

} // namespace procdeck
