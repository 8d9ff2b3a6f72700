#pragma once

#include "app/core/expected.h"
#include "app/output/outputlog.h"

#include <QObject>

class QSocketNotifier;
class QTimer;

namespace procdeck {

// One of a job's output pipes (stdout or stderr), read with read(2)
// straight into the job's OutputLog: no buffer in between. The job's
// processes get the write end (see writeEnd()); we keep the read end.
//
// A pipe that carries a lot grows to 1 MiB, so a flood costs both sides
// fewer wakeups. When more than 8 MiB of the stream wait for the disk,
// reading pauses (the job then waits on its full pipe, as on a slow
// terminal) until the disk catches up: what keeps memory bounded however
// fast a job prints.
//
// Or, opened with openTerminal(), the master side of a pseudo-terminal:
// the job's processes get the terminal (writeEnd()) as their stdout and
// stderr, so both arrive in this one stream.
class PipeReader : public QObject
{
    Q_OBJECT
public:
    PipeReader(OutputLog *log, Stream stream, QObject *parent = nullptr);
    ~PipeReader() override;

    // Makes the pipe.
    Expected<void> open();
    // Makes a pseudo-terminal of the given size instead. Newlines stay
    // "\n" (no "\r\n" as on a real terminal), so the saved output reads
    // like a pipe's.
    Expected<void> openTerminal(int rows, int columns);
    bool isTerminal() const { return m_terminal; }
    // The end the job's processes write to (a pipe's write end, or the
    // terminal's slave side): dup2 it in the child. Open until
    // startReading().
    int writeEnd() const { return m_writeEnd; }
    // Every process that writes has started: close our copy of the write
    // end (the pipe ends when the job's processes do) and read as data
    // comes.
    void startReading();
    // The job has ended: read what the pipe holds now. Everything the job
    // wrote is in it; a background child still writing must not keep us.
    void drain();
    // Stops reading and closes the pipe (a background child that writes
    // later gets EPIPE, as with a shell whose reader has gone).
    void close();

signals:
    void received();

private:
    void read(bool drain);
    void resume();

    OutputLog *m_log;
    Stream m_stream;
    int m_readEnd = -1;
    int m_writeEnd = -1;
    QSocketNotifier *m_notifier = nullptr;
    QTimer *m_resumeTimer = nullptr; // polls the disk backlog while paused
    bool m_growTried = false;
    bool m_grown = false;
    bool m_terminal = false;
};

} // namespace procdeck
