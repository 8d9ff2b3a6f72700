#pragma once

#include <QtGlobal>

#include <deque>
#include <vector>

namespace procdeck {

class JobQuery;

// One job's bar: its last attempt, in the slot it ran in.
struct TimelineBar
{
    qint64 startNs = 0;
    qint64 endNs = 0; // final once it finished; a running bar ends "now" (see endNs())
    int job = -1;     // its batch: JobQuery::batchId(job)
    int outcome = 0;  // a JobTableModel::OutcomeClass
};

// One slot's bars. A deque: a lane of 250,000 bars grows without a copy of
// them all and without a vector's spare capacity (up to half again).
using TimelineLane = std::deque<TimelineBar>;

// Where every started job sits on the timeline, for the TimelineView that
// owns it: per slot, the bars sorted by start time. A slot runs one job at a
// time, so within a lane the bars also end in order, and the bars of a time
// window are found by one binary search. Kept up to date one job at a time
// as jobs start and end, never rebuilt for a paint.
class TimelineIndex
{
public:
    explicit TimelineIndex(const JobQuery *jobs);

    // Reads every job again: once, for jobs that were there before.
    void rebuild();
    // Indexes other jobs (rebuilding).
    void setJobs(const JobQuery *jobs)
    {
        m_jobs = jobs;
        rebuild();
    }
    // The job changed (started, ended, queued to retry): its bar follows.
    void sync(int job);

    // Lanes are slots: lane 0 is slot 1.
    int laneCount() const { return int(m_lanes.size()); }
    const TimelineLane &lane(int lane) const { return m_lanes[size_t(lane)]; }
    // The first bar of the lane that can reach time t or later: the last
    // one that started at or before t (or the lane's first).
    size_t firstReaching(int lane, qint64 t) const;
    // Null when the job has no bar (never started, or queued to retry).
    const TimelineBar *bar(int job) const;
    int laneOf(int job) const;
    // Where a bar ends: its end once finished, the job's runtime so far while
    // it runs.
    qint64 endNs(const TimelineBar &bar) const;

    // What the bars of one batch (0: all) cover. Empty: no bar yet.
    struct Span
    {
        qint64 firstStartNs = 0;
        qint64 lastEndNs = 0; // of finished bars; running ones reach further
        int highestSlot = 0;  // lanes it needs
        int bars = 0;
        int running = 0;
        bool isEmpty() const { return bars == 0; }
    };
    Span span(int batchId) const;

private:
    struct Place
    {
        int lane = -1; // -1: no bar
        qint64 startNs = 0;
    };
    size_t find(const Place &place, int job) const; // where the job's bar is, or would go
    void remove(int job);
    void countIn(const TimelineBar &bar, int sign);
    Span &spanOf(int batchId);

    const JobQuery *m_jobs;
    std::vector<TimelineLane> m_lanes;
    std::deque<Place> m_places;  // by job index
    std::vector<Span> m_batches; // by batch id - 1; bars and running only go up and down
};

} // namespace procdeck
