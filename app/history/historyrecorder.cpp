#include "app/history/historyrecorder.h"

#include "app/engine/scheduler.h"
#include "app/history/historywriter.h"

#include <QDateTime>
#include <QDir>

namespace procdeck {

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

KeptOutput keep(const OutputLog *log, Stream stream, qint64 cap)
{
    KeptOutput kept;
    if (!log)
        return kept;
    kept.totalBytes = log->byteCount(stream);
    if (kept.totalBytes > 0) {
        // The end: a long job's error is usually there. For output still in
        // memory this shares the bytes (no copy).
        const qint64 from = qMax<qint64>(0, kept.totalBytes - cap);
        kept.bytes = log->rawBytes(stream, from, cap);
    }
    return kept;
}

} // namespace

HistoryRecorder::HistoryRecorder(Scheduler *scheduler, HistoryWriter *writer, const QString &origin,
                                 const HistoryLimits &limits, QObject *parent)
    : QObject(parent)
    , m_scheduler(scheduler)
    , m_writer(writer)
    , m_origin(origin)
    , m_limits(limits)
{
    connect(scheduler, &JobQuery::jobsAdded, this, &HistoryRecorder::onJobsAdded);
    connect(scheduler, &JobQuery::jobChanged, this, &HistoryRecorder::onJobChanged);
    connect(scheduler, &JobQuery::jobFinished, this, &HistoryRecorder::onJobFinished);
    connect(scheduler, &JobQuery::batchFinished, this, &HistoryRecorder::onBatchFinished);
}

bool HistoryRecorder::recording() const
{
    return m_writer->isUsable();
}

void HistoryRecorder::onJobsAdded(int first, int last)
{
    if (!recording())
        return;
    const int batchId = m_scheduler->batchId(first);
    const BatchInfo &batch = m_scheduler->batch(batchId);
    auto settings = std::make_shared<BatchSettings>();
    settings->label = batch.label;
    settings->origin = m_origin;
    settings->options = batch.options;
    settings->maxParallel = m_scheduler->maxParallel();
    settings->workingDirectory = QDir::currentPath();
    // Copies share the strings: about a microsecond a job; the JSON is
    // made on the writer's thread.
    auto specs = std::make_shared<std::vector<JobSpec>>();
    specs->reserve(size_t(last - first + 1));
    std::vector<int> seqs;
    // A batch whose input is read as it comes adds its jobs in parts; the
    // parts after the first are numbered on, not from 1.
    const bool moreJobs = first > batch.firstJob;
    bool ownSeqs = moreJobs; // or --resume: not 1, 2, ...
    for (int i = first; i <= last; ++i) {
        specs->push_back(m_scheduler->spec(i));
        seqs.push_back(m_scheduler->seq(i));
        ownSeqs = ownSeqs || seqs.back() != i - batch.firstJob + 1;
    }
    HistoryEvent e;
    e.kind = HistoryEvent::BatchSubmitted;
    e.batchKey = batchId;
    e.atMs = nowMs();
    e.settings = std::move(settings);
    e.specs = std::move(specs);
    e.moreJobs = moreJobs;
    if (ownSeqs)
        e.seqs = std::make_shared<const std::vector<int>>(std::move(seqs));
    m_writer->post(std::move(e));
}

HistoryEvent HistoryRecorder::jobEvent(HistoryEvent::Kind kind, int index) const
{
    HistoryEvent e;
    e.kind = kind;
    e.batchKey = m_scheduler->batchId(index);
    e.seq = m_scheduler->seq(index);
    e.attempt = m_scheduler->attempt(index);
    e.slot = m_scheduler->slot(index);
    return e;
}

void HistoryRecorder::onJobChanged(int index)
{
    if (m_scheduler->state(index) != JobState::Running)
        return;
    // An attempt is recorded as started as soon as it starts, so that a
    // crash right after finds it running, and once more when its pid
    // arrives, a moment later (the process's own start is asynchronous):
    // after a crash, the pid finds a job that outlived procdeck.
    const int attempt = m_scheduler->attempt(index);
    const qint64 pid = m_scheduler->result(index).pid;
    Started &recorded = m_started[index];
    if ((recorded.attempt == attempt && (pid == 0 || recorded.pid == pid)) || !recording())
        return;
    recorded = Started{attempt, pid};
    HistoryEvent e = jobEvent(HistoryEvent::JobStarted, index);
    e.pid = pid;
    e.atMs = m_scheduler->result(index).startedAtMs;
    m_writer->post(std::move(e));
}

void HistoryRecorder::onJobFinished(int index)
{
    m_started.remove(index);
    if (!recording())
        return;
    HistoryEvent e = jobEvent(HistoryEvent::JobFinished, index);
    e.atMs = nowMs();
    e.command = m_scheduler->spec(index).displayCommand();
    e.result = m_scheduler->result(index);
    const OutputLog *log = m_scheduler->output(index);
    e.stdoutKept = keep(log, Stream::Stdout, m_limits.streamBytes);
    e.stderrKept = keep(log, Stream::Stderr, m_limits.streamBytes);
    if (log)
        e.lastLine = log->lastLine();
    m_writer->post(std::move(e));
}

void HistoryRecorder::onBatchFinished(int batchId)
{
    if (!recording())
        return;
    HistoryEvent e;
    e.kind = HistoryEvent::BatchFinished;
    e.batchKey = batchId;
    e.atMs = nowMs();
    m_writer->post(std::move(e));
}

} // namespace procdeck
