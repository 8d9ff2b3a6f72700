#pragma once

#include "app/core/jobspec.h"

#include <QObject>
#include <QString>

#include <vector>

namespace procdeck {

// Where a batch's jobs come from while they are still being made: procdeck
// run's stdin, the window's argument file. The Scheduler takes jobs as it
// needs them (see Scheduler::setLookahead), so a slow producer's first line
// runs before its last one arrives, and input that is not asked for yet is
// not read, let alone held as jobs.
class JobSource : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // The next job, when one is ready now. seq: its number in the batch;
    // 0 for the next one. A source that says no while not atEnd() sends
    // ready() when it has more (or has ended): the scheduler waits for it.
    virtual bool take(JobSpec *spec, int *seq) = 0;
    // No more jobs will come: the input ended, or failed (error()).
    virtual bool atEnd() const = 0;
    // Why the input ended early; empty when it just ended.
    virtual QString error() const { return {}; }

signals:
    // Jobs are ready to take, or the end came.
    void ready();
};

// A source whose jobs are all known: Scheduler::submit() with a list.
class ListJobSource : public JobSource
{
public:
    ListJobSource(std::vector<JobSpec> specs, std::vector<int> seqs)
        : m_specs(std::move(specs))
        , m_seqs(std::move(seqs))
    {}
    bool take(JobSpec *spec, int *seq) override
    {
        if (m_next >= m_specs.size())
            return false;
        *spec = std::move(m_specs[m_next]);
        *seq = m_seqs.size() == m_specs.size() ? m_seqs[m_next] : 0;
        ++m_next;
        if (m_next == m_specs.size())
            m_specs = {}; // done: the memory goes now
        return true;
    }
    bool atEnd() const override { return m_next >= m_specs.size(); }

private:
    std::vector<JobSpec> m_specs;
    std::vector<int> m_seqs;
    size_t m_next = 0;
};

} // namespace procdeck
