#include "app/process/resourcesampler.h"

#include "app/process/processgroupscan.h"

#include <QThread>
#include <QTimer>

#include <chrono>
#include <ctime>
#include <vector>

namespace procdeck {

namespace {

qint64 monotonicNs()
{
    using namespace std::chrono;
    return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
}

qint64 threadCpuNow()
{
    timespec ts{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

} // namespace

ResourceSampler::ResourceSampler(int intervalMs, QObject *parent)
    : QObject(parent)
    , m_intervalMs(qMax(10, intervalMs))
    , m_thread(new QThread(this))
    , m_worker(new QObject)
{
    qRegisterMetaType<QList<procdeck::ResourceSample>>();
    m_thread->setObjectName(QStringLiteral("procdeck sampler"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_thread, &QThread::started, m_worker, [this] {
        auto *timer = new QTimer(m_worker);
        timer->setInterval(m_intervalMs);
        connect(timer, &QTimer::timeout, m_worker, [this] { sampleRound(); });
        timer->start();
    });
    m_thread->start(QThread::LowPriority);
}

ResourceSampler::~ResourceSampler()
{
    // A round takes milliseconds; waiting for it here is what makes it safe
    // to go on (it reads m_watched and emits from this object).
    m_thread->quit();
    m_thread->wait();
}

void ResourceSampler::watch(int jobIndex, qint64 processGroup, qint64 startedNs)
{
    if (processGroup <= 0)
        return;
    QMutexLocker lock(&m_mutex);
    m_watched.insert(jobIndex, Watched{processGroup, startedNs, 0});
}

void ResourceSampler::unwatch(int jobIndex)
{
    QMutexLocker lock(&m_mutex);
    m_watched.remove(jobIndex);
}

void ResourceSampler::sampleRound()
{
    const qint64 cpuBefore = threadCpuNow();
    std::vector<qint64> groups;
    {
        QMutexLocker lock(&m_mutex);
        if (m_watched.isEmpty())
            return;
        groups.reserve(size_t(m_watched.size()));
        for (const Watched &w : std::as_const(m_watched))
            groups.push_back(w.processGroup);
    }
    const QHash<qint64, GroupUsage> usage = ProcessGroupScan::scan(groups);
    const qint64 now = monotonicNs();
    const qint64 tickNs = 1000000000 / ProcessGroupScan::ticksPerSecond();

    QList<ResourceSample> samples;
    {
        QMutexLocker lock(&m_mutex);
        samples.reserve(m_watched.size());
        for (auto it = m_watched.begin(); it != m_watched.end(); ++it) {
            const auto found = usage.constFind(it->processGroup);
            if (found == usage.cend())
                continue; // ended (or not yet in /proc); its runner says which
            ResourceSample s;
            s.jobIndex = it.key();
            s.processGroup = it->processGroup;
            s.rssBytes = found->rssBytes;
            s.cpuNs = found->cpuTicks * tickNs;
            s.processes = found->processes;
            // A process that exits takes its time with it until its parent
            // reaps it (or for good, when a parent outside the group does),
            // so the sum can dip: the rate is against the last raw sum,
            // never below zero. The total (cpuNs) is kept at its highest by
            // the Scheduler.
            const qint64 ticks = qMax<qint64>(0, found->cpuTicks - it->lastTicks);
            const qint64 elapsed = now - it->lastNs;
            if (elapsed > 0)
                s.cpuPercent = float(100.0 * double(ticks * tickNs) / double(elapsed));
            it->lastTicks = found->cpuTicks;
            it->lastNs = now;
            samples.append(s);
        }
    }
    m_threadCpuNs += threadCpuNow() - cpuBefore;
    ++m_rounds;
    if (!samples.isEmpty())
        emit sampled(samples); // queued to the owner's thread
}

} // namespace procdeck
