#include "app/output/spillwriter.h"

#include <cerrno>
#include <unistd.h>

namespace procdeck {

SpillFile::SpillFile(int fd)
    : m_fd(fd)
{}

SpillFile::~SpillFile()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

QByteArray SpillFile::queued(qint64 offset) const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    auto it = m_queued.find(offset);
    return it == m_queued.end() ? QByteArray() : it->second;
}

qint64 SpillFile::backlog() const
{
    if (error() != 0)
        return 0;
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_queuedBytes;
}

void SpillFile::cancel()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_cancelled = true;
    m_queued.clear();
    m_queuedBytes = 0;
}

SpillWriter &SpillWriter::instance()
{
    static SpillWriter writer;
    return writer;
}

SpillWriter::SpillWriter()
    : m_thread([this] { run(); })
{}

SpillWriter::~SpillWriter()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true; // the process is ending: what is still queued is dropped
    }
    m_wake.notify_one();
    m_thread.join();
}

void SpillWriter::write(const std::shared_ptr<SpillFile> &file, qint64 offset,
                        const QByteArray &bytes)
{
    {
        std::lock_guard<std::mutex> lock(file->m_mutex);
        file->m_queued[offset] = bytes;
        file->m_queuedBytes += bytes.size();
    }
    push(Task{file, offset, false});
}

void SpillWriter::close(std::shared_ptr<SpillFile> file)
{
    push(Task{std::move(file), 0, true});
}

void SpillWriter::push(Task task)
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_tasks.push_back(std::move(task));
    }
    m_wake.notify_one();
}

void SpillWriter::waitUntilIdle()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    m_idle.wait(lock, [this] { return m_tasks.empty() && !m_busy; });
}

void SpillWriter::setPaused(bool paused)
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_paused = paused;
    }
    m_wake.notify_one();
}

void SpillWriter::run()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [this] { return m_stop || (!m_paused && !m_tasks.empty()); });
        if (m_stop)
            return;
        Task task = std::move(m_tasks.front());
        m_tasks.pop_front();
        m_busy = true;
        lock.unlock();
        perform(task);
        task = Task(); // the last reference may close the file: not under the lock
        lock.lock();
        m_busy = false;
        if (m_tasks.empty())
            m_idle.notify_all();
    }
}

void SpillWriter::perform(const Task &task)
{
    SpillFile &file = *task.file;
    if (task.close) {
        if (file.m_fd >= 0)
            ::close(file.m_fd);
        file.m_fd = -1;
        return;
    }
    QByteArray bytes;
    {
        std::lock_guard<std::mutex> lock(file.m_mutex);
        if (file.m_cancelled || file.error() != 0 || file.m_fd < 0)
            return;
        bytes = file.m_queued[task.offset]; // shared, not copied
    }
    const char *data = bytes.constData();
    qint64 left = bytes.size();
    qint64 at = task.offset;
    while (left > 0) {
        const ssize_t n = ::pwrite(file.m_fd, data, size_t(left), at);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            file.m_error.store(n < 0 ? errno : ENOSPC, std::memory_order_release);
            return;
        }
        data += n;
        left -= n;
        at += n;
    }
    std::lock_guard<std::mutex> lock(file.m_mutex);
    if (file.m_queued.erase(task.offset) > 0)
        file.m_queuedBytes -= bytes.size();
}

} // namespace procdeck
