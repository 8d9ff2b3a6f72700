#pragma once

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace procdeck {

class HistoryBrowser;
class HistoryListModel;

// The window's History tab: past batches, newest first, with their counts
// and wall time, searchable by command. It lists and clears through the
// HistoryBrowser (off the GUI thread); opening, rerunning and exporting a
// batch it asks of the window, which shows the batch in its job table.
class HistoryView : public QWidget
{
    Q_OBJECT
public:
    explicit HistoryView(QWidget *parent = nullptr);

    // Null: history is off, and `why` says so.
    void setBrowser(HistoryBrowser *browser, const QString &why = {});
    // Recording stopped (the writer failed): browsing may still work.
    void setRecordingError(const QString &message);

    HistoryListModel *model() const { return m_model; }
    QTableView *list() const { return m_list; }
    QLineEdit *searchField() const { return m_search; }
    QLabel *statusLabel() const { return m_status; }
    QPushButton *clearButton() const { return m_clear; }
    // The selected batch's id; 0: none.
    qint64 selectedBatch() const;
    void selectBatch(qint64 batchId);
    // A refresh is on its way or its answer not yet shown (tests wait on it).
    bool isRefreshing() const { return m_listTicket != 0; }

public slots:
    // Lists again now (the search as it stands).
    void refresh();
    // Lists again soon: at most twice a second however often it is asked,
    // and only while the tab shows (once more when it shows again).
    void scheduleRefresh();
    void confirmClear();
    void focusList();

signals:
    void openRequested(qint64 batchId);
    void rerunRequested(qint64 batchId, bool failedOnly);
    void exportRequested(qint64 batchId);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void updateButtons();
    void showStatus(const QString &text, bool error);

    QPointer<HistoryBrowser> m_browser;
    HistoryListModel *m_model;
    QLineEdit *m_search;
    QTableView *m_list;
    QPushButton *m_open;
    QPushButton *m_rerun;
    QPushButton *m_rerunFailed;
    QPushButton *m_export;
    QPushButton *m_clear;
    QLabel *m_status;
    QLabel *m_recording;
    QTimer m_throttle;
    QTimer m_searchDelay;
    int m_listTicket = 0;
    QString m_listedSearch; // what m_listTicket asked for
    QString m_note;         // said instead of the count when the list comes
    int m_clearTicket = 0;
    bool m_again = false; // asked again while a list was on its way
    bool m_stale = false; // asked while hidden
};

} // namespace procdeck
