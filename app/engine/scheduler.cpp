#include "app/engine/scheduler.h"

#include "app/engine/batchpolicy.h"
#include "app/process/jobrunner.h"
#include "app/process/resourcesampler.h"

#include <QThread>

#include <csignal>
#include <limits>

namespace procdeck {

Scheduler::Scheduler(QObject *parent)
    : JobQuery(parent)
    , m_localLauncher(std::make_unique<LocalLauncher>())
    , m_launcher(m_localLauncher.get())
    , m_maxParallel(qMax(1, QThread::idealThreadCount()))
{
    m_delayTimer.setSingleShot(true);
    connect(&m_delayTimer, &QTimer::timeout, this, &Scheduler::startQueued);
}

Scheduler::~Scheduler()
{
    // Runs are our children; each kills its process group as it dies, and
    // m_lingeringGroups kills what finished jobs left in the background.
    for (LaunchedJob *runner : std::as_const(m_runners))
        disconnect(runner, nullptr, this, nullptr);
}

void Scheduler::setResourceSampling(bool enabled, int intervalMs)
{
    if (!enabled) {
        m_sampler.reset();
        return;
    }
    if (m_sampler && m_sampler->interval() == intervalMs)
        return;
    m_sampler = std::make_unique<ResourceSampler>(intervalMs);
    connect(m_sampler.get(), &ResourceSampler::sampled, this, &Scheduler::onSampled);
    // Jobs already running are sampled from now on too.
    for (auto it = m_runners.cbegin(); it != m_runners.cend(); ++it) {
        if (!it.value()->isFinished())
            m_sampler->watch(it.key(), it.value()->localProcessGroup(), it.value()->startedNs());
    }
}

void Scheduler::onSampled(const QList<ResourceSample> &samples)
{
    for (const ResourceSample &s : samples) {
        // A sample taken just before its job ended (or of an attempt before
        // a retry) arrives late: only the run it was taken of takes it.
        LaunchedJob *runner = m_runners.value(s.jobIndex);
        if (!runner || runner->localProcessGroup() != s.processGroup)
            continue;
        JobRecord &job = m_store.job(s.jobIndex);
        m_live.insert(s.jobIndex, LiveUsage{s.cpuPercent, s.rssBytes});
        job.result.peakRssBytes = qMax(job.result.peakRssBytes, s.rssBytes);
        job.result.cpuNs = qMax(job.result.cpuNs, s.cpuNs);
    }
    // Running rows are refreshed by the views' own tick; nothing to emit.
}

void Scheduler::setLauncher(JobLauncher *launcher)
{
    m_launcher = launcher ? launcher : m_localLauncher.get();
}

int Scheduler::submit(const QString &label, std::vector<JobSpec> specs, const BatchOptions &options,
                      const std::vector<int> &seqs)
{
    if (specs.empty())
        return 0;
    if (!m_sources.empty()) // its jobs wait for the open batch's input to end
        return submitSource(label, std::make_unique<ListJobSource>(std::move(specs), seqs),
                            options);
    const int first = m_store.jobCount();
    BatchInfo &batch = m_store.addBatch(label, JobRunner::monotonicNowNs());
    batch.options = options;
    const int batchId = batch.id;
    const bool ownSeqs = seqs.size() == specs.size();
    for (size_t i = 0; i < specs.size(); ++i) {
        m_store.addJob(batchId, specs[i], ownSeqs ? seqs[i] : 0);
        m_queue.push_back(m_store.jobCount() - 1);
    }
    m_queued += int(specs.size());
    m_idle = false;
    emit jobsAdded(first, m_store.jobCount() - 1);
    emit countsChanged();
    startQueued();
    return batchId;
}

int Scheduler::submitSource(const QString &label, std::unique_ptr<JobSource> source,
                            const BatchOptions &options)
{
    BatchInfo &batch = m_store.addBatch(label, JobRunner::monotonicNowNs());
    batch.options = options;
    batch.inputOpen = true;
    const int batchId = batch.id;
    connect(source.get(), &JobSource::ready, this, &Scheduler::takeAndStart);
    m_sources.push_back(OpenSource{batchId, std::move(source)});
    m_idle = false;
    emit countsChanged();
    takeFromSources();
    startQueued();
    return batchId;
}

void Scheduler::takeFromSources()
{
    while (!m_sources.empty()) {
        OpenSource &open = m_sources.front();
        const int batchId = open.batchId;
        BatchInfo &batch = m_store.batch(batchId);
        if (batch.jobCount == 0)
            batch.firstJob = m_store.jobCount(); // its turn has come
        const int first = m_store.jobCount();
        JobSpec spec;
        int seq = 0;
        // Without a lookahead (the window takes every job it can show),
        // a part at a time: the views take in each part before the next,
        // and the event loop runs between parts.
        int budget = m_lookahead == 0 ? 1024 : std::numeric_limits<int>::max();
        while (budget > 0 && (m_lookahead == 0 || m_queued < m_lookahead + m_maxParallel) &&
               open.source->take(&spec, &seq)) {
            m_store.addJob(batchId, spec, seq);
            m_queue.push_back(m_store.jobCount() - 1);
            ++m_queued;
            --budget;
        }
        if (m_store.jobCount() > first) {
            emit jobsAdded(first, m_store.jobCount() - 1);
            emit countsChanged();
        }
        if (budget == 0)
            takeLater();
        if (!open.source->atEnd())
            return; // more to come: its next ready() takes it
        closeSource(batchId);
    }
}

void Scheduler::takeAndStart()
{
    takeFromSources();
    startQueued();
}

void Scheduler::takeLater()
{
    if (m_takeScheduled)
        return;
    m_takeScheduled = true;
    QTimer::singleShot(0, this, [this] {
        m_takeScheduled = false;
        takeAndStart();
    });
}

void Scheduler::closeSource(int batchId)
{
    for (auto it = m_sources.begin(); it != m_sources.end(); ++it) {
        if (it->batchId != batchId)
            continue;
        JobSource *source = it->source.release();
        const QString error = source->atEnd() ? source->error() : QString();
        // Not deleted here: we may be inside its own ready().
        disconnect(source, nullptr, this, nullptr);
        source->deleteLater();
        m_sources.erase(it);
        // The next batch's turn; from the event loop, as this may be inside
        // a stop or a halt.
        if (!m_sources.empty())
            takeLater();
        m_store.batch(batchId).inputOpen = false;
        emit sourceEnded(batchId, error);
        emit countsChanged();
        checkBatchFinished(batchId);
        emitIdleIfIdle();
        return;
    }
}

int Scheduler::rerun(const QList<int> &jobIndices)
{
    std::vector<JobSpec> specs;
    QList<int> batches;
    for (int index : jobIndices) {
        if (index < m_store.firstKept() || index >= m_store.jobCount())
            continue; // not a job, or one released
        const JobRecord &job = m_store.job(index);
        specs.push_back(m_store.templateSpec(index));
        if (!batches.contains(job.batchId))
            batches << job.batchId;
    }
    QStringList names;
    for (int b : std::as_const(batches))
        names << QString::number(b);
    // The rerun keeps the first batch's retries, delay and halt policy.
    const BatchOptions options =
        batches.isEmpty() ? BatchOptions{} : m_store.batch(batches.first()).options;
    return submit(QStringLiteral("Rerun of batch %1").arg(names.join(QStringLiteral(", "))),
                  std::move(specs), options);
}

void Scheduler::setMaxParallel(int limit)
{
    m_maxParallel = qMax(0, limit);
    startQueued();
}

qint64 Scheduler::runtimeNs(int index) const
{
    const JobRecord &job = m_store.job(index);
    if (job.state == JobState::Running)
        return JobRunner::monotonicNowNs() - job.startedNs;
    return job.result.runtimeNs;
}

void Scheduler::startQueued()
{
    // A job that fails to start finishes inside start(); its slot is then
    // refilled by this same loop rather than by a nested call.
    if (m_starting)
        return;
    m_starting = true;
    takeFromSources();
    while (!m_queue.empty() && (m_maxParallel == 0 || m_runners.size() < m_maxParallel)) {
        const int index = m_queue.front();
        // Canceled since (and perhaps released: procdeck run forgets what
        // it has printed).
        if (index < m_store.firstKept() || m_store.job(index).state != JobState::Queued) {
            m_queue.pop_front();
            continue;
        }
        const int delayMs = m_store.batch(m_store.job(index).batchId).options.delayMs;
        if (delayMs > 0 && m_lastStartNs > 0) {
            const qint64 waitNs =
                m_lastStartNs + qint64(delayMs) * 1000000 - JobRunner::monotonicNowNs();
            if (waitNs > 0) {
                m_delayTimer.start(int(waitNs / 1000000) + 1);
                break;
            }
        }
        if (!m_startGate.allows(m_store.batch(m_store.job(index).batchId).options)) {
            // --load, --memfree: the system is too busy; asked again later.
            m_delayTimer.start(m_startGate.recheckMs());
            break;
        }
        m_queue.pop_front();
        startJob(index);
        if (m_queue.empty())
            takeFromSources();
    }
    m_starting = false;
    emitIdleIfIdle();
}

void Scheduler::emitIdleIfIdle()
{
    // Once per quiet spell, and never from inside the start loop.
    if (m_starting || !isIdle() || m_idle)
        return;
    m_idle = true;
    emit idle();
}

void Scheduler::startJob(int index)
{
    JobRecord &job = m_store.job(index);
    BatchInfo &batch = m_store.batch(job.batchId);
    job.state = JobState::Running;
    --m_queued;
    --batch.queued;
    ++batch.running;
    ++job.attempts;
    job.result = JobResult(); // a retry shows nothing of the attempt before
    m_live.remove(index);
    job.slot = takeSlot();
    // A retry starts with fresh output: only the last attempt's is kept, as
    // in parallel.
    job.output = std::make_unique<OutputLog>(m_outputLimits);

    // {%} becomes the slot now (the store fills it in from the record's
    // slot; the record keeps the spec as it was before, for retries).
    const JobSpec spec = m_store.spec(index);
    LaunchedJob *runner = m_launcher->launch(spec, job.output.get(), this);
    runner->setGracePeriod(m_graceMs);
    m_runners.insert(index, runner);
    connect(runner, &LaunchedJob::started, this,
            [this, index](qint64 pid) { onRunnerStarted(index, pid); });
    connect(runner, &LaunchedJob::outputReceived, this, [this, index] { emit jobOutput(index); });
    connect(runner, &LaunchedJob::finished, this, [this, index] { onRunnerFinished(index); });
    runner->start();
    // Taken after start(): --delay then spaces the jobs' own start times
    // (what the joblog and the table show) by at least the delay, however
    // long making a run took.
    m_lastStartNs = JobRunner::monotonicNowNs();
    if (!runner->isFinished()) {
        job.startedNs = runner->startedNs();
        job.result.startedAtMs = runner->result().startedAtMs;
        emit jobChanged(index);
        emit countsChanged();
    }
}

void Scheduler::onRunnerStarted(int index, qint64 pid)
{
    JobRecord &job = m_store.job(index);
    job.result.pid = pid;
    if (m_sampler) {
        if (LaunchedJob *runner = m_runners.value(index))
            m_sampler->watch(index, runner->localProcessGroup(), runner->startedNs());
    }
    emit jobChanged(index);
}

void Scheduler::onRunnerFinished(int index)
{
    LaunchedJob *runner = m_runners.take(index);
    if (!runner)
        return;
    JobRecord &job = m_store.job(index);
    BatchInfo &batch = m_store.batch(job.batchId);
    if (m_sampler)
        m_sampler->unwatch(index);
    // The samples' peak stays; CPU time is the larger of the samples' and
    // what the kernel counted at the reap (which misses nothing the job's
    // own processes waited for).
    const qint64 sampledPeak = job.result.peakRssBytes;
    const qint64 sampledCpu = job.result.cpuNs;
    job.result = runner->result();
    job.result.peakRssBytes = qMax(job.result.peakRssBytes, sampledPeak);
    job.result.cpuNs = qMax(job.result.cpuNs, sampledCpu);
    m_live.remove(index);
    job.startedNs = runner->startedNs();
    m_slotTaken[size_t(job.slot - 1)] = false;
    --batch.running;
    // Not delete: we may be inside one of the QProcess's own signals.
    runner->deleteLater();
    // A background child still in the job's group outlives the job (as with
    // parallel) but not procdeck: see ~Scheduler and stopAll().
    m_lingeringGroups.addIfAlive(runner->localProcessGroup());
    if (retry(index))
        return;
    // A job that printed nothing needs no log: this keeps a finished job in
    // a batch of 100,000 `true`s to a few hundred bytes.
    if (job.output && job.output->byteCount(Stream::Stdout) == 0 &&
        job.output->byteCount(Stream::Stderr) == 0)
        job.output.reset();
    job.state = JobState::Finished;
    if (job.result.succeeded())
        ++batch.succeeded;
    else
        ++batch.failed;

    // Taken first: a listener may release the record (procdeck run, once
    // the job is printed).
    const int batchId = job.batchId;
    const JobResult result = job.result;
    emit jobChanged(index);
    emit jobFinished(index);
    emit countsChanged();
    // After the job's own signals, so listeners see it end before the halt
    // cancels the rest and the batch ends.
    checkHalt(batchId, result);
    checkBatchFinished(batchId);
    startQueued();
}

int Scheduler::takeSlot()
{
    for (size_t i = 0; i < m_slotTaken.size(); ++i) {
        if (!m_slotTaken[i]) {
            m_slotTaken[i] = true;
            return int(i) + 1;
        }
    }
    m_slotTaken.push_back(true);
    return int(m_slotTaken.size());
}

bool Scheduler::retry(int index)
{
    JobRecord &job = m_store.job(index);
    BatchInfo &batch = m_store.batch(job.batchId);
    if (!BatchPolicy::shouldRetry(job, batch))
        return false;
    // Back to the front of the queue: the next free slot runs it again.
    job.state = JobState::Queued;
    ++batch.queued;
    ++m_queued;
    m_queue.push_front(index);
    emit jobChanged(index);
    emit countsChanged();
    startQueued();
    return true;
}

void Scheduler::checkHalt(int batchId, const JobResult &result)
{
    BatchInfo &batch = m_store.batch(batchId);
    if (!BatchPolicy::haltReached(result, batch))
        return;
    batch.halted = true;
    if (batch.options.halt.onFailure)
        batch.haltExitCode = BatchPolicy::haltExitCode(result);
    // Its input too: no more of its jobs are taken.
    if (batch.inputOpen)
        closeSource(batch.id);
    QList<int> stop;
    for (int i = qMax(batch.firstJob, m_store.firstKept()); i < batch.firstJob + batch.jobCount;
         ++i) {
        if (BatchPolicy::haltStops(m_store.job(i).state, batch.options.halt))
            stop << i;
    }
    stopJobs(stop);
}

void Scheduler::finishQueued(int index, bool ranBefore)
{
    // A queued job that never ran is canceled; one queued for a retry ran
    // and failed, and stays failed.
    JobRecord &job = m_store.job(index);
    BatchInfo &batch = m_store.batch(job.batchId);
    job.state = JobState::Finished;
    if (!ranBefore)
        job.result.outcome = Outcome::Canceled;
    --m_queued;
    --batch.queued;
    ++(ranBefore ? batch.failed : batch.canceled);
    emit jobChanged(index);
    emit jobFinished(index);
}

void Scheduler::stopJobs(const QList<int> &jobIndices)
{
    QList<int> touchedBatches;
    // Cancel queued jobs before stopping running ones, so that no freed slot
    // starts a job the user just asked to stop.
    for (int index : jobIndices) {
        if (index < m_store.firstKept() || index >= m_store.jobCount())
            continue;
        if (m_store.job(index).state == JobState::Queued) {
            // Its batch first: once finished, the record may be released.
            const int batchId = m_store.job(index).batchId;
            finishQueued(index, m_store.job(index).attempts > 0);
            if (!touchedBatches.contains(batchId))
                touchedBatches << batchId;
        }
    }
    if (!touchedBatches.isEmpty())
        emit countsChanged();
    for (int batchId : std::as_const(touchedBatches))
        checkBatchFinished(batchId);
    for (int index : jobIndices) {
        if (LaunchedJob *runner = m_runners.value(index))
            runner->stop();
    }
    emitIdleIfIdle();
}

void Scheduler::killAll()
{
    stopAll();
    // A copy: a run that ends meanwhile leaves m_runners as it goes.
    const QList<LaunchedJob *> runners = m_runners.values();
    for (LaunchedJob *runner : runners)
        runner->kill();
}

void Scheduler::releaseOutput(int index)
{
    if (index < m_store.firstKept())
        return;
    JobRecord &job = m_store.job(index);
    if (job.state == JobState::Finished)
        job.output.reset();
}

void Scheduler::stopBatch(int batchId)
{
    if (batchId < 1 || batchId > m_store.batchCount())
        return;
    // Its input first: no job of it is taken while the others stop.
    if (m_store.batch(batchId).inputOpen)
        closeSource(batchId);
    const BatchInfo &b = m_store.batch(batchId);
    QList<int> indices;
    for (int i = qMax(b.firstJob, m_store.firstKept()); i < b.firstJob + b.jobCount; ++i) {
        if (m_store.job(i).state != JobState::Finished)
            indices << i;
    }
    stopJobs(indices);
}

void Scheduler::stopAll()
{
    while (!m_sources.empty())
        closeSource(m_sources.back().batchId);
    QList<int> indices;
    for (int index : m_queue) {
        if (index >= m_store.firstKept() && m_store.job(index).state == JobState::Queued)
            indices << index;
    }
    indices += m_runners.keys();
    stopJobs(indices);
    // Quitting stops what finished jobs left running in the background too.
    m_lingeringGroups.signalAll(SIGTERM);
}

void Scheduler::checkBatchFinished(int batchId)
{
    BatchInfo &batch = m_store.batch(batchId);
    if (batch.isFinished() || batch.queued > 0 || batch.running > 0 || batch.inputOpen)
        return;
    batch.finishedNs = JobRunner::monotonicNowNs();
    emit batchFinished(batchId);
}

} // namespace procdeck
