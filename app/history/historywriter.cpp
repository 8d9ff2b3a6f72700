#include "app/history/historywriter.h"

#include "app/core/rawtext.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimer>
#include <QVariant>

#include <atomic>

#include <unistd.h>

namespace procdeck {

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// The JobStarted events that a later event of the same job in `events`
// makes moot: its pid arriving (another JobStarted) or its end (JobFinished
// sets every column a start does). Short jobs start and end within one
// commit; each then costs one row update, not two or three, and as one
// transaction commits whole, a crash still finds either all or none.
std::vector<bool> supersededStarts(const std::vector<HistoryEvent> &events)
{
    std::vector<bool> superseded(events.size(), false);
    QHash<quint64, size_t> pendingStart; // (batch key, seq) -> its last JobStarted
    for (size_t i = 0; i < events.size(); ++i) {
        const HistoryEvent &e = events[i];
        if (e.kind != HistoryEvent::JobStarted && e.kind != HistoryEvent::JobFinished)
            continue;
        const quint64 job = (quint64(quint32(e.batchKey)) << 32) | quint32(e.seq);
        if (const auto start = pendingStart.find(job); start != pendingStart.end()) {
            superseded[*start] = true;
            pendingStart.erase(start);
        }
        if (e.kind == HistoryEvent::JobStarted)
            pendingStart.insert(job, i);
    }
    return superseded;
}

} // namespace

// Everything that touches the database, on the writer's thread.
class HistoryWriter::Worker : public QObject
{
public:
    Worker(HistoryWriter *owner, QString path, QString origin, HistoryLimits limits)
        : m_owner(owner)
        , m_path(std::move(path))
        , m_origin(std::move(origin))
        , m_limits(limits)
    {}

    // Owner's thread.
    void post(HistoryEvent &&event)
    {
        if (!m_usable.load())
            return;
        bool schedule = false;
        {
            QMutexLocker lock(&m_mutex);
            m_queue.push_back(std::move(event));
            schedule = !m_drainScheduled;
            m_drainScheduled = true;
        }
        if (schedule)
            QMetaObject::invokeMethod(
                this, [this] { drain(false); }, Qt::QueuedConnection);
    }

    // The writer's thread from here on.
    void open()
    {
        m_timer = new QTimer(this);
        m_timer->setSingleShot(true);
        QObject::connect(m_timer, &QTimer::timeout, this, [this] { drain(false); });
        Expected<void> ok = m_db.open(m_path);
        if (ok)
            ok = startSession();
        if (!ok) {
            giveUp(ok.error());
            return;
        }
        // A database over its size limit from an earlier, larger limit.
        pruneIfNeeded();
        emit m_owner->opened();
    }

    void close()
    {
        drain(true);
        if (m_sessionId > 0 && m_usable.load())
            (void)m_db.closeSession(m_sessionId, nowMs());
    }

    bool usable() const { return m_usable.load(); }
    QString error()
    {
        QMutexLocker lock(&m_mutex);
        return m_error;
    }
    qint64 committed() const { return m_committed.load(); }

private:
    Expected<void> startSession()
    {
        QSqlQuery q(m_db.db());
        q.prepare(QStringLiteral("INSERT INTO sessions(pid, proc_start, boot_id, origin, "
                                 "started_at_ms, last_seen_ms) VALUES (?, ?, ?, ?, ?, ?)"));
        const qint64 pid = ::getpid();
        q.addBindValue(pid);
        q.addBindValue(HistoryDatabase::processStartTicks(pid));
        q.addBindValue(HistoryDatabase::bootId());
        q.addBindValue(m_origin);
        q.addBindValue(nowMs());
        q.addBindValue(nowMs());
        if (!q.exec())
            return fail(m_db.describe(q.lastError().text()));
        m_sessionId = q.lastInsertId().toLongLong();
        return {};
    }

    void giveUp(const QString &message)
    {
        {
            QMutexLocker lock(&m_mutex);
            m_queue.clear();
            m_error = message;
        }
        m_usable.store(false);
        emit m_owner->failed(message);
    }

    void drain(bool now)
    {
        if (!m_usable.load())
            return;
        // One commit per interval at most: what ends meanwhile joins it.
        if (!now && m_sinceCommit.isValid() && m_sinceCommit.elapsed() < kCommitIntervalMs) {
            if (!m_timer->isActive())
                m_timer->start(int(kCommitIntervalMs - m_sinceCommit.elapsed()));
            return;
        }
        std::vector<HistoryEvent> events;
        {
            QMutexLocker lock(&m_mutex);
            events.swap(m_queue);
            m_drainScheduled = false;
        }
        if (events.empty())
            return;
        m_sinceCommit.start();
        QString error;
        bool busy = false;
        bool batchEnded = false;
        if (!m_db.db().transaction()) {
            error = m_db.db().lastError().text();
            busy = HistoryDatabase::isBusy(m_db.db().lastError());
        } else {
            const std::vector<bool> skip = supersededStarts(events);
            for (size_t i = 0; i < events.size(); ++i) {
                const HistoryEvent &e = events[i];
                batchEnded |= e.kind == HistoryEvent::BatchFinished;
                if (!skip[i] && !apply(e, &error, &busy))
                    break;
            }
            if (error.isEmpty())
                touchSession(&error, &busy);
            if (error.isEmpty() && !m_db.db().commit()) {
                error = m_db.db().lastError().text();
                busy = HistoryDatabase::isBusy(m_db.db().lastError());
            }
            if (!error.isEmpty())
                m_db.db().rollback();
        }
        if (!error.isEmpty()) {
            if (busy && ++m_busyRetries < 30) {
                // Another writer held the lock past the timeout: keep the
                // events, in order, and try again.
                QMutexLocker lock(&m_mutex);
                events.insert(events.end(), std::make_move_iterator(m_queue.begin()),
                              std::make_move_iterator(m_queue.end()));
                m_queue.swap(events);
                m_drainScheduled = true;
                m_batchIds = m_committedBatchIds;
                m_timer->start(100);
                return;
            }
            m_batchIds = m_committedBatchIds;
            giveUp(m_db.describe(QStringLiteral("recording stopped: %1").arg(error)));
            return;
        }
        m_busyRetries = 0;
        m_committedBatchIds = m_batchIds;
        m_committed += qint64(events.size());
        if (batchEnded)
            pruneIfNeeded();
        emit m_owner->committed(m_committed.load());
        if (now)
            drain(true); // what was posted while this one committed
    }

    void pruneIfNeeded()
    {
        // Pruning reads page counts only: cheap unless it deletes.
        (void)m_db.prune(m_limits.totalBytes);
    }

    bool exec(QSqlQuery &q, QString *error, bool *busy)
    {
        if (q.exec())
            return true;
        *error = q.lastError().text();
        *busy = HistoryDatabase::isBusy(q.lastError());
        return false;
    }

    void touchSession(QString *error, bool *busy)
    {
        QSqlQuery q(m_db.db());
        q.prepare(QStringLiteral("UPDATE sessions SET last_seen_ms = ? WHERE id = ?"));
        q.addBindValue(nowMs());
        q.addBindValue(m_sessionId);
        exec(q, error, busy);
    }

    bool apply(const HistoryEvent &e, QString *error, bool *busy)
    {
        if (e.kind == HistoryEvent::BatchSubmitted)
            return insertBatch(e, error, busy);
        const auto id = m_batchIds.constFind(e.batchKey);
        if (id == m_batchIds.constEnd())
            return true; // its batch was never recorded
        switch (e.kind) {
        case HistoryEvent::JobStarted: {
            QSqlQuery &q =
                prepared(m_started, "UPDATE jobs SET state = 1, attempts = ?, slot = ?, pid = ?, "
                                    "started_at_ms = ? WHERE batch_id = ? AND seq = ?");
            q.addBindValue(e.attempt);
            q.addBindValue(e.slot);
            q.addBindValue(e.pid);
            q.addBindValue(e.atMs);
            q.addBindValue(*id);
            q.addBindValue(e.seq);
            return exec(q, error, busy);
        }
        case HistoryEvent::JobFinished:
            return finishJob(*id, e, error, busy);
        case HistoryEvent::BatchFinished: {
            QSqlQuery q(m_db.db());
            q.prepare(QStringLiteral("UPDATE batches SET finished_at_ms = ?, ") +
                      HistoryDatabase::batchCountsAssignments() + QStringLiteral(" WHERE id = ?"));
            q.addBindValue(e.atMs);
            q.addBindValue(*id);
            return exec(q, error, busy);
        }
        case HistoryEvent::BatchSubmitted:
            break;
        }
        return true;
    }

    QSqlQuery &prepared(std::unique_ptr<QSqlQuery> &slot, const char *sql)
    {
        if (!slot) {
            slot = std::make_unique<QSqlQuery>(m_db.db());
            slot->prepare(QLatin1String(sql));
        }
        return *slot;
    }

    bool insertBatch(const HistoryEvent &e, QString *error, bool *busy)
    {
        qint64 id = 0;
        if (e.moreJobs) {
            id = m_batchIds.value(e.batchKey, 0);
            if (id == 0)
                return true; // its batch was never recorded
            // More jobs of a batch whose input was still being read.
            QSqlQuery q(m_db.db());
            q.prepare(QStringLiteral("UPDATE batches SET job_count = job_count + ? WHERE id = ?"));
            q.addBindValue(qint64(e.specs->size()));
            q.addBindValue(id);
            if (!exec(q, error, busy))
                return false;
        } else {
            QSqlQuery q(m_db.db());
            q.prepare(QStringLiteral("INSERT INTO batches(session_id, label, settings, "
                                     "submitted_at_ms, job_count) VALUES (?, ?, ?, ?, ?)"));
            q.addBindValue(m_sessionId);
            // A batch of whole commands has no template: its label is a null
            // QString, which Qt SQL would bind as NULL (label is NOT NULL).
            q.addBindValue(e.settings->label.isNull() ? QStringLiteral("")
                                                      : RawText::forDisplay(e.settings->label));
            q.addBindValue(QString::fromUtf8(HistoryCodec::encodeSettings(*e.settings)));
            q.addBindValue(e.atMs);
            q.addBindValue(qint64(e.specs->size()));
            if (!exec(q, error, busy))
                return false;
            id = q.lastInsertId().toLongLong();
            m_batchIds.insert(e.batchKey, id);
        }
        QSqlQuery &job = prepared(m_insertJob, "INSERT INTO jobs(batch_id, seq, state, command, "
                                               "spec) VALUES (?, ?, 0, ?, ?)");
        for (size_t i = 0; i < e.specs->size(); ++i) {
            const JobSpec &spec = (*e.specs)[i];
            job.addBindValue(id);
            job.addBindValue(e.seqs ? (*e.seqs)[i] : int(i) + 1);
            // The command column is text to show and search: SQLite would
            // mangle a RawText escape (a lone surrogate), so it holds
            // U+FFFD; the spec's JSON keeps the bytes (as \udcXX).
            job.addBindValue(RawText::forDisplay(spec.displayCommand()));
            job.addBindValue(QString::fromUtf8(HistoryCodec::encodeSpec(spec)));
            if (!exec(job, error, busy))
                return false;
        }
        return true;
    }

    bool finishJob(qint64 batchId, const HistoryEvent &e, QString *error, bool *busy)
    {
        const JobResult &r = e.result;
        QSqlQuery &q = prepared(
            m_finished,
            "UPDATE jobs SET state = 2, command = ?, attempts = ?, slot = ?, pid = ?, "
            "started_at_ms = ?, runtime_ns = ?, outcome = ?, exit_code = ?, signal = ?, "
            "stopped_by_user = ?, error_text = ?, stages = ?, cpu_ns = ?, peak_rss = ?, "
            "stdout_bytes = ?, stderr_bytes = ?, last_line = ? WHERE batch_id = ? AND seq = ?");
        q.addBindValue(RawText::forDisplay(e.command));
        q.addBindValue(e.attempt);
        q.addBindValue(e.slot);
        q.addBindValue(r.pid);
        q.addBindValue(r.startedAtMs);
        q.addBindValue(r.runtimeNs);
        q.addBindValue(int(r.outcome));
        q.addBindValue(r.exitCode);
        q.addBindValue(r.signal);
        q.addBindValue(r.stoppedByUser ? 1 : 0);
        q.addBindValue(r.errorText.isEmpty() ? QVariant() : QVariant(r.errorText));
        const QByteArray stages = HistoryCodec::encodeStages(r.stages);
        q.addBindValue(stages.isEmpty() ? QVariant() : QVariant(QString::fromUtf8(stages)));
        q.addBindValue(r.cpuNs);
        q.addBindValue(r.peakRssBytes);
        q.addBindValue(e.stdoutKept.totalBytes);
        q.addBindValue(e.stderrKept.totalBytes);
        q.addBindValue(e.lastLine.isEmpty() ? QVariant() : QVariant(e.lastLine));
        q.addBindValue(batchId);
        q.addBindValue(e.seq);
        if (!exec(q, error, busy))
            return false;
        qint64 stored = 0;
        for (int stream = 0; stream < 2; ++stream) {
            const KeptOutput &kept = stream == 0 ? e.stdoutKept : e.stderrKept;
            if (kept.totalBytes == 0)
                continue;
            const QByteArray data = qCompress(kept.bytes);
            stored += data.size();
            QSqlQuery &out = prepared(m_output, "INSERT OR REPLACE INTO outputs(batch_id, seq, "
                                                "stream, total_bytes, kept_from, data) VALUES "
                                                "(?, ?, ?, ?, ?, ?)");
            out.addBindValue(batchId);
            out.addBindValue(e.seq);
            out.addBindValue(stream);
            out.addBindValue(kept.totalBytes);
            out.addBindValue(kept.keptFrom());
            out.addBindValue(data);
            if (!exec(out, error, busy))
                return false;
        }
        if (stored > 0) {
            QSqlQuery &b = prepared(
                m_outputBytes, "UPDATE batches SET output_bytes = output_bytes + ? WHERE id = ?");
            b.addBindValue(stored);
            b.addBindValue(batchId);
            return exec(b, error, busy);
        }
        return true;
    }

    HistoryWriter *m_owner;
    QString m_path;
    QString m_origin;
    HistoryLimits m_limits;
    HistoryDatabase m_db;
    qint64 m_sessionId = 0;
    QHash<int, qint64> m_batchIds;          // batch key -> batches.id
    QHash<int, qint64> m_committedBatchIds; // as of the last commit (a rollback restores it)
    std::unique_ptr<QSqlQuery> m_insertJob, m_started, m_finished, m_output, m_outputBytes;
    QTimer *m_timer = nullptr;
    QElapsedTimer m_sinceCommit;
    int m_busyRetries = 0;

    QMutex m_mutex; // guards the two below, shared with the owner's thread
    std::vector<HistoryEvent> m_queue;
    bool m_drainScheduled = false;

    std::atomic<bool> m_usable{true};
    std::atomic<qint64> m_committed{0};
    QString m_error; // under m_mutex
};

HistoryWriter::HistoryWriter(const QString &path, const QString &origin,
                             const HistoryLimits &limits, QObject *parent)
    : QObject(parent)
    , m_path(path)
    , m_worker(new Worker(this, path, origin, limits))
{
    m_thread.setObjectName(QStringLiteral("procdeck history"));
    m_worker->moveToThread(&m_thread);
    m_thread.start();
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker] { w->open(); }, Qt::QueuedConnection);
}

HistoryWriter::~HistoryWriter()
{
    // The last commit and the session's end, then the thread's end: this is
    // the one wait, when the front end closes, and it keeps every job.
    QMetaObject::invokeMethod(
        m_worker,
        [w = m_worker] {
            w->close();
            delete w; // its database connection closes on its own thread
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void HistoryWriter::post(HistoryEvent event)
{
    m_worker->post(std::move(event));
}

bool HistoryWriter::isUsable() const
{
    return m_worker->usable();
}

QString HistoryWriter::errorString() const
{
    return m_worker->error();
}

qint64 HistoryWriter::committedEvents() const
{
    return m_worker->committed();
}

} // namespace procdeck
