#pragma once

#include <QList>
#include <QString>
#include <QtGlobal>

namespace procdeck {

enum class JobState : quint8 { Queued, Running, Finished };

// How a job's run ended. Every way out of a run is one of these.
enum class Outcome : quint8 {
    None,          // not finished yet
    Exited,        // exitCode is valid
    Signaled,      // signal is valid: crashed, or stopped by the user
    FailedToStart, // errorText says why
    TimedOut,      // stopped by its timeout; signal says how it died
    Canceled,      // stopped before it started
    // procdeck itself ended (a crash, kill -9) while it ran: known only
    // from history, when it is opened again. History stores these values:
    // new ones go at the end.
    Interrupted,
};

// How one program of a native pipeline ended.
struct StageResult
{
    qint64 pid = 0;
    int exitCode = -1; // valid when signal == 0
    int signal = 0;
};

// What came out of a job: the value the engine hands back.
struct JobResult
{
    // The fields in an order that leaves no padding: a session keeps one
    // per job, 1,000,000 of them in a big batch.
    QList<StageResult> stages; // one per program of a pipeline; empty otherwise
    QString errorText;
    qint64 pid = 0;
    // Resource use, -1 while unknown. CPU time is user + system time of the
    // job's processes and of the children they waited for, as the kernel
    // counted it when each of the job's own processes was reaped; the peak
    // is the largest resident memory of its process group among the
    // samples taken (about once a second), so a job shorter than that
    // may have none.
    qint64 cpuNs = -1;
    qint64 peakRssBytes = -1;
    qint64 startedAtMs = 0; // wall clock, ms since the epoch
    // runtimeNs stays next to the record's state (sorting by runtime reads
    // both for 100,000 rows: one cache line, not two).
    qint64 runtimeNs = 0; // monotonic clock
    int exitCode = -1;
    int signal = 0;
    Outcome outcome = Outcome::None;
    bool stoppedByUser = false; // ended by stop(), not by itself or a timeout

    bool succeeded() const { return outcome == Outcome::Exited && exitCode == 0; }
    bool failed() const
    {
        return outcome != Outcome::None && outcome != Outcome::Canceled && !succeeded();
    }
};

// "SIGTERM", "SIGKILL", ...; "signal 70" for numbers without a name.
QString signalName(int signal);

// The status a person reads: "Exit 0", "Exit 3", "Killed by SIGKILL",
// "Terminated by SIGTERM", "Failed to start: ...", "Timed out after 2.0 s",
// "Canceled".
QString describeOutcome(const JobResult &result, int timeoutMs = 0);

// Seconds with millisecond precision: "0.107".
QString formatSeconds(qint64 nanoseconds);

// Binary units with three significant digits: "812 KiB", "12.3 MiB",
// "1.20 GiB".
QString formatBytes(qint64 bytes);

} // namespace procdeck
