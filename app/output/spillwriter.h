#pragma once

#include <QByteArray>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace procdeck {

// One spill file: its descriptor, the blocks queued for it and how far
// writing got. Shared between the store that fills it (GUI thread) and the
// SpillWriter. A queued block stays readable here until it is written, and
// is freed as soon as it is (by the writer: nobody has to come and look).
class SpillFile
{
public:
    // Takes the descriptor.
    explicit SpillFile(int fd);
    ~SpillFile();
    SpillFile(const SpillFile &) = delete;
    SpillFile &operator=(const SpillFile &) = delete;

    // A block queued at offset, or null when it is written (or was never
    // queued here).
    QByteArray queued(qint64 offset) const;
    // Bytes queued and not written yet (0 after a failed write: what is
    // left is held, not on its way anywhere).
    qint64 backlog() const;
    // errno of the first write that failed (0: none); nothing after it is
    // written, and the blocks that were not stay readable here.
    int error() const { return m_error.load(std::memory_order_acquire); }
    // The store is gone (its file removed): what is still queued is dropped.
    void cancel();

private:
    friend class SpillWriter;
    int m_fd;
    mutable std::mutex m_mutex;
    std::map<qint64, QByteArray> m_queued; // by file offset
    qint64 m_queuedBytes = 0;
    std::atomic<int> m_error{0};
    bool m_cancelled = false;
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

    // Queues bytes to be written at offset (readable from file->queued()
    // until they are).
    void write(const std::shared_ptr<SpillFile> &file, qint64 offset, const QByteArray &bytes);
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
