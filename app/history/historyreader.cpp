#include "app/history/historyreader.h"

#include "app/core/rawtext.h"

#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace procdeck {

namespace {

const char kSummaryColumns[] =
    "SELECT b.id, b.label, s.origin, b.submitted_at_ms, b.finished_at_ms, b.job_count, "
    "b.succeeded, b.failed, b.canceled, b.interrupted, b.output_bytes FROM batches b "
    "LEFT JOIN sessions s ON s.id = b.session_id ";

StoredBatchSummary summaryOf(const QSqlQuery &q)
{
    StoredBatchSummary s;
    s.id = q.value(0).toLongLong();
    s.label = q.value(1).toString();
    s.origin = q.value(2).toString();
    s.submittedAtMs = q.value(3).toLongLong();
    s.finishedAtMs = q.value(4).isNull() ? 0 : q.value(4).toLongLong();
    s.jobCount = q.value(5).toInt();
    s.succeeded = q.value(6).toInt();
    s.failed = q.value(7).toInt();
    s.canceled = q.value(8).toInt();
    s.interrupted = q.value(9).toInt();
    s.outputBytes = q.value(10).toLongLong();
    return s;
}

// A batch still running in a live session has no counts yet: its jobs do.
void addLiveCounts(QSqlDatabase &db, StoredBatchSummary *s)
{
    if (s->isFinished())
        return;
    QSqlQuery c(db);
    c.prepare(QStringLiteral(
                  "SELECT sum(state = 1), sum(state = 2 AND outcome = %1 AND exit_code = 0), "
                  "sum(outcome = %2), sum(state = 2 AND outcome <> %2 AND NOT (outcome = %1 AND "
                  "exit_code = 0)) FROM jobs WHERE batch_id = ?")
                  .arg(int(Outcome::Exited))
                  .arg(int(Outcome::Canceled)));
    c.addBindValue(s->id);
    if (c.exec() && c.next()) {
        s->running = c.value(0).toInt();
        s->succeeded = c.value(1).toInt();
        s->canceled = c.value(2).toInt();
        s->failed = c.value(3).toInt();
    }
}

QString likePattern(const QString &text)
{
    QString escaped = text;
    escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
        .replace(QLatin1Char('%'), QLatin1String("\\%"))
        .replace(QLatin1Char('_'), QLatin1String("\\_"));
    return QLatin1Char('%') + escaped + QLatin1Char('%');
}

} // namespace

Expected<void> HistoryReader::open(const QString &path)
{
    Expected<void> ok = m_db.open(path);
    if (ok)
        return ok;
    // A file we may read but not write (or on a read-only mount): listing
    // and exporting still work; sweeping waits for a writable open.
    m_db.close();
    if (QFileInfo::exists(path) && m_db.openReadOnly(path)) {
        m_readOnly = true;
        return {};
    }
    m_db.close();
    return ok;
}

Expected<QList<StoredBatchSummary>> HistoryReader::listBatches(const QString &search, int limit)
{
    QString sql = QLatin1String(kSummaryColumns);
    if (!search.isEmpty())
        sql += QStringLiteral("WHERE b.label LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM jobs j "
                              "WHERE j.batch_id = b.id AND j.command LIKE ? ESCAPE '\\') ");
    sql += QStringLiteral("ORDER BY b.id DESC");
    if (limit > 0)
        sql += QStringLiteral(" LIMIT %1").arg(limit);
    QSqlQuery q(m_db.db());
    q.setForwardOnly(true);
    q.prepare(sql);
    if (!search.isEmpty()) {
        q.addBindValue(likePattern(search));
        q.addBindValue(likePattern(search));
    }
    if (!q.exec())
        return fail(m_db.describe(q.lastError().text()));
    QList<StoredBatchSummary> out;
    while (q.next())
        out.append(summaryOf(q));
    for (StoredBatchSummary &s : out)
        addLiveCounts(m_db.db(), &s);
    return out;
}

Expected<StoredBatchSummary> HistoryReader::batchSummary(qint64 batchId)
{
    QSqlQuery q(m_db.db());
    q.prepare(QLatin1String(kSummaryColumns) + QStringLiteral("WHERE b.id = ?"));
    q.addBindValue(batchId);
    if (!q.exec())
        return fail(m_db.describe(q.lastError().text()));
    if (!q.next())
        return fail(m_db.describe(QStringLiteral("there is no batch %1").arg(batchId)));
    StoredBatchSummary s = summaryOf(q);
    addLiveCounts(m_db.db(), &s);
    return s;
}

Expected<qint64> HistoryReader::latestBatchId()
{
    QSqlQuery q(m_db.db());
    if (!q.exec(QStringLiteral("SELECT max(id) FROM batches")))
        return fail(m_db.describe(q.lastError().text()));
    return q.next() ? q.value(0).toLongLong() : 0;
}

Expected<std::unique_ptr<StoredJobs>> HistoryReader::loadBatch(qint64 batchId, bool withOutput)
{
    QSqlQuery b(m_db.db());
    b.prepare(QLatin1String(kSummaryColumns) + QStringLiteral("WHERE b.id = ?"));
    b.addBindValue(batchId);
    if (!b.exec())
        return fail(m_db.describe(b.lastError().text()));
    if (!b.next())
        return fail(m_db.describe(QStringLiteral("there is no batch %1").arg(batchId)));
    StoredBatchSummary summary = summaryOf(b);
    QSqlQuery s(m_db.db());
    s.prepare(QStringLiteral("SELECT settings FROM batches WHERE id = ?"));
    s.addBindValue(batchId);
    BatchSettings settings;
    if (s.exec() && s.next())
        settings = HistoryCodec::decodeSettings(s.value(0).toString().toUtf8());

    QSqlQuery q(m_db.db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral(
        "SELECT seq, state, command, spec, attempts, slot, pid, started_at_ms, runtime_ns, "
        "outcome, exit_code, signal, stopped_by_user, error_text, stages, cpu_ns, peak_rss, "
        "stdout_bytes, stderr_bytes, last_line FROM jobs WHERE batch_id = ? ORDER BY seq"));
    q.addBindValue(batchId);
    if (!q.exec())
        return fail(m_db.describe(q.lastError().text()));
    std::vector<StoredJobs::Job> jobs;
    jobs.reserve(size_t(qMax(0, summary.jobCount)));
    while (q.next()) {
        StoredJobs::Job job;
        job.seq = q.value(0).toInt();
        const int state = q.value(1).toInt();
        job.state = state == 0   ? JobState::Queued
                    : state == 1 ? JobState::Running
                                 : JobState::Finished;
        job.runSpec = HistoryCodec::decodeSpec(q.value(3).toString().toUtf8());
        job.spec = job.runSpec;
        const QString command = q.value(2).toString();
        // The column shows bytes that are no UTF-8 as U+FFFD (see
        // HistoryWriter): the spec's own command keeps them.
        if (command != RawText::forDisplay(job.spec.displayCommand()))
            job.spec.displayText = command; // {%} as it was filled in
        job.attempts = q.value(4).toInt();
        job.slot = q.value(5).toInt();
        JobResult &r = job.result;
        r.pid = q.value(6).toLongLong();
        r.startedAtMs = q.value(7).toLongLong();
        r.runtimeNs = q.value(8).toLongLong();
        const int outcome = q.value(9).toInt();
        r.outcome =
            outcome >= 0 && outcome <= int(Outcome::Interrupted) ? Outcome(outcome) : Outcome::None;
        r.exitCode = q.value(10).toInt();
        r.signal = q.value(11).toInt();
        r.stoppedByUser = q.value(12).toInt() != 0;
        r.errorText = q.value(13).toString();
        r.stages = HistoryCodec::decodeStages(q.value(14).toString().toUtf8());
        r.cpuNs = q.value(15).toLongLong();
        r.peakRssBytes = q.value(16).toLongLong();
        job.stdoutBytes = q.value(17).toLongLong();
        job.stderrBytes = q.value(18).toLongLong();
        job.lastLine = q.value(19).toString();
        jobs.push_back(std::move(job));
    }
    auto stored =
        std::make_unique<StoredJobs>(std::move(summary), std::move(settings), std::move(jobs));
    if (withOutput) {
        if (Expected<void> ok = loadAllOutput(stored.get()); !ok)
            return fail(ok.error());
    }
    return stored;
}

namespace {

// One row of outputs (stream, total_bytes, data from column `first` on).
void readOutputRow(const QSqlQuery &q, int first, StoredOutput *out)
{
    KeptOutput &kept = q.value(first).toInt() == 0 ? out->stdoutKept : out->stderrKept;
    kept.totalBytes = q.value(first + 1).toLongLong();
    // A damaged blob uncompresses to nothing: the job reads as having
    // kept no output, not as a crash.
    kept.bytes = qUncompress(q.value(first + 2).toByteArray());
}

} // namespace

Expected<StoredOutput> HistoryReader::loadOutput(qint64 batchId, int seq)
{
    QSqlQuery q(m_db.db());
    q.prepare(QStringLiteral(
        "SELECT stream, total_bytes, data FROM outputs WHERE batch_id = ? AND seq = ?"));
    q.addBindValue(batchId);
    q.addBindValue(seq);
    if (!q.exec())
        return fail(m_db.describe(q.lastError().text()));
    StoredOutput out;
    while (q.next())
        readOutputRow(q, 0, &out);
    return out;
}

Expected<void> HistoryReader::loadAllOutput(StoredJobs *jobs)
{
    QSqlQuery q(m_db.db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT seq, stream, total_bytes, data FROM outputs WHERE "
                             "batch_id = ? ORDER BY seq, stream"));
    q.addBindValue(jobs->historyId());
    if (!q.exec())
        return fail(m_db.describe(q.lastError().text()));
    // seq -> index: seq runs 1..n in order, but history may miss some.
    QHash<int, int> indexOfSeq;
    for (int i = 0; i < jobs->jobCount(); ++i)
        indexOfSeq.insert(jobs->seq(i), i);
    int currentSeq = -1;
    StoredOutput current;
    const auto flush = [&] {
        if (currentSeq >= 0 && indexOfSeq.contains(currentSeq))
            jobs->setOutput(indexOfSeq.value(currentSeq), current);
        current = StoredOutput();
    };
    while (q.next()) {
        const int seq = q.value(0).toInt();
        if (seq != currentSeq) {
            flush();
            currentSeq = seq;
        }
        readOutputRow(q, 1, &current);
    }
    flush();
    return {};
}

} // namespace procdeck
