#pragma once

#include <QSortFilterProxyModel>

#include <vector>

namespace procdeck {

// Sorts the job table by raw values (numbers and times, not their text) and
// filters it: one batch or all, one kind of status or all, and a text that
// must appear in the command or the output (case-insensitive). Rows whose
// status or output changes are filtered again as they change. Owned by the
// main window, above JobTableModel.
class JobFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    enum class StatusFilter { All, Running, Failed, Succeeded, Canceled, TimedOut };
    Q_ENUM(StatusFilter)

    explicit JobFilterProxy(QObject *parent = nullptr);

    // 0 shows every batch.
    void setBatchFilter(int batchId);
    int batchFilter() const { return m_batchId; }
    void setStatusFilter(StatusFilter status);
    StatusFilter statusFilter() const { return m_status; }
    // Applied at once: a caller taking keystrokes should wait for a pause.
    // Empty shows everything.
    void setTextFilter(const QString &text);
    QString textFilter() const { return m_text; }
    // Any filter is set: fewer rows may show than there are jobs.
    bool isFiltering() const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    bool statusAccepts(const QModelIndex &row) const;
    bool textAccepts(int sourceRow) const;
    void forgetOutputMatches();

    // Whether a job's output held the text, for the output it had then:
    // running rows change every tick (their runtime), and scanning up to
    // 256 Ki characters of each one again each time would stall the window.
    // A row is scanned again only when its output has grown or it is a new
    // attempt. Indexed by source row; emptied with the text and on a reset.
    struct OutputMatch
    {
        int attempt = -1; // -1: not scanned
        qint64 bytes = 0;
        bool matched = false;
    };
    mutable std::vector<OutputMatch> m_outputMatches;

    int m_batchId = 0;
    StatusFilter m_status = StatusFilter::All;
    QString m_text;
};

} // namespace procdeck
