#include "app/cli/fdio.h"

#include <cerrno>
#include <unistd.h>

namespace procdeck {

bool writeAll(int fd, const QByteArray &bytes)
{
    const char *data = bytes.constData();
    qsizetype left = bytes.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, data, size_t(left));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += n;
        left -= n;
    }
    return true;
}

void printError(const QString &message)
{
    writeAll(2, QStringLiteral("procdeck: %1\n").arg(message).toLocal8Bit());
}

} // namespace procdeck
