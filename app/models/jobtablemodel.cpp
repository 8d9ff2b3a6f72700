#include "app/models/jobtablemodel.h"

#include "app/core/rawtext.h"
#include "app/engine/jobquery.h"
#include "app/output/outputlog.h"
#include "app/output/sgrparser.h"

#include <QDateTime>

#include <algorithm>

namespace procdeck {

JobTableModel::JobTableModel(const JobQuery *jobs, QObject *parent)
    : QAbstractTableModel(parent)
    , m_jobs(jobs)
{
    m_rows = jobs->jobCount();
    m_flushTimer.setInterval(80);
    connect(&m_flushTimer, &QTimer::timeout, this, &JobTableModel::flush);
    listenTo(jobs);
}

void JobTableModel::setJobs(const JobQuery *jobs)
{
    if (jobs == m_jobs)
        return;
    beginResetModel();
    disconnect(m_jobs, nullptr, this, nullptr);
    m_jobs = jobs;
    m_rows = jobs->jobCount();
    m_dirty.clear();
    listenTo(jobs);
    endResetModel();
    flush(); // restarts the tick if the live session has jobs running
}

void JobTableModel::listenTo(const JobQuery *jobs)
{
    connect(jobs, &JobQuery::jobsAdded, this, [this](int first, int last) {
        // Rows appear at once; only changes to existing rows are batched.
        beginInsertRows({}, first, last);
        m_rows = last + 1;
        endInsertRows();
    });
    connect(jobs, &JobQuery::jobChanged, this, &JobTableModel::markDirty);
    connect(jobs, &JobQuery::jobOutput, this, &JobTableModel::markDirty);
}

int JobTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int JobTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

void JobTableModel::setPaused(bool paused)
{
    m_paused = paused;
    if (!paused)
        flush();
}

void JobTableModel::markDirty(int row)
{
    m_dirty.push_back(row);
    if (!m_flushTimer.isActive() && !m_paused)
        m_flushTimer.start();
}

void JobTableModel::flush()
{
    if (m_paused)
        return;
    // Running rows change every tick (elapsed time), even without events.
    const QList<int> running = m_jobs->runningJobs();
    m_dirty.insert(m_dirty.end(), running.begin(), running.end());
    if (m_dirty.empty()) {
        m_flushTimer.stop();
        return;
    }
    std::sort(m_dirty.begin(), m_dirty.end());
    m_dirty.erase(std::unique(m_dirty.begin(), m_dirty.end()), m_dirty.end());

    static const QList<int> roles{Qt::DisplayRole, Qt::ToolTipRole, RawValueRole, OutcomeClassRole};
    size_t i = 0;
    while (i < m_dirty.size()) {
        size_t j = i;
        while (j + 1 < m_dirty.size() && m_dirty[j + 1] == m_dirty[j] + 1)
            ++j;
        emit dataChanged(index(m_dirty[i], 0), index(m_dirty[j], ColumnCount - 1), roles);
        i = j + 1;
    }
    m_dirty.clear();
    if (running.isEmpty())
        m_flushTimer.stop();
    else if (!m_flushTimer.isActive())
        m_flushTimer.start(); // resumed after a pause with jobs still running
}

JobTableModel::OutcomeClass JobTableModel::outcomeClass(const JobQuery &jobs, int index)
{
    switch (jobs.state(index)) {
    case JobState::Queued:
        return Waiting;
    case JobState::Running:
        return Working;
    case JobState::Finished:
        break;
    }
    if (jobs.result(index).outcome == Outcome::Canceled)
        return Canceled;
    return jobs.result(index).succeeded() ? Succeeded : Failed;
}

QString JobTableModel::statusText(int row) const
{
    const int attempt = m_jobs->attempt(row);
    const int attempts = m_jobs->batch(m_jobs->batchId(row)).options.attempts;
    // With retries the row says which attempt this is.
    const QString attemptText =
        attempts > 1 && attempt > 0
            ? QStringLiteral(" (attempt %1 of %2)").arg(attempt).arg(attempts)
            : QString();
    switch (m_jobs->state(row)) {
    case JobState::Queued:
        return attempt > 0 ? QStringLiteral("Queued to retry") + attemptText
                           : QStringLiteral("Queued");
    case JobState::Running:
        return QStringLiteral("Working... %1 s")
                   .arg(double(m_jobs->runtimeNs(row)) / 1e9, 0, 'f', 1) +
               attemptText;
    case JobState::Finished:
        break;
    }
    return describeOutcome(m_jobs->result(row), m_jobs->spec(row).timeoutMs) + attemptText;
}

QVariant JobTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const int row = index.row();
    switch (role) {
    case Qt::DisplayRole:
        return displayValue(row, index.column());
    case Qt::ToolTipRole:
        if (index.column() == Command)
            return RawText::forDisplay(m_jobs->spec(row).displayCommand());
        if (index.column() == Status)
            return statusText(row);
        return {};
    case RawValueRole:
        return rawValue(row, index.column());
    case OutcomeClassRole:
        return outcomeClass(*m_jobs, row);
    case TimedOutRole:
        return m_jobs->state(row) == JobState::Finished &&
               m_jobs->result(row).outcome == Outcome::TimedOut;
    case BatchIdRole:
        return m_jobs->batchId(row);
    case JobIndexRole:
        return row;
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case Number:
        case Batch:
        case ExitCode:
        case Runtime:
        case CpuPercent:
        case Memory:
        case PeakMemory:
        case CpuTime:
        case Pid:
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
        }
    default:
        return {};
    }
}

QVariant JobTableModel::displayValue(int row, int column) const
{
    const JobResult &result = m_jobs->result(row);
    // Read only where a column needs it: sorting by # compares 100,000
    // rows some 3 million times, and touching each job's record for a
    // value the column does not show cost a cache miss every time.
    auto state = [&] { return m_jobs->state(row); };
    switch (column) {
    case Number:
        return row + 1;
    case Batch:
        return m_jobs->batchId(row);
    case Command:
        // A byte that is no UTF-8 (a Latin-1 file name) shows as U+FFFD.
        return RawText::forDisplay(m_jobs->spec(row).displayCommand());
    case Status:
        return statusText(row);
    case ExitCode:
        if (result.stages.size() > 1 && state() == JobState::Finished) {
            // A pipeline shows every stage's status: "0 | 0 | 1".
            QStringList codes;
            for (const StageResult &stage : result.stages)
                codes << (stage.signal ? signalName(stage.signal)
                                       : QString::number(stage.exitCode));
            return codes.join(QStringLiteral(" | "));
        }
        if (state() != JobState::Finished)
            return {};
        if (result.outcome == Outcome::Exited)
            return result.exitCode;
        if (result.signal != 0)
            return signalName(result.signal);
        return {};
    case Started:
        if (result.startedAtMs == 0)
            return {};
        return QDateTime::fromMSecsSinceEpoch(result.startedAtMs)
            .toString(QStringLiteral("HH:mm:ss.zzz"));
    case Runtime:
        if (state() == JobState::Queued || result.outcome == Outcome::Canceled)
            return {};
        return formatSeconds(m_jobs->runtimeNs(row)) + QStringLiteral(" s");
    case CpuPercent: {
        qint64 percentTimes10 = 0;
        if (!numericKey(row, column, &percentTimes10))
            return {};
        return QStringLiteral("%1%").arg(double(percentTimes10) / 10, 0, 'f',
                                         percentTimes10 < 100 ? 1 : 0);
    }
    case Memory:
    case PeakMemory: {
        qint64 bytes = 0;
        return numericKey(row, column, &bytes) ? QVariant(formatBytes(bytes)) : QVariant();
    }
    case CpuTime:
        if (result.cpuNs < 0 || state() == JobState::Queued)
            return {};
        return formatSeconds(result.cpuNs) + QStringLiteral(" s");
    case Output:
        return SgrParser::strip(m_jobs->lastLine(row)); // no escape codes in a cell
    case Pid:
        if (result.stages.size() > 1) {
            QStringList pids;
            for (const StageResult &stage : result.stages)
                pids << QString::number(stage.pid);
            return pids.join(QStringLiteral(" | "));
        }
        return result.pid > 0 ? QVariant(result.pid) : QVariant();
    }
    return {};
}

bool JobTableModel::isNumericColumn(int column)
{
    return column == Status || column == ExitCode || column == Started || column == Runtime ||
           column == CpuPercent || column == Memory || column == PeakMemory || column == CpuTime ||
           column == Pid;
}

bool JobTableModel::numericKey(int row, int column, qint64 *key) const
{
    const JobResult &result = m_jobs->result(row);
    auto state = [&] { return m_jobs->state(row); };
    switch (column) {
    case Status:
        *key = int(state()) * 16 + int(result.outcome);
        return true;
    case ExitCode:
        if (state() != JobState::Finished)
            return false;
        if (result.outcome == Outcome::Exited)
            *key = result.exitCode;
        else if (result.signal != 0)
            *key = 1000 + result.signal;
        else
            return false;
        return true;
    case Started:
        *key = result.startedAtMs;
        return result.startedAtMs != 0;
    case Runtime:
        *key = state() == JobState::Queued ? 0 : m_jobs->runtimeNs(row);
        return state() != JobState::Queued;
    case CpuPercent: // tenths of a percent
        if (state() == JobState::Running) {
            const float live = m_jobs->liveUsage(row).cpuPercent;
            *key = qRound64(double(live) * 10);
            return live >= 0;
        }
        if (state() == JobState::Queued || result.cpuNs < 0 || result.runtimeNs <= 0)
            return false;
        *key = qRound64(1000.0 * double(result.cpuNs) / double(result.runtimeNs));
        return true;
    case Memory:
        *key = state() == JobState::Running ? m_jobs->liveUsage(row).rssBytes : -1;
        return *key >= 0;
    case PeakMemory:
        *key = result.peakRssBytes;
        return *key >= 0 && state() != JobState::Queued;
    case CpuTime:
        *key = result.cpuNs;
        return *key >= 0 && state() != JobState::Queued;
    case Pid:
        *key = result.pid;
        return result.pid > 0;
    default:
        return false;
    }
}

QVariant JobTableModel::rawValue(int row, int column) const
{
    if (isNumericColumn(column)) {
        qint64 key = 0;
        return numericKey(row, column, &key) ? QVariant(key) : QVariant();
    }
    // Number, batch, command and output sort by what they show.
    return displayValue(row, column);
}

QVariant JobTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole) {
        switch (section) {
        case CpuPercent:
            return QStringLiteral("CPU use of the job's whole process group: now, while it "
                                  "runs (100% is one core); the average over its run once it "
                                  "ended");
        case Memory:
            return QStringLiteral("Resident memory of the job's whole process group now, "
                                  "sampled about once a second while it runs");
        case PeakMemory:
            return QStringLiteral("The largest resident memory among the samples (a job "
                                  "shorter than a second may have none)");
        case CpuTime:
            return QStringLiteral("User and system CPU time of the job's processes and the "
                                  "children they waited for");
        default:
            return {};
        }
    }
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Number:
        return QStringLiteral("#");
    case Batch:
        return QStringLiteral("Batch");
    case Command:
        return QStringLiteral("Command");
    case Status:
        return QStringLiteral("Status");
    case ExitCode:
        return QStringLiteral("Exit code");
    case Started:
        return QStringLiteral("Started");
    case Runtime:
        return QStringLiteral("Runtime");
    case CpuPercent:
        return QStringLiteral("CPU");
    case Memory:
        return QStringLiteral("RSS");
    case PeakMemory:
        return QStringLiteral("Peak RSS");
    case CpuTime:
        return QStringLiteral("CPU time");
    case Output:
        return QStringLiteral("Output");
    case Pid:
        return QStringLiteral("PID");
    }
    return {};
}

} // namespace procdeck
