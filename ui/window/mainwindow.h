#pragma once

#include <QMainWindow>

#include <memory>

class QAction;
class QComboBox;
class QMenu;
class QSplitter;
class QTabWidget;
class QTableView;

namespace procdeck {

class EmptyStateHint;
class ExportDialog;
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
};

} // namespace procdeck
