#include "app/batch/inputreader.h"

#include <QMetaObject>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

namespace procdeck {

InputReader::InputReader(int fd, bool ownsFd, QObject *parent)
    : QObject(parent)
    , m_fd(fd)
    , m_ownsFd(ownsFd)
{
    if (::pipe2(m_wake, O_CLOEXEC) != 0)
        m_wake[0] = m_wake[1] = -1; // start() says so
}

InputReader::~InputReader()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_roomLeft.notify_all();
    if (m_wake[1] >= 0) {
        const char byte = 0;
        [[maybe_unused]] const ssize_t n = ::write(m_wake[1], &byte, 1);
    }
    if (m_thread.joinable())
        m_thread.join();
    for (int fd : m_wake) {
        if (fd >= 0)
            ::close(fd);
    }
    if (m_ownsFd && m_fd >= 0)
        ::close(m_fd);
}

void InputReader::dispose(std::unique_ptr<InputReader> *reader, QObject *owner)
{
    if (!*reader)
        return;
    disconnect(reader->get(), nullptr, owner, nullptr);
    reader->release()->deleteLater();
}

void InputReader::start()
{
    if (m_wake[0] < 0) {
        // Without its wake pipe the thread could not be stopped: no thread,
        // and the input ends with the reason.
        std::lock_guard lock(m_mutex);
        m_eof = true;
        m_error = QStringLiteral("cannot make a pipe: %1")
                      .arg(QString::fromLocal8Bit(std::strerror(errno)));
        notify();
        return;
    }
    if (!m_thread.joinable())
        m_thread = std::thread([this] { run(); });
}

QByteArray InputReader::take()
{
    QByteArray all;
    {
        std::lock_guard lock(m_mutex);
        if (m_chunks.size() == 1) {
            all = std::move(m_chunks.front());
        } else {
            all.reserve(m_buffered);
            for (const QByteArray &c : m_chunks)
                all += c;
        }
        m_chunks.clear();
        m_buffered = 0;
        m_notified = false;
    }
    m_roomLeft.notify_all();
    return all;
}

bool InputReader::atEnd() const
{
    std::lock_guard lock(m_mutex);
    return m_eof && m_chunks.empty();
}

QString InputReader::error() const
{
    std::lock_guard lock(m_mutex);
    return m_error;
}

void InputReader::notify()
{
    // Called with the lock held; the signal is queued, never direct: the
    // reader lives on the thread that takes.
    if (m_notified)
        return;
    m_notified = true;
    QMetaObject::invokeMethod(this, &InputReader::readyRead, Qt::QueuedConnection);
}

void InputReader::run()
{
    const qsizetype chunkBytes = 64 * 1024;
    QString error;
    while (true) {
        {
            std::unique_lock lock(m_mutex);
            m_roomLeft.wait(lock, [this] { return m_stop || m_buffered < bufferBytes; });
            if (m_stop)
                return;
        }
        // poll first: read() on a pipe that stays quiet could not be woken
        // to stop.
        pollfd fds[2] = {{m_fd, POLLIN, 0}, {m_wake[0], POLLIN, 0}};
        const int ready = ::poll(fds, m_wake[0] >= 0 ? 2 : 1, -1);
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            error = QString::fromLocal8Bit(std::strerror(errno));
            break;
        }
        if (fds[1].revents)
            return; // told to stop
        QByteArray chunk(chunkBytes, Qt::Uninitialized);
        const ssize_t n = ::read(m_fd, chunk.data(), size_t(chunkBytes));
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            error = QString::fromLocal8Bit(std::strerror(errno));
            break;
        }
        if (n == 0)
            break;
        chunk.truncate(qsizetype(n));
        std::lock_guard lock(m_mutex);
        m_buffered += chunk.size();
        m_chunks.push_back(std::move(chunk));
        notify();
    }
    std::lock_guard lock(m_mutex);
    m_eof = true;
    m_error = error;
    m_notified = false; // the end is news even when bytes wait
    notify();
}

} // namespace procdeck
