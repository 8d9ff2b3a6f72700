#pragma once

#include "app/core/expected.h"

#include <QSqlDatabase>
#include <QString>

class QSqlError;

namespace procdeck {

// Where history lives and how much it may keep.
struct HistoryLimits
{
    // Per job and stream: the last this many bytes are kept (a long job's
    // error is usually near its end); what came before is marked as cut.
    qint64 streamBytes = 16 << 20;
    // The whole database: past this, the oldest finished batches go.
    qint64 totalBytes = qint64(1) << 30;

    // The defaults, or PROCDECK_HISTORY_STREAM_CAP / PROCDECK_HISTORY_MAX_SIZE
    // ("16M", "2G", "500000"), each of which a bad value leaves at its default.
    static HistoryLimits fromEnvironment();
    // "16M" -> 16 MiB; K, M, G (powers of 1024), or plain bytes. -1: bad.
    static qint64 parseSize(const QString &text);
};

// One connection to the history database (SQLite through Qt SQL's QSQLITE
// driver, in WAL mode, so that the window and `procdeck run` can write at
// once and readers never wait for writers). A connection belongs to the
// thread that opened it: the writer's thread has one, each reader another.
//
// Opening creates the schema or migrates an older one (PRAGMA user_version
// holds the schema's version), and sweeps sessions that died: their
// running jobs become Interrupted, their queued jobs Canceled, so nothing a
// crash left behind looks as if it were still running, or had succeeded.
class HistoryDatabase
{
public:
    static constexpr int kSchemaVersion = 2;
    // How long a statement waits for another writer's lock before it fails.
    static constexpr int kBusyTimeoutMs = 10000;

    HistoryDatabase();
    ~HistoryDatabase();
    HistoryDatabase(const HistoryDatabase &) = delete;
    HistoryDatabase &operator=(const HistoryDatabase &) = delete;

    // $PROCDECK_HISTORY when set (a file path; tests use it), else
    // procdeck/history.sqlite in the XDG data folder (~/.local/share).
    static QString defaultPath();

    // Opens (creating the file and its folder when needed), migrates and
    // sweeps. The error names the file and what is wrong with it.
    Expected<void> open(const QString &path);
    // Opens an existing database for reading only: never creates,
    // migrates or sweeps (procdeck history on a read-only file).
    Expected<void> openReadOnly(const QString &path);
    // Closes the connection; open() may be called again.
    void close();
    bool isOpen() const { return m_db.isOpen(); }
    QString path() const { return m_path; }
    QSqlDatabase &db() { return m_db; }
    int schemaVersion();

    // Marks the jobs of dead sessions Interrupted (running) or Canceled
    // (queued) and closes their batches. Returns how many jobs it marked.
    Expected<int> sweepDeadSessions();
    // Ends a session: what it left running becomes Interrupted, what it left
    // queued Canceled, and its open batches are closed with the counts of
    // their jobs. Returns how many jobs it marked.
    Expected<int> closeSession(qint64 sessionId, qint64 endedAtMs);
    // Deletes the oldest finished batches until the database takes at most
    // maxBytes; the newest batch stays whatever its size. Returns how many
    // batches went.
    Expected<int> prune(qint64 maxBytes);
    // Deletes every batch but those still running in a live session.
    Expected<int> clear();
    // What the database takes, its free pages left out.
    qint64 usedBytes();

    // "succeeded = (...), failed = ..., canceled = ..., interrupted = ...":
    // an UPDATE of batches setting a batch's counts from its jobs' rows, one
    // rule for a batch that ended and for one a dead session left open.
    static QString batchCountsAssignments();

    // Removes a database file with its WAL and shared-memory files: for a
    // database too broken to open. The error says what could not go.
    static Expected<void> removeFiles(const QString &path);

    // The identity of this process as sessions record it.
    static qint64 processStartTicks(qint64 pid);
    static QString bootId();
    static bool isProcessAlive(qint64 pid, qint64 startTicks, const QString &bootId);

    // SQLITE_BUSY or SQLITE_LOCKED: another connection held the lock (past
    // the busy timeout, or where SQLite does not wait). Worth another try.
    static bool isBusy(const QSqlError &error);

    // "history: PATH: WHAT" for the messages of both front ends.
    QString describe(const QString &what) const;

private:
    enum class Access { ReadWrite, ReadOnly, Immutable };
    Expected<void> connect(const QString &path, Access access);
    Expected<void> migrate();
    Expected<void> exec(const QString &sql);
    Expected<void> execWaitingForLock(const QString &sql);

    QString m_connection;
    QString m_path;
    QSqlDatabase m_db;
    qint64 m_pageSize = 0; // fixed once the file exists (WAL cannot change it): read once
};

} // namespace procdeck
