#include "ui/window/mainwindow.h"

#include "app/batch/batchfile.h"
#include "app/core/atomicfile.h"
#include "app/engine/scheduler.h"
#include "app/export/jobfields.h"
#include "app/models/jobfilterproxy.h"
#include "app/models/jobtablemodel.h"
#include "ui/export/exportdialog.h"
#include "ui/launch/launchpanel.h"
#include "ui/output/outputpane.h"
#include "ui/window/statusdelegate.h"
#include "ui/window/summarybar.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>

namespace procdeck {

MainWindow::MainWindow(Scheduler *scheduler, QWidget *parent)
    : QMainWindow(parent)
    , m_scheduler(scheduler)
    , m_model(new JobTableModel(scheduler, this))
    , m_proxy(new JobFilterProxy(this))
    , m_launch(new LaunchPanel(this))
    , m_table(new QTableView(this))
    , m_output(new OutputPane(scheduler, this))
    , m_summary(new SummaryBar(scheduler, this))
    , m_batchFilter(new QComboBox(this))
{
    setWindowTitle(tr("procdeck"));
    m_proxy->setSourceModel(m_model);

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
    m_table->setColumnWidth(JobTableModel::Command, 200);
    m_table->setColumnWidth(JobTableModel::Status, 170);
    m_table->setColumnWidth(JobTableModel::ExitCode, 75);
    m_table->setColumnWidth(JobTableModel::Started, 95);
    m_table->setColumnWidth(JobTableModel::Runtime, 80);
    m_table->setColumnWidth(JobTableModel::Pid, 65);
    auto *delegate = new StatusDelegate(m_table);
    m_table->setItemDelegateForColumn(JobTableModel::Status, delegate);
    m_table->setItemDelegateForColumn(JobTableModel::ExitCode, delegate);
    m_table->setItemDelegateForColumn(JobTableModel::Command, new CommandDelegate(m_table));

    m_batchFilter->setObjectName(QStringLiteral("batchFilter"));
    m_batchFilter->addItem(tr("All batches"), 0);
    m_batchFilter->setToolTip(tr("Show the jobs of one batch, or of all"));
    m_batchFilter->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_batchFilter, &QComboBox::currentIndexChanged, this,
            [this](int i) { showBatch(m_batchFilter->itemData(i).toInt()); });

    auto *right = new QSplitter(Qt::Vertical, this);
    right->addWidget(m_table);
    right->addWidget(m_output);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 2);
    auto *main = new QSplitter(Qt::Horizontal, this);
    main->addWidget(m_launch);
    main->addWidget(right);
    main->setStretchFactor(0, 0);
    main->setStretchFactor(1, 1);
    main->setSizes({300, 900});
    setCentralWidget(main);
    statusBar()->addWidget(m_summary, 1);

    createActions();

    connect(m_launch, &LaunchPanel::runRequested, this, &MainWindow::runBatch);
    connect(m_launch, &LaunchPanel::parallelJobsChanged, scheduler, &Scheduler::setMaxParallel);
    scheduler->setMaxParallel(m_launch->parallelJobs());

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                m_output->setJob(
                    current.isValid() ? current.data(JobTableModel::JobIndexRole).toInt() : -1);
            });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::updateActions);
    connect(scheduler, &Scheduler::countsChanged, this, &MainWindow::updateActions);
    connect(scheduler, &Scheduler::idle, this, [this] {
        if (m_closing)
            close();
    });
    resize(1280, 760);
    updateActions();
}

void MainWindow::createActions()
{
    m_runAction = new QAction(tr("&Run"), this);
    m_runAction->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    m_runAction->setToolTip(tr("Run the batch (Ctrl+Return)"));
    m_runAction->setShortcutContext(Qt::WindowShortcut);
    connect(m_runAction, &QAction::triggered, this, &MainWindow::runBatch);

    m_stopAction = new QAction(tr("&Stop"), this);
    m_stopAction->setShortcut(QKeySequence::Delete);
    // Delete stops jobs only while the table has focus; elsewhere it edits text.
    m_stopAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_stopAction->setToolTip(
        tr("Stop the selected jobs: its process group gets SIGTERM, then SIGKILL (Delete)"));
    connect(m_stopAction, &QAction::triggered, this, &MainWindow::stopSelected);

    m_stopAllAction = new QAction(tr("Stop &All"), this);
    m_stopAllAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Delete));
    m_stopAllAction->setToolTip(tr("Stop every queued and running job (Ctrl+Shift+Delete)"));
    connect(m_stopAllAction, &QAction::triggered, this, &MainWindow::stopAll);

    m_rerunAction = new QAction(tr("R&erun"), this);
    m_rerunAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_rerunAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_rerunAction->setToolTip(tr("Run the selected jobs again as a new batch (Ctrl+R)"));
    connect(m_rerunAction, &QAction::triggered, this, &MainWindow::rerunSelected);

    m_copyAction = new QAction(tr("&Copy Command"), this);
    m_copyAction->setShortcut(QKeySequence::Copy);
    m_copyAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_copyAction, &QAction::triggered, this, [this] {
        QStringList commands;
        for (int index : selectedJobs())
            commands << m_scheduler->spec(index).displayCommand();
        QApplication::clipboard()->setText(commands.join(QLatin1Char('\n')));
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

    QToolBar *bar = addToolBar(tr("Jobs"));
    bar->setObjectName(QStringLiteral("jobsToolBar"));
    bar->setMovable(false);
    bar->addAction(m_runAction);
    bar->addAction(m_stopAction);
    bar->addAction(m_stopAllAction);
    bar->addAction(m_rerunAction);
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
    QAction *exportAction = file->addAction(tr("&Export..."));
    exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    exportAction->setToolTip(tr("Export jobs as a GNU parallel joblog, a results folder, CSV, JSON "
                                "Lines or an HTML report"));
    connect(exportAction, &QAction::triggered, this, &MainWindow::openExportDialog);
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
    const Expected<BatchFile> batch = BatchFile::parse(QString::fromUtf8(file.readAll()));
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
    // Atomic: the old file stays whole if anything goes wrong.
    if (const Expected<void> saved = AtomicFile::write(path, batch.toText().toUtf8()); !saved) {
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
    Expected<std::vector<JobSpec>> specs = JobBuilder::build(request);
    if (!specs) {
        m_launch->showError(LaunchPanel::asSentence(specs.error()));
        return 0;
    }
    m_launch->showError(QString());
    BatchOptions options;
    options.attempts = request.attempts;
    const int batchId =
        m_scheduler->submit(request.command.trimmed(), std::move(specs).value(), options);
    addBatchToFilter(batchId);
    return batchId;
}

void MainWindow::addBatchToFilter(int batchId)
{
    if (batchId <= 0)
        return;
    const BatchInfo &batch = m_scheduler->batch(batchId);
    QString label = batch.label;
    if (label.size() > 40)
        label = label.left(39) + QStringLiteral("…");
    m_batchFilter->addItem(tr("Batch %1: %2").arg(batchId).arg(label), batchId);
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
    m_scheduler->stopJobs(selectedJobs());
}

void MainWindow::stopAll()
{
    const int batch = m_proxy->batchFilter();
    if (batch > 0)
        m_scheduler->stopBatch(batch);
    else
        m_scheduler->stopAll();
}

void MainWindow::rerunSelected()
{
    addBatchToFilter(m_scheduler->rerun(selectedJobs()));
}

void MainWindow::showBatch(int batchId)
{
    m_proxy->setBatchFilter(batchId);
    m_summary->setBatch(batchId);
    const int i = m_batchFilter->findData(batchId);
    if (i >= 0 && i != m_batchFilter->currentIndex())
        m_batchFilter->setCurrentIndex(i);
    m_stopAllAction->setText(batchId > 0 ? tr("Stop &Batch") : tr("Stop &All"));
}

void MainWindow::updateActions()
{
    const bool hasSelection = m_table->selectionModel()->hasSelection();
    m_stopAction->setEnabled(hasSelection);
    m_rerunAction->setEnabled(hasSelection);
    m_copyAction->setEnabled(hasSelection);
    m_stopAllAction->setEnabled(!m_scheduler->isIdle());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_scheduler->isIdle()) {
        m_scheduler->stopAll(); // stops what finished jobs left in the background
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

} // namespace procdeck
