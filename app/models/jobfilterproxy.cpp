#include "app/models/jobfilterproxy.h"

#include "app/engine/jobquery.h"
#include "app/models/jobtablemodel.h"
#include "app/output/outputlog.h"

namespace procdeck {

namespace {

// Whether the display tail holds the needle, also across the seams between
// its segments. Only the bounded decoded tail is read: never the spilled
// raw output, which may be gigabytes on disk.
bool tailContains(const OutputLog &log, QStringView needle)
{
    bool found = false;
    QString seam; // the end of the text before this segment
    const qsizetype keep = needle.size() - 1;
    log.forEachSegment(log.displayStart(), [&](Stream, QStringView text) {
        if (found)
            return;
        if (!seam.isEmpty()) {
            const QString joined = seam + text.left(keep).toString();
            if (joined.contains(needle, Qt::CaseInsensitive)) {
                found = true;
                return;
            }
        }
        if (text.contains(needle, Qt::CaseInsensitive)) {
            found = true;
            return;
        }
        // What the next segment may complete: at most needle-1 chars.
        if (text.size() >= keep)
            seam = text.right(keep).toString();
        else
            seam = (seam + text.toString()).right(keep);
    });
    return found;
}

} // namespace

JobFilterProxy::JobFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(JobTableModel::RawValueRole);
    // A row whose data changes is filtered again: a job that fails while
    // "Failed" is shown appears, one whose output gains the text too.
    setDynamicSortFilter(true);
    // Other jobs behind the same rows (a past batch opened, or the live
    // ones again): what was scanned was another job's output.
    connect(this, &QAbstractItemModel::modelAboutToBeReset, this,
            &JobFilterProxy::forgetOutputMatches);
}

void JobFilterProxy::forgetOutputMatches()
{
    m_outputMatches.clear();
    m_outputMatches.shrink_to_fit();
}

void JobFilterProxy::setBatchFilter(int batchId)
{
    if (batchId == m_batchId)
        return;
    m_batchId = batchId;
    invalidateFilter();
}

void JobFilterProxy::setStatusFilter(StatusFilter status)
{
    if (status == m_status)
        return;
    m_status = status;
    invalidateFilter();
}

void JobFilterProxy::setTextFilter(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    forgetOutputMatches();
    invalidateFilter();
}

bool JobFilterProxy::isFiltering() const
{
    return m_batchId != 0 || m_status != StatusFilter::All || !m_text.isEmpty();
}

bool JobFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    // Cheapest first: with 100,000 rows every keystroke runs this for each.
    if (m_batchId == 0 && m_status == StatusFilter::All && m_text.isEmpty())
        return true;
    const QModelIndex idx = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_batchId != 0 && idx.data(JobTableModel::BatchIdRole).toInt() != m_batchId)
        return false;
    if (m_status != StatusFilter::All && !statusAccepts(idx))
        return false;
    return m_text.isEmpty() || textAccepts(sourceRow);
}

bool JobFilterProxy::statusAccepts(const QModelIndex &row) const
{
    const auto outcome =
        JobTableModel::OutcomeClass(row.data(JobTableModel::OutcomeClassRole).toInt());
    switch (m_status) {
    case StatusFilter::All:
        return true;
    case StatusFilter::Running:
        return outcome == JobTableModel::Working;
    case StatusFilter::Failed:
        return outcome == JobTableModel::Failed;
    case StatusFilter::Succeeded:
        return outcome == JobTableModel::Succeeded;
    case StatusFilter::Canceled:
        return outcome == JobTableModel::Canceled;
    case StatusFilter::TimedOut:
        return row.data(JobTableModel::TimedOutRole).toBool();
    }
    return true;
}

bool JobFilterProxy::textAccepts(int sourceRow) const
{
    // The window's only source; the jobs are read directly, not as QVariants.
    const auto *model = qobject_cast<const JobTableModel *>(sourceModel());
    if (!model)
        return false;
    const JobQuery &jobs = *model->jobs();
    if (jobs.spec(sourceRow).displayCommand().contains(m_text, Qt::CaseInsensitive))
        return true;
    const OutputLog *log = jobs.output(sourceRow);
    if (!log) // a past batch's job whose output is not loaded: its last line
        return jobs.lastLine(sourceRow).contains(m_text, Qt::CaseInsensitive);
    if (m_outputMatches.size() <= size_t(sourceRow))
        m_outputMatches.resize(size_t(jobs.jobCount()));
    OutputMatch &seen = m_outputMatches[size_t(sourceRow)];
    const int attempt = jobs.attempt(sourceRow);
    const qint64 bytes = log->byteCount(Stream::Stdout) + log->byteCount(Stream::Stderr);
    if (seen.attempt != attempt || seen.bytes != bytes)
        seen = OutputMatch{attempt, bytes, tailContains(*log, m_text)};
    return seen.matched;
}

bool JobFilterProxy::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    // Numeric columns compare straight from the job records: sorting
    // 100,000 rows makes some 3 million comparisons, and two QVariants
    // each were most of the time. Empty cells go last, as
    // QSortFilterProxyModel puts invalid values.
    const auto *model = qobject_cast<const JobTableModel *>(sourceModel());
    // A job's number is its row; the default sort re-sorts every row a
    // filter lets back in.
    if (model && left.column() == JobTableModel::Number)
        return left.row() < right.row();
    if (!model || !JobTableModel::isNumericColumn(left.column()))
        return QSortFilterProxyModel::lessThan(left, right);
    qint64 a = 0;
    qint64 b = 0;
    if (!model->numericKey(left.row(), left.column(), &a))
        return false;
    if (!model->numericKey(right.row(), right.column(), &b))
        return true;
    return a < b;
}

} // namespace procdeck
