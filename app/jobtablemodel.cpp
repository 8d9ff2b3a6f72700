#include "jobtablemodel.h"

#include "jobrunner.h"
#include "scheduler.h"

#include <QDateTime>

#include <algorithm>

namespace procdeck {

JobTableModel::JobTableModel(Scheduler *scheduler, QObject *parent)
    : QAbstractTableModel(parent)
    , m_scheduler(scheduler)
{
    m_rows = scheduler->store().jobCount();
    m_flushTimer.setInterval(80);
    connect(&m_flushTimer, &QTimer::timeout, this, &JobTableModel::flush);

    connect(scheduler, &Scheduler::jobsAdded, this, [this](int first, int last) {
        // Rows appear at once; only changes to existing rows are batched.
        beginInsertRows({}, first, last);
        m_rows = last + 1;
        endInsertRows();
    });
    connect(scheduler, &Scheduler::jobChanged, this, &JobTableModel::markDirty);
    connect(scheduler, &Scheduler::jobOutput, this, &JobTableModel::markDirty);
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
    const QList<int> running = m_scheduler->runningJobs();
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

QString JobTableModel::statusText(int row) const
{
    const JobRecord &job = m_scheduler->store().job(row);
    const int attempts = m_scheduler->store().batch(job.batchId).options.attempts;
    // With retries the row says which attempt this is.
    const QString attempt =
        attempts > 1 && job.attempts > 0
            ? QStringLiteral(" (attempt %1 of %2)").arg(job.attempts).arg(attempts)
            : QString();
    switch (job.state) {
    case JobState::Queued:
        return job.attempts > 0 ? QStringLiteral("Queued to retry") + attempt
                                : QStringLiteral("Queued");
    case JobState::Running:
        return QStringLiteral("Working... %1 s")
                   .arg(double(m_scheduler->runtimeNs(row)) / 1e9, 0, 'f', 1) +
               attempt;
    case JobState::Finished:
        break;
    }
    return describeOutcome(job.result, job.spec.timeoutMs) + attempt;
}

QVariant JobTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const int row = index.row();
    const JobRecord &job = m_scheduler->store().job(row);
    switch (role) {
    case Qt::DisplayRole:
        return displayValue(job, row, index.column());
    case Qt::ToolTipRole:
        if (index.column() == Command)
            return job.spec.displayCommand();
        if (index.column() == Status)
            return statusText(row);
        return {};
    case RawValueRole:
        return rawValue(job, row, index.column());
    case OutcomeClassRole:
        if (job.state == JobState::Queued)
            return Waiting;
        if (job.state == JobState::Running)
            return Working;
        if (job.result.outcome == Outcome::Canceled)
            return Canceled;
        return job.result.succeeded() ? Succeeded : Failed;
    case BatchIdRole:
        return job.batchId;
    case JobIndexRole:
        return row;
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case Number:
        case Batch:
        case ExitCode:
        case Runtime:
        case Pid:
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
        }
    default:
        return {};
    }
}

QVariant JobTableModel::displayValue(const JobRecord &job, int row, int column) const
{
    switch (column) {
    case Number:
        return row + 1;
    case Batch:
        return job.batchId;
    case Command:
        return job.spec.displayCommand();
    case Status:
        return statusText(row);
    case ExitCode:
        if (job.result.stages.size() > 1 && job.state == JobState::Finished) {
            // A pipeline shows every stage's status: "0 | 0 | 1".
            QStringList codes;
            for (const StageResult &stage : job.result.stages)
                codes << (stage.signal ? signalName(stage.signal)
                                       : QString::number(stage.exitCode));
            return codes.join(QStringLiteral(" | "));
        }
        if (job.state != JobState::Finished)
            return {};
        if (job.result.outcome == Outcome::Exited)
            return job.result.exitCode;
        if (job.result.signal != 0)
            return signalName(job.result.signal);
        return {};
    case Started:
        if (job.result.startedAtMs == 0)
            return {};
        return QDateTime::fromMSecsSinceEpoch(job.result.startedAtMs)
            .toString(QStringLiteral("HH:mm:ss.zzz"));
    case Runtime:
        if (job.state == JobState::Queued || job.result.outcome == Outcome::Canceled)
            return {};
        return formatSeconds(m_scheduler->runtimeNs(row)) + QStringLiteral(" s");
    case Output:
        return job.output ? job.output->lastLine() : QString();
    case Pid:
        if (job.result.stages.size() > 1) {
            QStringList pids;
            for (const StageResult &stage : job.result.stages)
                pids << QString::number(stage.pid);
            return pids.join(QStringLiteral(" | "));
        }
        return job.result.pid > 0 ? QVariant(job.result.pid) : QVariant();
    }
    return {};
}

bool JobTableModel::isNumericColumn(int column)
{
    return column == Status || column == ExitCode || column == Started || column == Runtime ||
           column == Pid;
}

bool JobTableModel::numericKey(int row, int column, qint64 *key) const
{
    const JobRecord &job = m_scheduler->store().job(row);
    switch (column) {
    case Status:
        *key = int(job.state) * 16 + int(job.result.outcome);
        return true;
    case ExitCode:
        if (job.state != JobState::Finished)
            return false;
        if (job.result.outcome == Outcome::Exited)
            *key = job.result.exitCode;
        else if (job.result.signal != 0)
            *key = 1000 + job.result.signal;
        else
            return false;
        return true;
    case Started:
        *key = job.result.startedAtMs;
        return job.result.startedAtMs != 0;
    case Runtime:
        *key = job.state == JobState::Queued ? 0 : m_scheduler->runtimeNs(row);
        return job.state != JobState::Queued;
    case Pid:
        *key = job.result.pid;
        return job.result.pid > 0;
    default:
        return false;
    }
}

QVariant JobTableModel::rawValue(const JobRecord &job, int row, int column) const
{
    if (isNumericColumn(column)) {
        qint64 key = 0;
        return numericKey(row, column, &key) ? QVariant(key) : QVariant();
    }
    // Number, batch, command and output sort by what they show.
    return displayValue(job, row, column);
}

QVariant JobTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
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
    case Output:
        return QStringLiteral("Output");
    case Pid:
        return QStringLiteral("PID");
    }
    return {};
}

} // namespace procdeck
