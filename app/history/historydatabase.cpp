#include "app/history/historydatabase.h"

#include "app/core/jobresult.h"

#include <QAtomicInteger>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QThread>
#include <QUrl>
#include <QVariant>

#include <csignal>

namespace procdeck {

namespace {

// The schema, one step per version: step i turns version i into i + 1.
// Steps are never edited once released; a change is a new step.
const char *const kMigrations[] = {
    // 0 -> 1
    "CREATE TABLE sessions("
    " id INTEGER PRIMARY KEY,"
    " pid INTEGER NOT NULL,"
    " proc_start INTEGER NOT NULL," // /proc/PID/stat starttime: tells a reused pid apart
    " boot_id TEXT NOT NULL,"
    " origin TEXT NOT NULL,"
    " started_at_ms INTEGER NOT NULL,"
    " last_seen_ms INTEGER NOT NULL," // its last commit: how long interrupted jobs ran at least
    " ended_at_ms INTEGER);"
    "CREATE TABLE batches("
    " id INTEGER PRIMARY KEY AUTOINCREMENT," // never reused, so a pruned id stays unknown
    " session_id INTEGER NOT NULL,"
    " label TEXT NOT NULL,"
    " settings TEXT NOT NULL,"
    " submitted_at_ms INTEGER NOT NULL,"
    " finished_at_ms INTEGER," // NULL while it runs
    " job_count INTEGER NOT NULL,"
    " succeeded INTEGER NOT NULL DEFAULT 0,"
    " failed INTEGER NOT NULL DEFAULT 0,"
    " canceled INTEGER NOT NULL DEFAULT 0,"
    " interrupted INTEGER NOT NULL DEFAULT 0,"
    " output_bytes INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX batches_by_session ON batches(session_id);"
    "CREATE TABLE jobs("
    " batch_id INTEGER NOT NULL,"
    " seq INTEGER NOT NULL,"
    " state INTEGER NOT NULL," // 0 queued, 1 running, 2 finished
    " command TEXT NOT NULL,"
    " spec TEXT NOT NULL,"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " slot INTEGER NOT NULL DEFAULT 0,"
    " pid INTEGER NOT NULL DEFAULT 0,"
    " started_at_ms INTEGER NOT NULL DEFAULT 0,"
    " runtime_ns INTEGER NOT NULL DEFAULT 0,"
    " outcome INTEGER NOT NULL DEFAULT 0," // procdeck::Outcome
    " exit_code INTEGER NOT NULL DEFAULT -1,"
    " signal INTEGER NOT NULL DEFAULT 0,"
    " stopped_by_user INTEGER NOT NULL DEFAULT 0,"
    " error_text TEXT,"
    " stages TEXT,"
    " cpu_ns INTEGER NOT NULL DEFAULT -1,"
    " peak_rss INTEGER NOT NULL DEFAULT -1,"
    " stdout_bytes INTEGER NOT NULL DEFAULT 0,"
    " stderr_bytes INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY(batch_id, seq)) WITHOUT ROWID;"
    "CREATE TABLE outputs("
    " batch_id INTEGER NOT NULL,"
    " seq INTEGER NOT NULL,"
    " stream INTEGER NOT NULL,"      // 0 stdout, 1 stderr
    " total_bytes INTEGER NOT NULL," // what the job wrote
    " kept_from INTEGER NOT NULL,"   // > 0: the bytes before this offset were cut
    " data BLOB NOT NULL,"           // qCompress()ed
    " PRIMARY KEY(batch_id, seq, stream));",
    // 1 -> 2: the table's Output column without loading any output, and the
    // batch list's order.
    "ALTER TABLE jobs ADD COLUMN last_line TEXT;"
    "CREATE INDEX batches_by_time ON batches(submitted_at_ms);",
};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == HistoryDatabase::kSchemaVersion);

QString sqlError(const QSqlError &e)
{
    QString text = e.databaseText();
    if (text.isEmpty())
        text = e.text();
    return text.isEmpty() ? QStringLiteral("unknown error") : text;
}

} // namespace

qint64 HistoryLimits::parseSize(const QString &text)
{
    QString t = text.trimmed().toUpper();
    if (t.endsWith(QLatin1Char('B')))
        t.chop(1);
    if (t.endsWith(QLatin1Char('I')))
        t.chop(1); // "MiB" as well as "M"
    qint64 unit = 1;
    if (t.endsWith(QLatin1Char('K')))
        unit = qint64(1) << 10;
    else if (t.endsWith(QLatin1Char('M')))
        unit = qint64(1) << 20;
    else if (t.endsWith(QLatin1Char('G')))
        unit = qint64(1) << 30;
    if (unit != 1)
        t.chop(1);
    bool ok = false;
    const double value = t.toDouble(&ok);
    if (!ok || value < 0 || value * double(unit) > 9e18)
        return -1;
    return qint64(value * double(unit));
}

HistoryLimits HistoryLimits::fromEnvironment()
{
    HistoryLimits limits;
    const QString stream = qEnvironmentVariable("PROCDECK_HISTORY_STREAM_CAP");
    if (const qint64 v = parseSize(stream); !stream.isEmpty() && v >= 0)
        limits.streamBytes = v;
    const QString total = qEnvironmentVariable("PROCDECK_HISTORY_MAX_SIZE");
    if (const qint64 v = parseSize(total); !total.isEmpty() && v >= 0)
        limits.totalBytes = v;
    return limits;
}

HistoryDatabase::HistoryDatabase()
{
    static QAtomicInteger<int> next;
    m_connection = QStringLiteral("procdeck-history-%1").arg(next.fetchAndAddRelaxed(1));
}

HistoryDatabase::~HistoryDatabase()
{
    close();
}

void HistoryDatabase::close()
{
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connection);
    }
    m_pageSize = 0;
}

QString HistoryDatabase::defaultPath()
{
    const QString overridden = qEnvironmentVariable("PROCDECK_HISTORY");
    if (!overridden.isEmpty())
        return overridden;
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/procdeck/history.sqlite");
}

QString HistoryDatabase::describe(const QString &what) const
{
    return QStringLiteral("history: %1: %2").arg(QDir::toNativeSeparators(m_path), what);
}

Expected<void> HistoryDatabase::exec(const QString &sql)
{
    QSqlQuery q(m_db);
    if (!q.exec(sql))
        return fail(sqlError(q.lastError()));
    return {};
}

bool HistoryDatabase::isBusy(const QSqlError &error)
{
    // The primary code: an extended one (SQLITE_BUSY_SNAPSHOT, ...) keeps
    // it in its low byte.
    bool ok = false;
    const int code = error.nativeErrorCode().toInt(&ok) & 0xff;
    return ok && (code == 5 || code == 6);
}

Expected<void> HistoryDatabase::execWaitingForLock(const QString &sql)
{
    // Some statements fail at once when another connection holds the lock,
    // without the busy timeout's wait: turning a new file to WAL while
    // another procdeck does the same is one. That one is done in moments.
    QElapsedTimer waited;
    waited.start();
    for (;;) {
        QSqlQuery q(m_db);
        if (q.exec(sql))
            return {};
        if (!isBusy(q.lastError()) || waited.elapsed() > kBusyTimeoutMs)
            return fail(sqlError(q.lastError()));
        q.finish();
        QThread::msleep(5);
    }
}

Expected<void> HistoryDatabase::connect(const QString &path, Access access)
{
    const bool readOnly = access != Access::ReadWrite;
    m_path = path;
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE")))
        return fail(describe(
            QStringLiteral("Qt's SQLite driver is not installed (Debian: libqt6sql6-sqlite)")));
    if (readOnly && !QFileInfo::exists(path))
        return fail(describe(QStringLiteral("no such file")));
    if (!readOnly) {
        const QString dir = QFileInfo(path).absolutePath();
        if (!QDir().mkpath(dir))
            return fail(describe(QStringLiteral("cannot create the folder %1").arg(dir)));
    }
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    // Immutable: no locks and no -shm file, for a database in a folder we
    // cannot write (SQLite needs the -shm file to read WAL otherwise).
    m_db.setDatabaseName(access == Access::Immutable
                             ? QUrl::fromLocalFile(path).toString(QUrl::FullyEncoded) +
                                   QStringLiteral("?immutable=1")
                             : path);
    // Another writer holds the lock for one short transaction at a time:
    // waiting up to 10 s for it beats failing.
    QString options = QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs);
    if (readOnly)
        options += QStringLiteral(";QSQLITE_OPEN_READONLY");
    if (access == Access::Immutable)
        options += QStringLiteral(";QSQLITE_OPEN_URI");
    m_db.setConnectOptions(options);
    if (!m_db.open())
        return fail(describe(sqlError(m_db.lastError())));
    // The first read tells a file that is not a database (or a damaged one).
    {
        QSqlQuery probe(m_db);
        if (!probe.exec(QStringLiteral("SELECT count(*) FROM sqlite_master")))
            return fail(describe(sqlError(probe.lastError())));
        probe.finish(); // an open read would keep the journal mode from changing
    }
    if (!readOnly) {
        // auto_vacuum takes effect only before the first table: pruning can
        // then give pages back to the file system (incremental_vacuum).
        for (const char *pragma : {"PRAGMA auto_vacuum = INCREMENTAL", "PRAGMA journal_mode = WAL",
                                   // WAL with NORMAL: a commit survives procdeck being
                                   // killed (not a power cut) without an fsync each time.
                                   "PRAGMA synchronous = NORMAL"}) {
            if (const Expected<void> ok = execWaitingForLock(QLatin1String(pragma)); !ok)
                return fail(describe(ok.error()));
        }
        QSqlQuery mode(m_db);
        if (mode.exec(QStringLiteral("PRAGMA journal_mode")) && mode.next() &&
            mode.value(0).toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0)
            return fail(describe(QStringLiteral("cannot use write-ahead logging (journal mode %1)")
                                     .arg(mode.value(0).toString())));
    }
    return {};
}

int HistoryDatabase::schemaVersion()
{
    QSqlQuery q(m_db);
    if (q.exec(QStringLiteral("PRAGMA user_version")) && q.next())
        return q.value(0).toInt();
    return -1;
}

Expected<void> HistoryDatabase::migrate()
{
    const int version = schemaVersion();
    if (version < 0)
        return fail(describe(QStringLiteral("cannot read the schema version")));
    if (version > kSchemaVersion)
        return fail(describe(QStringLiteral("it was written by a newer procdeck (schema %1; this "
                                            "one knows up to %2); it is left as it is")
                                 .arg(version)
                                 .arg(kSchemaVersion)));
    for (;;) {
        // Each step and its version number in one transaction, taken with
        // the write lock first (IMMEDIATE) and the version read again under
        // it: two procdecks opening a new file at once migrate it once.
        if (const Expected<void> ok = exec(QStringLiteral("BEGIN IMMEDIATE")); !ok)
            return fail(describe(ok.error()));
        const int v = schemaVersion();
        if (v < 0 || v >= kSchemaVersion) {
            (void)exec(QStringLiteral("COMMIT"));
            break;
        }
        const QStringList statements =
            QString::fromLatin1(kMigrations[v]).split(QLatin1Char(';'), Qt::SkipEmptyParts);
        for (const QString &statement : statements) {
            if (const Expected<void> ok = exec(statement); !ok) {
                (void)exec(QStringLiteral("ROLLBACK"));
                return fail(describe(
                    QStringLiteral("schema %1 to %2: %3").arg(v).arg(v + 1).arg(ok.error())));
            }
        }
        if (const Expected<void> ok = exec(QStringLiteral("PRAGMA user_version = %1").arg(v + 1));
            !ok) {
            (void)exec(QStringLiteral("ROLLBACK"));
            return fail(describe(ok.error()));
        }
        if (const Expected<void> ok = exec(QStringLiteral("COMMIT")); !ok)
            return fail(describe(ok.error()));
    }
    return {};
}

Expected<void> HistoryDatabase::open(const QString &path)
{
    if (Expected<void> ok = connect(path, Access::ReadWrite); !ok)
        return ok;
    if (Expected<void> ok = migrate(); !ok)
        return ok;
    if (Expected<int> swept = sweepDeadSessions(); !swept)
        return fail(swept.error());
    return {};
}

Expected<void> HistoryDatabase::openReadOnly(const QString &path)
{
    Expected<void> ok = connect(path, Access::ReadOnly);
    if (!ok && !QFileInfo(QFileInfo(path).absolutePath()).isWritable()) {
        // SQLite reads a WAL database through its -shm file, which cannot
        // be made in a folder read-only to us: read the file as it stands
        // (a writer with more rights may be ahead of what this sees).
        close();
        ok = connect(path, Access::Immutable);
    }
    if (!ok)
        return ok;
    const int version = schemaVersion();
    if (version != kSchemaVersion)
        return fail(describe(QStringLiteral("schema %1, and this procdeck reads %2 (open it "
                                            "writable once to migrate it)")
                                 .arg(version)
                                 .arg(kSchemaVersion)));
    return {};
}

qint64 HistoryDatabase::processStartTicks(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray stat = f.readAll();
    // The command name (field 2) may hold spaces and parentheses: count
    // fields from the last ')'.
    const int close = stat.lastIndexOf(')');
    if (close < 0)
        return -1;
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    // Field 22 (starttime) is the 20th after the name.
    return fields.size() > 19 ? fields.at(19).toLongLong() : -1;
}

QString HistoryDatabase::bootId()
{
    QFile f(QStringLiteral("/proc/sys/kernel/random/boot_id"));
    if (!f.open(QIODevice::ReadOnly))
        return QString();
    return QString::fromLatin1(f.readAll().trimmed());
}

bool HistoryDatabase::isProcessAlive(qint64 pid, qint64 startTicks, const QString &boot)
{
    if (boot != bootId())
        return false; // the machine restarted since
    if (pid <= 0 || (::kill(pid_t(pid), 0) != 0 && errno == ESRCH))
        return false;
    const qint64 ticks = processStartTicks(pid);
    return ticks < 0 || ticks == startTicks; // unreadable /proc: rather alive than swept
}

Expected<int> HistoryDatabase::sweepDeadSessions()
{
    struct Dead
    {
        qint64 id;
        qint64 lastSeenMs;
    };
    QList<Dead> dead;
    {
        QSqlQuery q(m_db);
        if (!q.exec(
                QStringLiteral("SELECT id, pid, proc_start, boot_id, last_seen_ms FROM sessions "
                               "WHERE ended_at_ms IS NULL")))
            return fail(describe(sqlError(q.lastError())));
        while (q.next()) {
            if (!isProcessAlive(q.value(1).toLongLong(), q.value(2).toLongLong(),
                                q.value(3).toString()))
                dead.append(Dead{q.value(0).toLongLong(), q.value(4).toLongLong()});
        }
    }
    int marked = 0;
    for (const Dead &d : std::as_const(dead)) {
        const Expected<int> closed = closeSession(d.id, d.lastSeenMs);
        if (!closed)
            return closed;
        marked += *closed;
    }
    return marked;
}

Expected<int> HistoryDatabase::closeSession(qint64 sessionId, qint64 endedAtMs)
{
    if (!m_db.transaction())
        return fail(describe(sqlError(m_db.lastError())));
    int marked = 0;
    QString error;
    const auto run = [&](const QString &sql, const QVariantList &values, bool count) -> bool {
        QSqlQuery q(m_db);
        q.prepare(sql);
        for (const QVariant &v : values)
            q.addBindValue(v);
        if (!q.exec()) {
            error = sqlError(q.lastError());
            return false;
        }
        if (count)
            marked += qMax(0, q.numRowsAffected());
        return true;
    };
    const QString inSession =
        QStringLiteral(" AND batch_id IN (SELECT id FROM batches WHERE session_id = ?)");
    const bool ok =
        run(QStringLiteral("UPDATE jobs SET state = 2, outcome = %1, error_text = ?, "
                           "runtime_ns = max(0, ? - started_at_ms) * 1000000 WHERE state = 1")
                    .arg(int(Outcome::Interrupted)) +
                inSession,
            {QStringLiteral("procdeck ended while it ran"), endedAtMs, sessionId}, true) &&
        run(QStringLiteral("UPDATE jobs SET state = 2, outcome = %1, error_text = ? "
                           "WHERE state = 0")
                    .arg(int(Outcome::Canceled)) +
                inSession,
            {QStringLiteral("procdeck ended before it started"), sessionId}, true) &&
        run(QStringLiteral("UPDATE batches SET ") + batchCountsAssignments() +
                QStringLiteral(", finished_at_ms = max(submitted_at_ms, ?)"
                               " WHERE session_id = ? AND finished_at_ms IS NULL"),
            {endedAtMs, sessionId}, false) &&
        run(QStringLiteral("UPDATE sessions SET ended_at_ms = ?, last_seen_ms = ? WHERE id = ?"),
            {endedAtMs, endedAtMs, sessionId}, false);
    if (!ok) {
        m_db.rollback();
        return fail(describe(error));
    }
    if (!m_db.commit())
        return fail(describe(sqlError(m_db.lastError())));
    return marked;
}

QString HistoryDatabase::batchCountsAssignments()
{
    // Interrupted and canceled jobs are neither failed nor succeeded.
    return QStringLiteral(
               "succeeded = (SELECT count(*) FROM jobs j WHERE j.batch_id = batches.id"
               "   AND j.outcome = %1 AND j.exit_code = 0),"
               " canceled = (SELECT count(*) FROM jobs j WHERE j.batch_id = batches.id"
               "   AND j.outcome = %2),"
               " interrupted = (SELECT count(*) FROM jobs j WHERE j.batch_id = batches.id"
               "   AND j.outcome = %3),"
               " failed = (SELECT count(*) FROM jobs j WHERE j.batch_id = batches.id"
               "   AND j.state = 2 AND j.outcome NOT IN (%2, %3)"
               "   AND NOT (j.outcome = %1 AND j.exit_code = 0))")
        .arg(int(Outcome::Exited))
        .arg(int(Outcome::Canceled))
        .arg(int(Outcome::Interrupted));
}

qint64 HistoryDatabase::usedBytes()
{
    QSqlQuery q(m_db);
    if (m_pageSize <= 0 && q.exec(QStringLiteral("PRAGMA page_size")) && q.next())
        m_pageSize = q.value(0).toLongLong();
    const qint64 pageSize = m_pageSize > 0 ? m_pageSize : 4096;
    qint64 pages = 0, freePages = 0;
    if (q.exec(QStringLiteral("PRAGMA page_count")) && q.next())
        pages = q.value(0).toLongLong();
    if (q.exec(QStringLiteral("PRAGMA freelist_count")) && q.next())
        freePages = q.value(0).toLongLong();
    return (pages - freePages) * pageSize;
}

namespace {

bool deleteBatch(QSqlDatabase &db, qint64 id)
{
    for (const char *sql :
         {"DELETE FROM outputs WHERE batch_id = ?", "DELETE FROM jobs WHERE batch_id = ?",
          "DELETE FROM batches WHERE id = ?"}) {
        QSqlQuery q(db);
        q.prepare(QLatin1String(sql));
        q.addBindValue(id);
        if (!q.exec())
            return false;
    }
    return true;
}

} // namespace

Expected<int> HistoryDatabase::prune(qint64 maxBytes)
{
    if (usedBytes() <= maxBytes)
        return 0;
    int removed = 0;
    if (!m_db.transaction())
        return fail(describe(sqlError(m_db.lastError())));
    while (usedBytes() > maxBytes) {
        QSqlQuery q(m_db);
        if (!q.exec(QStringLiteral("SELECT id FROM batches WHERE finished_at_ms IS NOT NULL "
                                   "AND id < (SELECT max(id) FROM batches) ORDER BY id LIMIT 1")))
            break;
        if (!q.next())
            break; // only the newest, or running ones, are left
        if (!deleteBatch(m_db, q.value(0).toLongLong())) {
            const QString error = sqlError(m_db.lastError());
            m_db.rollback();
            return fail(describe(error));
        }
        ++removed;
    }
    if (!m_db.commit())
        return fail(describe(sqlError(m_db.lastError())));
    (void)exec(QStringLiteral("PRAGMA incremental_vacuum"));
    return removed;
}

Expected<int> HistoryDatabase::clear()
{
    // Running batches belong to a live session (dead ones were swept): its
    // writer still updates them, so they stay.
    if (Expected<int> swept = sweepDeadSessions(); !swept)
        return fail(swept.error());
    if (!m_db.transaction())
        return fail(describe(sqlError(m_db.lastError())));
    QList<qint64> ids;
    QSqlQuery q(m_db);
    if (q.exec(QStringLiteral("SELECT id FROM batches WHERE finished_at_ms IS NOT NULL"))) {
        while (q.next())
            ids << q.value(0).toLongLong();
    }
    for (qint64 id : std::as_const(ids)) {
        if (!deleteBatch(m_db, id)) {
            const QString error = sqlError(m_db.lastError());
            m_db.rollback();
            return fail(describe(error));
        }
    }
    (void)exec(QStringLiteral("DELETE FROM sessions WHERE ended_at_ms IS NOT NULL AND id NOT IN "
                              "(SELECT session_id FROM batches)"));
    if (!m_db.commit())
        return fail(describe(sqlError(m_db.lastError())));
    (void)exec(QStringLiteral("PRAGMA incremental_vacuum"));
    return int(ids.size());
}

Expected<void> HistoryDatabase::removeFiles(const QString &path)
{
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
        QFile f(path + suffix);
        if (f.exists() && !f.remove())
            return fail(QStringLiteral("history: %1: cannot remove it: %2")
                            .arg(QDir::toNativeSeparators(f.fileName()), f.errorString()));
    }
    return {};
}

} // namespace procdeck
