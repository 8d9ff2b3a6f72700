#include "atomicfile.h"

namespace procdeck {

bool AtomicFile::open(const QString &path, QString *error)
{
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, m_file.errorString());
        return false;
    }
    return true;
}

void AtomicFile::write(const QByteArray &bytes)
{
    if (!m_failed && m_file.write(bytes) != bytes.size())
        m_failed = true; // reported by commit()
}

bool AtomicFile::commit(QString *error)
{
    if (m_failed || !m_file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(m_file.fileName(), m_file.errorString());
        m_file.cancelWriting();
        return false;
    }
    return true;
}

bool AtomicFile::write(const QString &path, const QByteArray &bytes, QString *error)
{
    AtomicFile file;
    if (!file.open(path, error))
        return false;
    file.write(bytes);
    return file.commit(error);
}

} // namespace procdeck
