#include "ui/timeline/timelineindex.h"

#include "app/engine/jobquery.h"
#include "app/models/jobtablemodel.h"

#include <algorithm>

namespace procdeck {

namespace {

// Bars sort by start, then by job, so each has one exact place.
bool before(const TimelineBar &bar, qint64 startNs, int job)
{
    return bar.startNs < startNs || (bar.startNs == startNs && bar.job < job);
}

} // namespace

TimelineIndex::TimelineIndex(const JobQuery *jobs)
    : m_jobs(jobs)
{
    rebuild();
}

void TimelineIndex::rebuild()
{
    m_lanes.clear();
    m_places.clear();
    m_batches.clear();
    for (int i = 0; i < m_jobs->jobCount(); ++i)
        sync(i);
}

size_t TimelineIndex::find(const Place &place, int job) const
{
    const TimelineLane &bars = m_lanes[size_t(place.lane)];
    auto it = std::lower_bound(
        bars.begin(), bars.end(), place.startNs,
        [job](const TimelineBar &b, qint64 startNs) { return before(b, startNs, job); });
    return size_t(it - bars.begin());
}

TimelineIndex::Span &TimelineIndex::spanOf(int batchId)
{
    if (size_t(batchId) > m_batches.size())
        m_batches.resize(size_t(batchId));
    return m_batches[size_t(batchId - 1)];
}

void TimelineIndex::countIn(const TimelineBar &bar, int sign)
{
    Span &s = spanOf(m_jobs->batchId(bar.job));
    s.bars += sign;
    if (bar.outcome == JobTableModel::Working)
        s.running += sign;
    if (sign < 0)
        return;
    // Firsts and lasts only widen: a retried job's earlier attempt may have
    // been the first, and the axis starting a little early does no harm.
    s.highestSlot = std::max(s.highestSlot, m_places[size_t(bar.job)].lane + 1);
    if (s.bars == 1 || bar.startNs < s.firstStartNs)
        s.firstStartNs = bar.startNs;
    if (bar.outcome != JobTableModel::Working)
        s.lastEndNs = std::max(s.lastEndNs, bar.endNs);
}

void TimelineIndex::remove(int job)
{
    Place &place = m_places[size_t(job)];
    if (place.lane < 0)
        return;
    TimelineLane &bars = m_lanes[size_t(place.lane)];
    const size_t at = find(place, job);
    if (at < bars.size() && bars[at].job == job) {
        countIn(bars[at], -1);
        bars.erase(bars.begin() + std::ptrdiff_t(at));
    }
    place = Place();
}

void TimelineIndex::sync(int job)
{
    if (size_t(job) >= m_places.size())
        m_places.resize(size_t(m_jobs->jobCount()));
    const JobState state = m_jobs->state(job);
    const int slot = m_jobs->slot(job);
    const qint64 startNs = m_jobs->startedNs(job);
    // Between its start and the runner's report a job may still show its
    // last attempt's start: it gets its bar a moment later.
    if (state == JobState::Queued || slot <= 0 || startNs <= 0) {
        remove(job);
        return;
    }
    TimelineBar bar;
    bar.startNs = startNs;
    bar.job = job;
    bar.outcome = JobTableModel::outcomeClass(*m_jobs, job);
    bar.endNs = startNs + std::max<qint64>(0, m_jobs->runtimeNs(job));

    Place &place = m_places[size_t(job)];
    if (place.lane == slot - 1 && place.startNs == startNs) {
        TimelineLane &bars = m_lanes[size_t(place.lane)];
        const size_t at = find(place, job);
        if (at < bars.size() && bars[at].job == job) {
            countIn(bars[at], -1);
            bars[at] = bar;
            countIn(bars[at], +1);
            return;
        }
    }
    remove(job);
    if (size_t(slot) > m_lanes.size())
        m_lanes.resize(size_t(slot));
    place.lane = slot - 1;
    place.startNs = startNs;
    TimelineLane &bars = m_lanes[size_t(place.lane)];
    // Jobs start in time order: nearly always the lane's last bar.
    size_t at = bars.size();
    if (!bars.empty() && !before(bars.back(), bar.startNs, bar.job))
        at = find(place, job);
    bars.insert(bars.begin() + std::ptrdiff_t(at), bar);
    countIn(bar, +1);
}

size_t TimelineIndex::firstReaching(int lane, qint64 t) const
{
    const TimelineLane &bars = m_lanes[size_t(lane)];
    auto it = std::upper_bound(bars.begin(), bars.end(), t,
                               [](qint64 v, const TimelineBar &b) { return v < b.startNs; });
    return it == bars.begin() ? 0 : size_t(it - bars.begin()) - 1;
}

const TimelineBar *TimelineIndex::bar(int job) const
{
    if (job < 0 || size_t(job) >= m_places.size() || m_places[size_t(job)].lane < 0)
        return nullptr;
    const Place &place = m_places[size_t(job)];
    const TimelineLane &bars = m_lanes[size_t(place.lane)];
    const size_t at = find(place, job);
    return at < bars.size() && bars[at].job == job ? &bars[at] : nullptr;
}

int TimelineIndex::laneOf(int job) const
{
    return job >= 0 && size_t(job) < m_places.size() ? m_places[size_t(job)].lane : -1;
}

qint64 TimelineIndex::endNs(const TimelineBar &bar) const
{
    if (bar.outcome != JobTableModel::Working)
        return bar.endNs;
    return bar.startNs + std::max<qint64>(0, m_jobs->runtimeNs(bar.job));
}

TimelineIndex::Span TimelineIndex::span(int batchId) const
{
    if (batchId > 0)
        return size_t(batchId) <= m_batches.size() ? m_batches[size_t(batchId - 1)] : Span();
    Span all;
    for (const Span &s : m_batches) {
        if (s.isEmpty())
            continue;
        all.firstStartNs =
            all.isEmpty() ? s.firstStartNs : std::min(all.firstStartNs, s.firstStartNs);
        all.lastEndNs = std::max(all.lastEndNs, s.lastEndNs);
        all.highestSlot = std::max(all.highestSlot, s.highestSlot);
        all.bars += s.bars;
        all.running += s.running;
    }
    return all;
}

} // namespace procdeck
