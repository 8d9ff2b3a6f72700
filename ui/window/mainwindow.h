#pragma once

#include <QMainWindow>

class QAction;
class QComboBox;
class QMenu;
class QTableView;

namespace procdeck {

class ExportDialog;
class JobFilterProxy;
class JobTableModel;
class LaunchPanel;
class OutputPane;
class Scheduler;
class SummaryBar;

// The main window: launch panel on the left, the job table with the
// selected job's output below it, the batch summary in the status bar.
// It is handed the Scheduler; closing it stops every job it started and
// waits (without blocking) for them to end.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(Scheduler *scheduler, QWidget *parent = nullptr);

    LaunchPanel *launchPanel() const { return m_launch; }
    QTableView *jobTable() const { return m_table; }
    OutputPane *outputPane() const { return m_output; }
    JobTableModel *model() const { return m_model; }
    JobFilterProxy *proxy() const { return m_proxy; }
    SummaryBar *summary() const { return m_summary; }

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
    void createActions();
    void createFileMenu(QMenu *file);
    void addBatchToFilter(int batchId);
    QList<int> selectedJobs() const;
    void updateActions();

    Scheduler *m_scheduler;
    JobTableModel *m_model;
    JobFilterProxy *m_proxy;
    LaunchPanel *m_launch;
    QTableView *m_table;
    OutputPane *m_output;
    SummaryBar *m_summary;
    QComboBox *m_batchFilter;
    QAction *m_runAction = nullptr;
    QAction *m_stopAction = nullptr;
    QAction *m_stopAllAction = nullptr;
    QAction *m_rerunAction = nullptr;
    QAction *m_copyAction = nullptr;
    bool m_closing = false;
};

} // namespace procdeck
