#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

namespace procdeck {

// Reads a file descriptor (procdeck run's stdin, the window's argument
// file) on a thread of its own, so that neither a slow producer nor a big
// file holds up the event loop. It keeps at most about bufferBytes read and
// not yet taken: then it waits until take() makes room, so input is read as
// fast as it is used, not faster.
class InputReader : public QObject
{
    Q_OBJECT
public:
    // fd: not closed here unless ownsFd.
    InputReader(int fd, bool ownsFd, QObject *parent = nullptr);
    // Stops the thread (it may be waiting for input that never comes).
    ~InputReader() override;

    void start();
    // What was read since the last take().
    QByteArray take();
    // Everything was read and taken (or reading failed: error()).
    bool atEnd() const;
    QString error() const;

    static constexpr qsizetype bufferBytes = 256 * 1024;

    // Lets a reader go from inside its own readyRead(): disconnected from
    // `owner` now, deleted (its thread stopped) from the event loop.
    static void dispose(std::unique_ptr<InputReader> *reader, QObject *owner);

signals:
    // Bytes to take (sent once until the next take()), or the end. Queued
    // to the reader's own thread.
    void readyRead();

private:
    void run();
    void notify();

    int m_fd;
    bool m_ownsFd;
    int m_wake[2] = {-1, -1}; // a pipe that wakes the thread's poll() to stop
    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::condition_variable m_roomLeft;
    std::deque<QByteArray> m_chunks;
    qsizetype m_buffered = 0;
    bool m_eof = false;
    bool m_stop = false;
    bool m_notified = false;
    QString m_error;
};

} // namespace procdeck
