#include "ui/window/mainwindow.h"

#include "app/batch/batchfile.h"
#include "app/core/atomicfile.h"
#include "app/core/rawtext.h"
#include "app/engine/batchprogress.h"
#include "app/engine/scheduler.h"
#include "app/engine/streamedjobsource.h"
#include "app/export/jobfields.h"
#include "app/history/historybrowser.h"
#include "app/history/historywriter.h"
#include "app/history/storedjobs.h"
#include "app/models/historylistmodel.h"
#include "app/models/jobfilterproxy.h"
#include "app/models/jobtablemodel.h"
#include "ui/export/exportdialog.h"
#include "ui/history/historyview.h"
#include "ui/launch/launchpanel.h"
#include "ui/output/outputpane.h"
#include "ui/timeline/timelineview.h"
#include "ui/window/emptystatehint.h"
#include "ui/window/jobfilterbar.h"
#include "ui/window/notifier.h"
#include "ui/window/statusdelegate.h"
#include "ui/window/summarybar.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

#include <cerrno>
#include <cstring>

#include <fcntl.h>

namespace procdeck {

namespace {

// The settings keys (QSettings of the application; tests point them elsewhere).
const QString kGeometryKey = QStringLiteral("window/geometry");
const QString kStateKey = QStringLiteral("window/state");
const QString kMainSplitterKey = QStringLiteral("window/mainSplitter");
const QString kOutputSplitterKey = QStringLiteral("window/outputSplitter");
const QString kTableHeaderKey = QStringLiteral("window/tableHeader");
// The launch panel as a batch file's text (see BatchFile), and its parallel
// limit apart: in a batch file 0 means "not given", in the panel "no limit".
const QString kLaunchBatchKey = QStringLiteral("launch/batch");
const QString kLaunchParallelKey = QStringLiteral("launch/parallel");
// Arguments longer than this (a filled range of a million numbers) are not
// remembered: the settings file stays small.
constexpr qsizetype kMaxRememberedArgumentChars = 1 << 20;

// The theme's icon where the desktop has one, ours otherwise.
QIcon actionIcon(const char *themeName, const char *fallback)
{
    return QIcon::fromTheme(QLatin1String(themeName),
                            QIcon(QStringLiteral(":/icons/%1.svg").arg(QLatin1String(fallback))));
}

// "Stop the selected jobs (Del)": a tooltip names the action's shortcut as
// the menus show it.
void setToolTipWithShortcut(QAction *action, const QString &text)
{
    const QKeySequence key = action->shortcut();
    action->setToolTip(key.isEmpty() ? text
                                     : QStringLiteral("%1 (%2)").arg(
                                           text, key.toString(QKeySequence::NativeText)));
}

// A batch's label as the "Show:" chooser and the history banner show it.
QString shortLabel(QString label)
{
    if (label.size() > 40)
        label = label.left(39) + QStringLiteral("…");
    return label;
}

QString jobsText(int count)
{
    return count == 1 ? MainWindow::tr("1 job") : MainWindow::tr("%L1 jobs").arg(count);
}

} // namespace

MainWindow::MainWindow(Scheduler *scheduler, QWidget *parent)
    : QMainWindow(parent)
    , m_scheduler(scheduler)
    , m_model(new JobTableModel(scheduler, this))
    , m_proxy(new JobFilterProxy(this))
    , m_launch(new LaunchPanel(this))
    , m_table(new QTableView(this))
    , m_timeline(new TimelineView(scheduler, this))
    , m_jobViews(new QTabWidget(this))
    , m_output(new OutputPane(scheduler, this))
    , m_summary(new SummaryBar(scheduler, this))
    , m_batchFilter(new QComboBox(this))
{
    setWindowTitle(tr("procdeck"));
    m_proxy->setSourceModel(m_model);
    m_filterBar = new JobFilterBar(m_proxy, this);

    m_table->setObjectName(QStringLiteral("jobTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(JobTableModel::Number, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(JobTableModel::Output, QHeaderView::Stretch);
    m_table->setColumnWidth(JobTableModel::Number, 50);
    m_table->setColumnWidth(JobTableModel::Batch, 50);
    m_table->setColumnWidth(JobTableModel::Command, 190);
    m_table->setColumnWidth(JobTableModel::Status, 135);
    m_table->setColumnWidth(JobTableModel::ExitCode, 65);
    m_table->setColumnWidth(JobTableModel::Started, 95);
    m_table->setColumnWidth(JobTableModel::Runtime, 72);
    m_table->setColumnWidth(JobTableModel::CpuPercent, 52);
    m_table->setColumnWidth(JobTableModel::Memory, 72);
    m_table->setColumnWidth(JobTableModel::PeakMemory, 76);
    m_table->setColumnWidth(JobTableModel::CpuTime, 72);
    m_table->setColumnWidth(JobTableModel::Pid, 65);
    // Thirteen columns do not fit beside the launch panel: the batch (the
    // "Show:" chooser has it), the exit code (the status says it), the
    // start time and the PID wait behind the header's menu.
    for (int column : {int(JobTableModel::Batch), int(JobTableModel::ExitCode),
                       int(JobTableModel::Started), int(JobTableModel::Pid)})
        m_table->setColumnHidden(column, true);
    m_table->horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table->horizontalHeader(), &QWidget::customContextMenuRequested, this,
            [this](const QPoint &at) {
                columnMenu()->popup(m_table->horizontalHeader()->mapToGlobal(at));
            });
    auto *delegate = new StatusDelegate(m_table);
    m_table->setItemDelegateForColumn(JobTableModel::Status, delegate);
    m_table->setItemDelegateForColumn(JobTableModel::ExitCode, delegate);
    m_table->setItemDelegateForColumn(JobTableModel::Command, new CommandDelegate(m_table));

    m_batchFilter->setObjectName(QStringLiteral("batchFilter"));
    m_batchFilter->addItem(tr("All batches"), 0);
    m_batchFilter->setToolTip(tr("Show the jobs of one batch, or of all"));
    m_batchFilter->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_batchFilter, &QComboBox::currentIndexChanged, this, [this](int i) {
        // A past batch's entry (a negative id) is what shows already.
        const int batchId = m_batchFilter->itemData(i).toInt();
        if (batchId >= 0)
            showBatch(batchId);
    });

    m_emptyHint = new EmptyStateHint(
        tr("No jobs yet. Type a command template on the left, add arguments, and press Run "
           "(Ctrl+Enter)."),
        m_table, m_model);

    // The filter row sits on the table, above it; the timeline is the
    // other tab (the batch chooser applies to both).
    auto *jobs = new QWidget(this);
    auto *jobsLayout = new QVBoxLayout(jobs);
    jobsLayout->setContentsMargins(0, 4, 0, 0);
    jobsLayout->setSpacing(4);
    m_historyView = new HistoryView(this);
    createHistoryBanner();
    jobsLayout->addWidget(m_storedBanner);
    jobsLayout->addWidget(m_filterBar);
    jobsLayout->addWidget(m_table, 1);
    m_jobViews->setObjectName(QStringLiteral("jobViews"));
    m_jobViews->setDocumentMode(true);
    m_jobViews->addTab(jobs, tr("Table"));
    m_jobViews->addTab(m_timeline, tr("Timeline"));
    m_jobViews->addTab(m_historyView, tr("History"));
    m_jobViews->setTabToolTip(0, tr("One row per job (Ctrl+T switches)"));
    m_jobViews->setTabToolTip(1, tr("A lane per slot, a bar per job; Ctrl+wheel zooms, 0 fits "
                                    "(Ctrl+T switches)"));
    m_jobViews->setTabToolTip(2, tr("Past batches, kept across restarts (Ctrl+H)"));
    connect(m_historyView, &HistoryView::openRequested, this, &MainWindow::openHistoryBatch);
    connect(m_historyView, &HistoryView::rerunRequested, this, &MainWindow::rerunHistoryBatch);
    connect(m_historyView, &HistoryView::exportRequested, this, [this](qint64 batchId) {
        if (!m_browser)
            return;
        if (m_stored && m_stored->historyId() == batchId) {
            m_jobViews->setCurrentIndex(0);
            openExportDialog();
            return;
        }
        dropPendingShows();
        m_opening.insert(m_browser->openBatch(batchId), {batchId, OnOpen::Export});
    });

    m_outputSplitter = new QSplitter(Qt::Vertical, this);
    m_outputSplitter->setObjectName(QStringLiteral("outputSplitter"));
    m_outputSplitter->addWidget(m_jobViews);
    m_outputSplitter->addWidget(m_output);
    m_outputSplitter->setStretchFactor(0, 3);
    m_outputSplitter->setStretchFactor(1, 2);
    m_mainSplitter = new QSplitter(Qt::Horizontal, this);
    m_mainSplitter->setObjectName(QStringLiteral("mainSplitter"));
    m_mainSplitter->addWidget(m_launch);
    m_mainSplitter->addWidget(m_outputSplitter);
    m_mainSplitter->setStretchFactor(0, 0);
    m_mainSplitter->setStretchFactor(1, 1);
    m_mainSplitter->setSizes({300, 900});
    setCentralWidget(m_mainSplitter);
    statusBar()->addWidget(m_summary, 1);

    createActions();
    connect(m_summary, &SummaryBar::runningProgress, this, [this](const BatchProgress &p) {
        // "procdeck — 37/100 (2 failed)" while jobs run, for the task bar.
        QString title = tr("procdeck");
        if (p.running) {
            title += QStringLiteral(" — %1/%2").arg(p.done).arg(p.total);
            if (p.failed > 0)
                title += tr(" (%1 failed)").arg(p.failed);
        }
        setWindowTitle(title);
    });
    connect(scheduler, &Scheduler::batchFinished, this, &MainWindow::onBatchFinished);
    connect(scheduler, &Scheduler::sourceEnded, this, [this](int batchId, const QString &error) {
        // A loaded file that could not be read to its end: the jobs made
        // from it so far run; the rest are not made.
        if (!error.isEmpty())
            statusBar()->showMessage(
                tr("Batch %1: %2").arg(batchId).arg(LaunchPanel::asSentence(error)));
    });
    resize(1280, 760);
    restoreSettings();

    connect(m_launch, &LaunchPanel::runRequested, this, &MainWindow::runBatch);
    connect(m_launch, &LaunchPanel::parallelJobsChanged, scheduler, &Scheduler::setMaxParallel);
    scheduler->setMaxParallel(m_launch->parallelJobs());

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                showJob(current.isValid() ? current.data(JobTableModel::JobIndexRole).toInt() : -1);
            });
    // A click on a bar selects its row: one selection for both views. A
    // row the filter hides is shown in the output pane all the same.
    connect(m_timeline, &TimelineView::jobActivated, this, [this](int job) {
        const QModelIndex row = m_proxy->mapFromSource(m_model->index(job, 0));
        if (!row.isValid()) {
            m_table->selectionModel()->clearSelection();
            showJob(job);
            return;
        }
        m_table->selectionModel()->setCurrentIndex(row, QItemSelectionModel::ClearAndSelect |
                                                            QItemSelectionModel::Rows);
        m_table->scrollTo(row);
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::updateActions);
    connect(scheduler, &Scheduler::countsChanged, this, &MainWindow::updateActions);
    connect(scheduler, &Scheduler::idle, this, [this] {
        if (m_closing)
            close();
    });
    updateActions();
}

MainWindow::~MainWindow()
{
    // The views stop reading a past batch before it goes.
    showLive();
}

void MainWindow::showJob(int job)
{
    m_output->setJob(job);
    m_timeline->setCurrentJob(job);
    if (m_stored)
        loadStoredOutput(job);
}

void MainWindow::setNotifier(std::unique_ptr<Notifier> notifier)
{
    m_notifier = std::move(notifier);
}

void MainWindow::onBatchFinished(int batchId)
{
    // Only someone looking elsewhere needs telling; quitting tells no one.
    if (!m_notifier || m_closing || isActiveWindow())
        return;
    m_notifier->notify(tr("procdeck"), describeFinishedBatch(m_scheduler->batch(batchId)));
}

QMenu *MainWindow::columnMenu()
{
    // Built afresh each time, so the checks show the columns as they are.
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->setObjectName(QStringLiteral("columnMenu"));
    QHeaderView *header = m_table->horizontalHeader();
    for (int column = 0; column < JobTableModel::ColumnCount; ++column) {
        QAction *action = menu->addAction(m_model->headerData(column, Qt::Horizontal).toString());
        action->setCheckable(true);
        action->setChecked(!header->isSectionHidden(column));
        // The command says which job a row is: it stays.
        action->setEnabled(column != JobTableModel::Command);
        connect(action, &QAction::toggled, this,
                [this, column](bool shown) { m_table->setColumnHidden(column, !shown); });
    }
    return menu;
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState());
    settings.setValue(kMainSplitterKey, m_mainSplitter->saveState());
    settings.setValue(kOutputSplitterKey, m_outputSplitter->saveState());
    settings.setValue(kTableHeaderKey, m_table->horizontalHeader()->saveState());
    BatchFile batch;
    batch.request = m_launch->request();
    qsizetype chars = 0;
    for (const QString &argument : batch.request.arguments())
        chars += argument.size() + 1;
    // A loaded big file is not remembered: its path may not mean the same
    // file next time, and its first lines alone are not the batch.
    if (chars > kMaxRememberedArgumentChars || !batch.request.argumentsFile.isEmpty())
        batch.request.setArguments({});
    settings.setValue(kLaunchBatchKey, batch.toText());
    settings.setValue(kLaunchParallelKey, m_launch->parallelJobs());
}

void MainWindow::restoreSettings()
{
    const QSettings settings;
    restoreGeometry(settings.value(kGeometryKey).toByteArray());
    restoreState(settings.value(kStateKey).toByteArray());
    m_mainSplitter->restoreState(settings.value(kMainSplitterKey).toByteArray());
    m_outputSplitter->restoreState(settings.value(kOutputSplitterKey).toByteArray());
    // Column widths and which columns show; a state of another version's
    // column count is refused by the header, which keeps the defaults.
    const QByteArray header = settings.value(kTableHeaderKey).toByteArray();
    if (!header.isEmpty() && m_table->horizontalHeader()->restoreState(header))
        m_table->horizontalHeader()->setSortIndicatorShown(true);
    const QString text = settings.value(kLaunchBatchKey).toString();
    if (!text.isEmpty()) {
        // A batch that no longer parses (an older version's?) is dropped:
        // the panel starts empty, as on a first start.
        if (const Expected<BatchFile> batch = BatchFile::parse(text))
            m_launch->setRequest(batch->request);
    }
    bool ok = false;
    const int parallel = settings.value(kLaunchParallelKey).toInt(&ok);
    if (ok && parallel >= 0)
        m_launch->setParallelJobs(parallel);
}

void MainWindow::createActions()
{
    m_runAction = new QAction(tr("&Run"), this);
    m_runAction->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    m_runAction->setIcon(actionIcon("media-playback-start", "run"));
    setToolTipWithShortcut(m_runAction, tr("Run the batch"));
    m_runAction->setShortcutContext(Qt::WindowShortcut);
    connect(m_runAction, &QAction::triggered, this, &MainWindow::runBatch);

    m_stopAction = new QAction(tr("&Stop"), this);
    m_stopAction->setShortcut(QKeySequence::Delete);
    // Delete stops jobs only while the table has focus; elsewhere it edits text.
    m_stopAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_stopAction->setIcon(actionIcon("process-stop", "stop"));
    setToolTipWithShortcut(
        m_stopAction,
        tr("Stop the selected jobs: each one's process group gets SIGTERM, then SIGKILL"));
    connect(m_stopAction, &QAction::triggered, this, &MainWindow::stopSelected);

    m_stopAllAction = new QAction(tr("Stop &All"), this);
    m_stopAllAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Delete));
    m_stopAllAction->setIcon(actionIcon("media-playback-stop", "stop-all"));
    setToolTipWithShortcut(m_stopAllAction, tr("Stop every queued and running job"));
    connect(m_stopAllAction, &QAction::triggered, this, &MainWindow::stopAll);

    m_rerunAction = new QAction(tr("R&erun"), this);
    m_rerunAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_rerunAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_rerunAction->setIcon(actionIcon("view-refresh", "rerun"));
    setToolTipWithShortcut(m_rerunAction, tr("Run the selected jobs again as a new batch"));
    connect(m_rerunAction, &QAction::triggered, this, &MainWindow::rerunSelected);

    m_copyAction = new QAction(tr("&Copy Command"), this);
    m_copyAction->setShortcut(QKeySequence::Copy);
    m_copyAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_copyAction, &QAction::triggered, this, [this] {
        QStringList commands;
        for (int index : selectedJobs())
            commands << RawText::forDisplay(m_model->jobs()->spec(index).displayCommand());
        QApplication::clipboard()->setText(commands.join(QLatin1Char('\n')));
    });

    // Ctrl+F is the output pane's find; the filter takes Ctrl+L (as a
    // browser's address bar) and Ctrl+Shift+F.
    auto *filterAction = new QAction(tr("&Filter Jobs"), this);
    filterAction->setObjectName(QStringLiteral("filterAction"));
    filterAction->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::Key_L), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F)});
    filterAction->setShortcutContext(Qt::WindowShortcut);
    connect(filterAction, &QAction::triggered, m_filterBar, &JobFilterBar::focusText);

    auto *toggleView = new QAction(tr("Table or &Timeline"), this);
    toggleView->setObjectName(QStringLiteral("toggleViewAction"));
    toggleView->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    toggleView->setShortcutContext(Qt::WindowShortcut);
    setToolTipWithShortcut(toggleView, tr("Switch between the job table and the timeline"));
    connect(toggleView, &QAction::triggered, this,
            [this] { m_jobViews->setCurrentIndex(m_jobViews->currentIndex() == 0 ? 1 : 0); });

    auto *historyAction = new QAction(tr("&History"), this);
    historyAction->setObjectName(QStringLiteral("historyAction"));
    historyAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_H));
    historyAction->setShortcutContext(Qt::WindowShortcut);
    setToolTipWithShortcut(historyAction, tr("Past batches, kept across restarts"));
    connect(historyAction, &QAction::triggered, this, [this] {
        m_jobViews->setCurrentWidget(m_historyView);
        m_historyView->focusList();
    });

    auto *quit = new QAction(tr("&Quit"), this);
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    createFileMenu(file);
    file->addSeparator();
    file->addAction(quit);
    QMenu *jobs = menuBar()->addMenu(tr("&Jobs"));
    jobs->addAction(m_runAction);
    jobs->addSeparator();
    jobs->addAction(m_stopAction);
    jobs->addAction(m_stopAllAction);
    jobs->addAction(m_rerunAction);
    jobs->addAction(m_copyAction);
    jobs->addSeparator();
    jobs->addAction(filterAction);
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(toggleView);
    view->addAction(historyAction);
    view->addAction(m_backToLiveAction);
    // The pane's own action (one action: two on Ctrl+F would be ambiguous
    // and neither would fire), reachable from anywhere in the window.
    m_output->findAction()->setShortcutContext(Qt::WindowShortcut);
    view->addAction(m_output->findAction());

    QToolBar *bar = addToolBar(tr("Jobs"));
    bar->setObjectName(QStringLiteral("jobsToolBar"));
    bar->setMovable(false);
    bar->addAction(m_runAction);
    bar->addAction(m_stopAction);
    bar->addAction(m_stopAllAction);
    bar->addAction(m_rerunAction);
    bar->addAction(m_exportAction);
    bar->addSeparator();
    bar->addWidget(new QLabel(tr(" Show: "), bar));
    bar->addWidget(m_batchFilter);

    m_table->addAction(m_stopAction);
    m_table->addAction(m_rerunAction);
    m_table->addAction(m_copyAction);
}

void MainWindow::createFileMenu(QMenu *file)
{
    const QString filter = tr("procdeck batches (*.batch);;All files (*)");
    QAction *open = file->addAction(tr("&Open Batch..."));
    open->setShortcut(QKeySequence::Open);
    connect(open, &QAction::triggered, this, [this, filter] {
        // open() rather than exec(): the window keeps running while it shows.
        auto *dialog = new QFileDialog(this, tr("Open Batch"), QString(), filter);
        dialog->setAcceptMode(QFileDialog::AcceptOpen);
        dialog->setFileMode(QFileDialog::ExistingFile);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QFileDialog::fileSelected, this, &MainWindow::openBatchFile);
        dialog->open();
    });
    QAction *save = file->addAction(tr("&Save Batch As..."));
    save->setShortcut(QKeySequence::Save);
    connect(save, &QAction::triggered, this, [this, filter] {
        auto *dialog = new QFileDialog(this, tr("Save Batch"), QString(), filter);
        dialog->setAcceptMode(QFileDialog::AcceptSave);
        dialog->setDefaultSuffix(QStringLiteral("batch"));
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QFileDialog::fileSelected, this, &MainWindow::saveBatchFile);
        dialog->open();
    });
    file->addSeparator();
    m_exportAction = file->addAction(tr("&Export..."));
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportAction->setIcon(actionIcon("document-export", "export"));
    setToolTipWithShortcut(m_exportAction, tr("Export jobs as a GNU parallel joblog, a results "
                                              "folder, CSV, JSON Lines or an HTML report"));
    connect(m_exportAction, &QAction::triggered, this, &MainWindow::openExportDialog);
    file->addSeparator();
    const QStringList examples =
        QDir(QStringLiteral(":/examples")).entryList(QDir::Files, QDir::Name);
    if (!examples.isEmpty()) {
        QMenu *menu = file->addMenu(tr("Open &Example"));
        for (const QString &name : examples) {
            menu->addAction(QFileInfo(name).completeBaseName(), this,
                            [this, name] { openBatchFile(QStringLiteral(":/examples/") + name); });
        }
    }
}

bool MainWindow::openBatchFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        m_launch->showError(tr("Could not open %1: %2").arg(path, file.errorString()));
        return false;
    }
    const Expected<BatchFile> batch = BatchFile::parse(RawText::decode(file.readAll()));
    if (!batch) {
        m_launch->showError(tr("%1 is not a valid batch file: %2").arg(path, batch.error()));
        return false;
    }
    m_launch->setRequest(batch->request);
    if (batch->parallel > 0)
        m_launch->setParallelJobs(batch->parallel);
    statusBar()->showMessage(tr("Opened %1: press Run to start it").arg(QFileInfo(path).fileName()),
                             5000);
    return true;
}

bool MainWindow::saveBatchFile(const QString &path)
{
    BatchFile batch;
    batch.request = m_launch->request();
    batch.parallel = m_launch->parallelJobs();
    if (!batch.request.argumentsFile.isEmpty()) {
        // A batch file holds its arguments itself; these are a file's.
        m_launch->showError(tr("Could not save: the arguments are the lines of %1, and a batch "
                               "file holds its arguments itself. Type them, or load a file "
                               "under 1 MiB, to save them.")
                                .arg(batch.request.argumentsFile));
        return false;
    }
    // Atomic: the old file stays whole if anything goes wrong.
    if (const Expected<void> saved = AtomicFile::write(path, RawText::encode(batch.toText()));
        !saved) {
        m_launch->showError(tr("Could not save: %1").arg(saved.error()));
        return false;
    }
    statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
    return true;
}

ExportDialog *MainWindow::openExportDialog()
{
    auto *dialog = new ExportDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (m_stored) {
        // A past batch: written from history, off the GUI thread (its
        // output is read back from the database for it).
        QList<int> all;
        for (int i = 0; i < m_stored->jobCount(); ++i)
            all << i;
        const qint64 batchId = m_stored->historyId();
        dialog->setScopes(all, all, int(batchId), selectedJobs());
        // The batch as it is now: another may be shown by the time the
        // user presses Export.
        connect(dialog, &ExportDialog::exportRequested, this,
                [this, dialog, batchId] { exportStored(dialog, batchId); });
        dialog->open();
        return dialog;
    }
    QList<int> all;
    for (int i = 0; i < m_scheduler->jobCount(); ++i)
        all << i;
    QList<int> batch;
    const int batchId = m_proxy->batchFilter();
    if (batchId > 0) {
        const BatchInfo &b = m_scheduler->batch(batchId);
        for (int i = b.firstJob; i < b.firstJob + b.jobCount; ++i)
            batch << i;
    }
    dialog->setScopes(all, batch, batchId, selectedJobs());
    connect(dialog, &ExportDialog::exportRequested, this, [this, dialog] {
        const ExportSelection selection(*m_scheduler, dialog->jobs());
        const QString title = tr("procdeck report: %1 jobs").arg(dialog->jobs().size());
        const Expected<void> written =
            LogExporter::write(dialog->format(), dialog->path(), selection, title);
        if (written)
            statusBar()->showMessage(
                tr("Exported %1 to %2").arg(LogExporter::name(dialog->format()), dialog->path()),
                8000);
        dialog->finish(written.ok(), tr("Could not export: %1").arg(written.error()));
    });
    dialog->open();
    return dialog;
}

int MainWindow::runBatch()
{
    const BatchRequest request = m_launch->request();
    // A loaded big file: its first lines show a mistake in the command now;
    // the rest is read as the batch runs.
    Expected<std::vector<JobSpec>> specs = JobBuilder::build(request);
    if (!specs) {
        m_launch->showError(LaunchPanel::asSentence(specs.error()));
        return 0;
    }
    BatchOptions options;
    options.attempts = request.attempts;
    int batchId = 0;
    if (!request.argumentsFile.isEmpty()) {
        const int fd =
            ::open(QFile::encodeName(request.argumentsFile).constData(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            m_launch->showError(
                tr("Could not read %1: %2")
                    .arg(request.argumentsFile, QString::fromLocal8Bit(std::strerror(errno))));
            return 0;
        }
        StreamedInput input;
        input.skipEmpty = true; // as in the argument box
        batchId =
            m_scheduler->submitSource(request.command.trimmed(),
                                      std::make_unique<StreamedJobSource>(
                                          request, input, std::make_unique<InputReader>(fd, true)),
                                      options);
    } else {
        batchId = m_scheduler->submit(request.command.trimmed(), std::move(specs).value(), options);
    }
    m_launch->showError(QString());
    showLive(); // what runs now is what the table shows
    addBatchToFilter(batchId);
    return batchId;
}

void MainWindow::addBatchToFilter(int batchId)
{
    if (batchId <= 0)
        return;
    m_batchFilter->addItem(
        tr("Batch %1: %2").arg(batchId).arg(shortLabel(m_scheduler->batch(batchId).label)),
        batchId);
}

QList<int> MainWindow::selectedJobs() const
{
    QList<int> jobs;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    jobs.reserve(rows.size());
    for (const QModelIndex &row : rows)
        jobs << row.data(JobTableModel::JobIndexRole).toInt();
    std::sort(jobs.begin(), jobs.end());
    return jobs;
}

void MainWindow::stopSelected()
{
    if (m_stored)
        return; // a past batch has nothing running
    m_scheduler->stopJobs(selectedJobs());
}

void MainWindow::stopAll()
{
    // A past batch shown: its filter is no live batch.
    const int batch = m_stored ? 0 : m_proxy->batchFilter();
    if (batch > 0)
        m_scheduler->stopBatch(batch);
    else
        m_scheduler->stopAll();
}

void MainWindow::rerunSelected()
{
    if (m_stored) {
        std::vector<JobSpec> specs;
        for (int index : selectedJobs())
            specs.push_back(m_stored->runSpec(index));
        submitRerun(*m_stored, std::move(specs));
        return;
    }
    addBatchToFilter(m_scheduler->rerun(selectedJobs()));
}

void MainWindow::showBatch(int batchId)
{
    showLive();
    m_proxy->setBatchFilter(batchId);
    m_summary->setBatch(batchId);
    m_timeline->setBatchFilter(batchId);
    const int i = m_batchFilter->findData(batchId);
    if (i >= 0 && i != m_batchFilter->currentIndex())
        m_batchFilter->setCurrentIndex(i);
    m_stopAllAction->setText(batchId > 0 ? tr("Stop &Batch") : tr("Stop &All"));
    m_filterBar->refreshCount();
}

void MainWindow::updateActions()
{
    const bool hasSelection = m_table->selectionModel()->hasSelection();
    m_stopAction->setEnabled(hasSelection && !m_stored);
    m_rerunAction->setEnabled(hasSelection);
    m_copyAction->setEnabled(hasSelection);
    m_stopAllAction->setEnabled(!m_scheduler->isIdle());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_scheduler->isIdle()) {
        m_scheduler->stopAll(); // stops what finished jobs left in the background
        saveSettings();
        event->accept();
        return;
    }
    if (m_closing) {
        // Asked twice: no more grace, kill every job's group now.
        statusBar()->showMessage(tr("Killing every job…"));
        m_scheduler->killAll();
        event->ignore();
        return;
    }
    // Quitting stops everything we started. Wait for the last job to end
    // (the grace period bounds it), then close for real from idle().
    m_closing = true;
    statusBar()->showMessage(tr("Stopping every job before quitting…"));
    m_scheduler->stopAll();
    event->ignore();
}

void MainWindow::setHistory(const QString &path, HistoryWriter *writer, const QString &why)
{
    showLive();
    m_opening.clear();
    m_outputLoads.clear();
    m_exports.clear();
    m_historyView->setBrowser(nullptr, why.isEmpty() ? tr("History is off.") : why);
    m_browser.reset();
    if (path.isEmpty())
        return;
    m_browser = std::make_unique<HistoryBrowser>(path);
    connect(m_browser.get(), &HistoryBrowser::batchOpened, this, &MainWindow::onHistoryBatchOpened);
    connect(m_browser.get(), &HistoryBrowser::outputLoaded, this,
            [this](int ticket, qint64 batchId, int seq, const StoredOutput &output) {
                if (!m_outputLoads.contains(ticket))
                    return; // asked for a batch shown before
                const int job = m_outputLoads.take(ticket);
                // Still the batch shown, and the same job of it?
                if (!m_stored || m_stored->historyId() != batchId || job >= m_stored->jobCount() ||
                    m_stored->seq(job) != seq)
                    return;
                m_stored->setOutput(job, output);
                m_loadedOutputs.push_back(job);
                while (m_loadedOutputs.size() > kLoadedOutputs) {
                    const int oldest = m_loadedOutputs.front();
                    m_loadedOutputs.pop_front();
                    if (oldest != m_output->job())
                        m_stored->releaseOutput(oldest);
                }
            });
    connect(
        m_browser.get(), &HistoryBrowser::exported, this, [this](int ticket, const QString &path) {
            if (const QPointer<ExportDialog> dialog = m_exports.take(ticket)) {
                statusBar()->showMessage(
                    tr("Exported %1 to %2").arg(LogExporter::name(dialog->format()), path), 8000);
                dialog->finish(true, {});
            }
        });
    connect(
        m_browser.get(), &HistoryBrowser::failed, this, [this](int ticket, const QString &message) {
            if (m_exports.contains(ticket)) {
                if (const QPointer<ExportDialog> dialog = m_exports.take(ticket))
                    dialog->finish(false, tr("Could not export: %1").arg(message));
            } else if (m_opening.contains(ticket)) {
                const qint64 batchId = m_opening.take(ticket).first;
                statusBar()->showMessage(
                    tr("Could not open batch #%1: %2").arg(batchId).arg(message), 10000);
            } else if (m_outputLoads.contains(ticket)) {
                m_outputLoads.remove(ticket);
                statusBar()->showMessage(tr("Could not load the output: %1").arg(message), 10000);
            }
        });
    m_historyView->setBrowser(m_browser.get());
    if (writer) {
        // Each commit may change the list (a new batch, new counts); the
        // view asks again at most twice a second.
        connect(writer, &HistoryWriter::committed, m_historyView, &HistoryView::scheduleRefresh);
        connect(writer, &HistoryWriter::failed, m_historyView, &HistoryView::setRecordingError);
        // It may have failed before the connection (it opens on its thread).
        if (!writer->isUsable())
            m_historyView->setRecordingError(writer->errorString());
    } else {
        m_historyView->setRecordingError(tr("this window does not record into %1").arg(path));
    }
}

void MainWindow::createHistoryBanner()
{
    m_storedBanner = new QWidget(this);
    m_storedBanner->setObjectName(QStringLiteral("storedBanner"));
    m_storedBanner->setAutoFillBackground(true);
    QPalette palette = m_storedBanner->palette();
    palette.setColor(QPalette::Window, palette.color(QPalette::AlternateBase));
    m_storedBanner->setPalette(palette);
    m_storedText = new QLabel(m_storedBanner);
    m_storedText->setObjectName(QStringLiteral("storedText"));
    m_storedText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // A long command must not widen the window: the label gives way.
    m_storedText->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto *rerun = new QPushButton(tr("Rerun Batch"), m_storedBanner);
    rerun->setObjectName(QStringLiteral("storedRerun"));
    auto *rerunFailed = new QPushButton(tr("Rerun Failed"), m_storedBanner);
    rerunFailed->setObjectName(QStringLiteral("storedRerunFailed"));
    auto *back = new QPushButton(tr("Back to Live"), m_storedBanner);
    back->setObjectName(QStringLiteral("storedBack"));
    m_backToLiveAction = new QAction(tr("&Back to Live Jobs"), this);
    m_backToLiveAction->setObjectName(QStringLiteral("backToLiveAction"));
    m_backToLiveAction->setShortcut(QKeySequence::Back); // Alt+Left, as a browser's Back
    m_backToLiveAction->setShortcutContext(Qt::WindowShortcut);
    m_backToLiveAction->setEnabled(false);
    connect(m_backToLiveAction, &QAction::triggered, this, &MainWindow::showLive);
    back->setToolTip(tr("Show this session's jobs again (%1)")
                         .arg(m_backToLiveAction->shortcut().toString(QKeySequence::NativeText)));
    connect(back, &QPushButton::clicked, this, &MainWindow::showLive);
    connect(rerun, &QPushButton::clicked, this, [this] {
        if (m_stored)
            submitRerun(*m_stored, m_stored->specsToRerun(false));
    });
    connect(rerunFailed, &QPushButton::clicked, this, [this] {
        if (m_stored)
            submitRerun(*m_stored, m_stored->specsToRerun(true));
    });
    auto *layout = new QHBoxLayout(m_storedBanner);
    layout->setContentsMargins(6, 3, 6, 3);
    layout->addWidget(m_storedText, 1);
    layout->addWidget(rerun);
    layout->addWidget(rerunFailed);
    layout->addWidget(back);
    m_storedBanner->hide();
}

void MainWindow::openHistoryBatch(qint64 batchId)
{
    if (!m_browser)
        return;
    if (m_stored && m_stored->historyId() == batchId) {
        m_jobViews->setCurrentIndex(0);
        return;
    }
    dropPendingShows(); // the newest open wins
    m_opening.insert(m_browser->openBatch(batchId), {batchId, OnOpen::Show});
    statusBar()->showMessage(tr("Opening batch #%1…").arg(batchId), 5000);
}

void MainWindow::rerunHistoryBatch(qint64 batchId, bool failedOnly)
{
    if (m_stored && m_stored->historyId() == batchId) {
        submitRerun(*m_stored, m_stored->specsToRerun(failedOnly));
        return;
    }
    if (m_browser) {
        m_opening.insert(m_browser->openBatch(batchId),
                         {batchId, failedOnly ? OnOpen::RerunFailed : OnOpen::Rerun});
    }
}

void MainWindow::onHistoryBatchOpened(int ticket, const std::shared_ptr<StoredJobs> &jobs)
{
    if (!m_opening.contains(ticket))
        return;
    const OnOpen what = m_opening.take(ticket).second;
    switch (what) {
    case OnOpen::Show:
        showStored(jobs);
        break;
    case OnOpen::Export:
        showStored(jobs);
        openExportDialog();
        break;
    case OnOpen::Rerun:
    case OnOpen::RerunFailed:
        submitRerun(*jobs, jobs->specsToRerun(what == OnOpen::RerunFailed));
        break;
    }
}

void MainWindow::showStored(std::shared_ptr<StoredJobs> jobs)
{
    // The one shown before goes only once no view reads it.
    const std::shared_ptr<StoredJobs> before = std::exchange(m_stored, std::move(jobs));
    m_outputLoads.clear();
    m_loadedOutputs.clear();
    m_table->selectionModel()->clear();
    m_model->setJobs(m_stored.get());
    m_output->setJobs(m_stored.get());
    m_timeline->setJobs(m_stored.get());
    m_proxy->setBatchFilter(0);
    m_timeline->setBatchFilter(0);
    showJob(-1);

    const StoredBatchSummary &b = m_stored->summary();
    const QString label = shortLabel(b.label);
    {
        const QSignalBlocker blocker(m_batchFilter);
        removeHistoryEntry();
        m_batchFilter->addItem(tr("History #%1: %2").arg(b.id).arg(label), int(-b.id));
        m_batchFilter->setCurrentIndex(m_batchFilter->count() - 1);
    }
    QStringList counts{jobsText(b.jobCount), tr("%1 OK").arg(b.succeeded)};
    if (const int failed = b.failedOrInterrupted(); failed > 0)
        counts << tr("%1 failed").arg(failed);
    if (b.interrupted > 0)
        counts << tr("%1 interrupted").arg(b.interrupted);
    if (b.isFinished())
        counts << HistoryListModel::formatWall(b.wallTimeMs());
    m_storedText->setText(tr("<b>Batch #%1 from history</b> · %2 · %3 · %4")
                              .arg(b.id)
                              .arg(QDateTime::fromMSecsSinceEpoch(b.submittedAtMs)
                                       .toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                                   label.toHtmlEscaped(), counts.join(QStringLiteral(" · "))));
    m_storedText->setToolTip(HistoryListModel::plainToolTip(b.label));
    m_storedBanner->findChild<QPushButton *>(QStringLiteral("storedRerunFailed"))
        ->setEnabled(m_stored->failedCount() > 0);
    m_storedBanner->show();
    m_backToLiveAction->setEnabled(true);
    m_stopAllAction->setText(tr("Stop &All")); // this session's jobs: none is shown
    m_summary->setBatch(0);
    m_jobViews->setCurrentIndex(0);
    m_filterBar->refreshCount();
    updateActions();
    statusBar()->clearMessage();
}

void MainWindow::dropPendingShows()
{
    // An open still on its way must not pull the table away from what the
    // user turned to since (another batch, the live jobs, a new run).
    for (auto it = m_opening.begin(); it != m_opening.end();) {
        if (it->second == OnOpen::Show || it->second == OnOpen::Export)
            it = m_opening.erase(it);
        else
            ++it;
    }
}

void MainWindow::showLive()
{
    dropPendingShows();
    if (!m_stored)
        return;
    m_outputLoads.clear();
    m_loadedOutputs.clear();
    m_table->selectionModel()->clear();
    m_model->setJobs(m_scheduler);
    m_output->setJobs(m_scheduler);
    m_timeline->setJobs(m_scheduler);
    m_stored.reset();
    m_storedBanner->hide();
    m_backToLiveAction->setEnabled(false);
    showJob(-1);
    {
        const QSignalBlocker blocker(m_batchFilter);
        removeHistoryEntry();
    }
    showBatch(0); // every live job shows again
    updateActions();
}

void MainWindow::removeHistoryEntry()
{
    // At most one: the past batch shown, with its id negated.
    for (int i = m_batchFilter->count() - 1; i >= 0; --i) {
        if (m_batchFilter->itemData(i).toInt() < 0)
            m_batchFilter->removeItem(i);
    }
}

void MainWindow::loadStoredOutput(int job)
{
    if (!m_browser || job < 0 || job >= m_stored->jobCount() || !m_stored->hasOutput(job) ||
        m_stored->isOutputLoaded(job))
        return;
    for (int loading : std::as_const(m_outputLoads)) {
        if (loading == job)
            return;
    }
    m_outputLoads.insert(m_browser->loadOutput(m_stored->historyId(), m_stored->seq(job)), job);
}

int MainWindow::submitRerun(const StoredJobs &jobs, std::vector<JobSpec> specs)
{
    if (specs.empty()) {
        statusBar()->showMessage(
            tr("Batch #%1 has no failed jobs to run again.").arg(jobs.historyId()), 8000);
        return 0;
    }
    // Copied first: showLive() lets go of the batch `jobs` may be.
    const qint64 from = jobs.historyId();
    const int count = int(specs.size());
    const int batchId =
        m_scheduler->submit(jobs.settings().label, std::move(specs), jobs.settings().options);
    showLive();
    addBatchToFilter(batchId);
    showBatch(batchId);
    m_jobViews->setCurrentIndex(0);
    statusBar()->showMessage(
        tr("Running %1 of batch #%2 again as batch %3").arg(jobsText(count)).arg(from).arg(batchId),
        8000);
    return batchId;
}

void MainWindow::exportStored(ExportDialog *dialog, qint64 batchId)
{
    if (!m_browser) {
        dialog->finish(false, tr("Could not export: history is off."));
        return;
    }
    const int ticket =
        m_browser->exportBatch(batchId, dialog->jobs(), dialog->format(), dialog->path());
    m_exports.insert(ticket, dialog);
    statusBar()->showMessage(tr("Exporting batch #%1…").arg(batchId), 10000);
}

} // namespace procdeck
