#pragma once

#include <QHash>
#include <QList>
#include <QMutex>
#include <QObject>

#include <atomic>

class QThread;

namespace procdeck {

// One job's resource use at one sample.
struct ResourceSample
{
    int jobIndex = -1;
    qint64 processGroup = 0;
    float cpuPercent = 0; // since the sample before (or since the job started); 100 = one core
    qint64 rssBytes = 0;  // now, summed over the group
    qint64 cpuNs = 0;     // so far, with what the group's processes reaped
    int processes = 0;
};

// Samples the CPU and memory of watched jobs' process groups from /proc,
// about once a second, on a thread of its own: a scan of /proc with 1,000
// jobs running reads some 2,000 small files, which does not belong on the
// GUI thread. The owner (the Scheduler) says which groups to watch as jobs
// start and end, and gets one sampled() per round, on its own thread,
// with every watched job that still has a process.
class ResourceSampler : public QObject
{
    Q_OBJECT
public:
    explicit ResourceSampler(int intervalMs = 1000, QObject *parent = nullptr);
    ~ResourceSampler() override;

    // Thread-safe. startedNs (monotonic) gives the first sample its CPU %.
    void watch(int jobIndex, qint64 processGroup, qint64 startedNs);
    void unwatch(int jobIndex);
    int interval() const { return m_intervalMs; }

    // What sampling has cost: the sampling thread's CPU time and rounds.
    qint64 threadCpuNs() const { return m_threadCpuNs.load(); }
    int rounds() const { return m_rounds.load(); }

signals:
    void sampled(const QList<procdeck::ResourceSample> &samples);

private:
    struct Watched
    {
        qint64 processGroup = 0;
        qint64 lastNs = 0;    // when lastTicks was read (or the job's start)
        qint64 lastTicks = 0; // CPU ticks at lastNs
    };
    void sampleRound(); // on the sampling thread

    const int m_intervalMs;
    QThread *m_thread;
    QObject *m_worker; // lives on m_thread, owns its timer
    mutable QMutex m_mutex;
    QHash<int, Watched> m_watched; // job index -> its group; under m_mutex
    std::atomic<qint64> m_threadCpuNs{0};
    std::atomic<int> m_rounds{0};
};

} // namespace procdeck
