#pragma once

#include <QAbstractTableModel>
#include <QTimer>

#include <vector>

namespace procdeck {

class JobQuery;

// One row per job, read through JobQuery and fed by its signals. Changes are collected and
// sent on a short timer as merged, contiguous dataChanged ranges with the
// roles named, so a flood of events costs the views one repaint per tick.
// Running rows are refreshed every tick so their elapsed time moves.
class JobTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Number,
        Batch,
        Command,
        Status,
        ExitCode,
        Started,
        Runtime,
        CpuPercent, // now while it runs; the average over its run once it ended
        Memory,     // resident memory now, while it runs
        PeakMemory, // the largest sampled
        CpuTime,    // user + system, with the children it waited for
        Output,
        Pid,
        ColumnCount
    };
    enum Role {
        RawValueRole = Qt::UserRole + 1, // the unformatted value, for sorting
        OutcomeClassRole,                // an OutcomeClass, for colors
        BatchIdRole,
        JobIndexRole,
        TimedOutRole, // bool: it was stopped by its timeout (an OutcomeClass Failed)
    };
    enum OutcomeClass { Waiting, Working, Succeeded, Failed, Canceled };
    Q_ENUM(OutcomeClass)

    explicit JobTableModel(const JobQuery *jobs, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // How often collected changes are sent (ms).
    void setUpdateInterval(int ms) { m_flushTimer.setInterval(ms); }
    int updateInterval() const { return m_flushTimer.interval(); }
    // Stop sending updates while nothing shows the model; resuming sends one
    // update covering everything that changed meanwhile.
    void setPaused(bool paused);

    // What the rows show, for the filter proxy: it reads commands and
    // output straight from here rather than through QVariants.
    const JobQuery *jobs() const { return m_jobs; }
    // Shows other jobs (a past batch from history, or the live session
    // again): the rows are reset, and only `jobs`' signals are heard.
    void setJobs(const JobQuery *jobs);

    // The status text of a job, as shown in the Status column.
    QString statusText(int row) const;
    // What OutcomeClassRole gives, for views that read the jobs directly.
    static OutcomeClass outcomeClass(const JobQuery &jobs, int index);

public slots:
    // Sends the collected changes now.
    void flush();

    // Status, exit code, started, runtime, the resource columns and PID
    // sort as numbers.
    static bool isNumericColumn(int column);
    // The number a numeric column sorts by; false when the cell is empty
    // (not started, no exit code yet). What RawValueRole gives, without a
    // QVariant: the proxy's sort compares millions of them.
    bool numericKey(int row, int column, qint64 *key) const;

private:
    void listenTo(const JobQuery *jobs);
    void markDirty(int row);
    QVariant displayValue(int row, int column) const;
    QVariant rawValue(int row, int column) const;

    const JobQuery *m_jobs;
    int m_rows = 0;
    std::vector<int> m_dirty;
    QTimer m_flushTimer;
    bool m_paused = false;
};

} // namespace procdeck
