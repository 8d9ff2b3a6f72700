#pragma once

#include <QByteArray>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

namespace procdeck {

// One spill file's descriptor and how far writing it got, shared between
// the store that fills it (GUI thread) and the SpillWriter.
class SpillFile
{
public:
    // Takes the descriptor; bytes before `written` are already on disk.
    SpillFile(int fd, qint64 written);
    ~SpillFile();
    SpillFile(const SpillFile &) = delete;
    SpillFile &operator=(const SpillFile &) = delete;

    // Every byte before this offset is written (writes go in queue order).
    qint64 written() const { return m_written.load(std::memory_order_acquire); }
    // errno of the first write that failed (0: none); nothing after it is
    // written.
    int error() const { return m_error.load(std::memory_order_acquire); }
    // The store is gone (its file removed): what is still queued is dropped.
    void cancel() { m_cancelled.store(true, std::memory_order_release); }

private:
    friend class SpillWriter;
    int m_fd;
    std::atomic<qint64> m_written;
    std::atomic<int> m_error{0};
    std::atomic<bool> m_cancelled{false};
};

// Writes spill files on a thread of its own. A write(2) to a file can block
// for a long time when the disk is busy (the kernel throttles writers once
// too much is waiting to go out): on the GUI thread that froze the window.
// One thread for the process, one queue: each file's writes happen in the
// order they were queued.
class SpillWriter
{
public:
    static SpillWriter &instance();

    // Writes bytes at offset; file->written() reaches offset + size after.
    void write(std::shared_ptr<SpillFile> file, qint64 offset, QByteArray bytes);
    // Closes the file's descriptor once everything queued before is written.
    void close(std::shared_ptr<SpillFile> file);
    // Until everything queued so far is done: tests only.
    void waitUntilIdle();
    // A paused writer writes nothing (a disk that stopped): tests only.
    void setPaused(bool paused);

private:
    struct Task
    {
        std::shared_ptr<SpillFile> file;
        qint64 offset = 0;
        QByteArray bytes;
        bool close = false;
    };

    SpillWriter();
    ~SpillWriter();
    void push(Task task);
    void run();
    static void perform(const Task &task);

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_idle;
    std::deque<Task> m_tasks;
    bool m_busy = false;
    bool m_stop = false;
    bool m_paused = false;
    std::thread m_thread;
};

} // namespace procdeck
