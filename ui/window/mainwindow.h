#pragma once

#include <QMainWindow>

#include "app/core/jobspec.h"

#include <QHash>
#include <QPointer>

#include <deque>
#include <memory>
#include <vector>

class QAction;
class QComboBox;
class QLabel;
class QMenu;
class QSplitter;
class QTabWidget;
class QTableView;

namespace procdeck {

class EmptyStateHint;
class ExportDialog;
class HistoryBrowser;
class HistoryView;
class HistoryWriter;
class StoredJobs;
class JobFilterBar;
class JobFilterProxy;
class JobTableModel;
class LaunchPanel;
class Notifier;
class OutputPane;
class Scheduler;
class SummaryBar;
class TimelineView;

// The main window: launch panel on the left, the filter row and the job
// table with the selected job's output below it, the batch summary and
// progress in the status bar (and in the title while jobs run). It is
// handed the Scheduler; closing it stops every job it started and waits
// (without blocking) for them to end. It remembers its layout and the
// launch panel's last batch in QSettings (restored when made, saved on
// close), and tells the desktop when a batch ends while it is not active.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(Scheduler *scheduler, QWidget *parent = nullptr);
    ~MainWindow() override;

    LaunchPanel *launchPanel() const { return m_launch; }
    QTableView *jobTable() const { return m_table; }
    // The table header's menu (right click): a checkable entry per column.
    QMenu *columnMenu();
    TimelineView *timeline() const { return m_timeline; }
    QTabWidget *jobViews() const { return m_jobViews; }
    OutputPane *outputPane() const { return m_output; }
    JobTableModel *model() const { return m_model; }
    JobFilterProxy *proxy() const { return m_proxy; }
    SummaryBar *summary() const { return m_summary; }
    JobFilterBar *filterBar() const { return m_filterBar; }
    EmptyStateHint *emptyStateHint() const { return m_emptyHint; }
    QSplitter *mainSplitter() const { return m_mainSplitter; }
    QSplitter *outputSplitter() const { return m_outputSplitter; }

    // Where "batch finished" notifications go (null: nowhere, the default;
    // main() gives it Notifier::forDesktop()).
    void setNotifier(std::unique_ptr<Notifier> notifier);
    Notifier *notifier() const { return m_notifier.get(); }

    // History: the database the History tab reads (empty: history is off,
    // and `why` says so in the tab), and the writer recording this
    // session's batches into it (null: not recording), whose commits
    // refresh the list and whose failure the tab shows.
    void setHistory(const QString &path, HistoryWriter *writer, const QString &why = {});
    HistoryView *historyView() const { return m_historyView; }
    HistoryBrowser *historyBrowser() const { return m_browser.get(); }
    // The past batch the table shows now; null while it shows the live
    // session.
    const StoredJobs *storedBatch() const { return m_stored.get(); }
    QWidget *storedBanner() const { return m_storedBanner; }

public slots:
    // Submits the launch panel's batch; returns its id, or 0 on bad input.
    int runBatch();
    void stopSelected();
    void stopAll();
    void rerunSelected();
    void showBatch(int batchId);
    // Fills the launch panel from a batch file; never runs it. Returns false
    // (and shows why in the panel) on a bad or unreadable file.
    bool openBatchFile(const QString &path);
    bool saveBatchFile(const QString &path);
    // File > Export...: opens the export dialog (non-blocking).
    ExportDialog *openExportDialog();
    // Shows a past batch in the table, the timeline and the output pane
    // (loaded off the GUI thread; storedBatch() once it is there).
    void openHistoryBatch(qint64 batchId);
    // Runs a past batch again (failedOnly: the jobs that failed or were
    // interrupted) as a new batch, and shows it.
    void rerunHistoryBatch(qint64 batchId, bool failedOnly);
    // Back to the live session from a past batch.
    void showLive();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    // The job the output pane shows and the timeline outlines; -1: none.
    void showJob(int job);
    void createActions();
    void createFileMenu(QMenu *file);
    void addBatchToFilter(int batchId);
    QList<int> selectedJobs() const;
    void updateActions();
    void onBatchFinished(int batchId);
    void saveSettings() const;
    void restoreSettings();
    void createHistoryBanner();
    void showStored(std::shared_ptr<StoredJobs> jobs);
    void onHistoryBatchOpened(int ticket, const std::shared_ptr<StoredJobs> &jobs);
    void loadStoredOutput(int job);
    int submitRerun(const StoredJobs &jobs, std::vector<JobSpec> specs);
    void exportStored(ExportDialog *dialog, qint64 batchId);
    void dropPendingShows();
    void removeHistoryEntry(); // from the "Show:" chooser

    Scheduler *m_scheduler;
    JobTableModel *m_model;
    JobFilterProxy *m_proxy;
    LaunchPanel *m_launch;
    QTableView *m_table;
    TimelineView *m_timeline;
    QTabWidget *m_jobViews; // the table (with its filter row), or the timeline
    OutputPane *m_output;
    SummaryBar *m_summary;
    QComboBox *m_batchFilter;
    JobFilterBar *m_filterBar = nullptr;
    EmptyStateHint *m_emptyHint = nullptr;
    QSplitter *m_mainSplitter = nullptr;
    QSplitter *m_outputSplitter = nullptr;
    std::unique_ptr<Notifier> m_notifier;
    QAction *m_runAction = nullptr;
    QAction *m_stopAction = nullptr;
    QAction *m_stopAllAction = nullptr;
    QAction *m_rerunAction = nullptr;
    QAction *m_copyAction = nullptr;
    QAction *m_exportAction = nullptr;
    bool m_closing = false;

    // History.
    std::unique_ptr<HistoryBrowser> m_browser;
    HistoryView *m_historyView = nullptr;
    std::shared_ptr<StoredJobs> m_stored; // the past batch shown, if any
    QWidget *m_storedBanner = nullptr;
    QLabel *m_storedText = nullptr;
    QAction *m_backToLiveAction = nullptr;
    // What to do with the batch a ticket opens.
    enum class OnOpen { Show, Rerun, RerunFailed, Export };
    QHash<int, std::pair<qint64, OnOpen>> m_opening;
    QHash<int, int> m_outputLoads; // ticket -> job index of m_stored
    // The past batch's jobs whose output is loaded, oldest first: a few
    // are kept (going back and forth between jobs is instant), the rest
    // let go, so clicking through a large batch does not fill memory.
    std::deque<int> m_loadedOutputs;
    static constexpr size_t kLoadedOutputs = 16;
    QHash<int, QPointer<ExportDialog>> m_exports; // ticket -> its dialog
};

} // namespace procdeck
