#include "app/core/atomicfile.h"

namespace procdeck {

Expected<void> AtomicFile::open(const QString &path)
{
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::WriteOnly))
        return fail(QStringLiteral("cannot write %1: %2").arg(path, m_file.errorString()));
    return {};
}

void AtomicFile::write(const QByteArray &bytes)
{
    if (!m_failed && m_file.write(bytes) != bytes.size())
        m_failed = true; // reported by commit()
}

Expected<void> AtomicFile::commit()
{
    if (m_failed || !m_file.commit()) {
        const QString message =
            QStringLiteral("cannot write %1: %2").arg(m_file.fileName(), m_file.errorString());
        m_file.cancelWriting();
        return fail(message);
    }
    return {};
}

Expected<void> AtomicFile::write(const QString &path, const QByteArray &bytes)
{
    AtomicFile file;
    if (Expected<void> opened = file.open(path); !opened)
        return opened;
    file.write(bytes);
    return file.commit();
}

} // namespace procdeck
