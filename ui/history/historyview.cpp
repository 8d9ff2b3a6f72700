#include "ui/history/historyview.h"

#include "app/history/historybrowser.h"
#include "app/models/historylistmodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QShortcut>
#include <QTableView>
#include <QVBoxLayout>

namespace procdeck {

namespace {
// The list shows this many batches at most (the newest); a search reaches
// the older ones.
constexpr int kListLimit = 1000;
} // namespace

HistoryView::HistoryView(QWidget *parent)
    : QWidget(parent)
    , m_model(new HistoryListModel(this))
    , m_search(new QLineEdit(this))
    , m_list(new QTableView(this))
    , m_open(new QPushButton(tr("&Open"), this))
    , m_rerun(new QPushButton(tr("Rerun &Batch"), this))
    , m_rerunFailed(new QPushButton(tr("Rerun &Failed"), this))
    , m_export(new QPushButton(tr("E&xport…"), this))
    , m_clear(new QPushButton(tr("&Clear History…"), this))
    , m_status(new QLabel(this))
    , m_recording(new QLabel(this))
{
    setObjectName(QStringLiteral("historyView"));
    m_search->setObjectName(QStringLiteral("historySearch"));
    m_search->setPlaceholderText(tr("Search past batches by command"));
    m_search->setClearButtonEnabled(true);
    m_list->setObjectName(QStringLiteral("historyList"));
    m_list->setModel(m_model);
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setAlternatingRowColors(true);
    m_list->setWordWrap(false);
    m_list->verticalHeader()->hide();
    m_list->verticalHeader()->setDefaultSectionSize(m_list->fontMetrics().height() + 6);
    m_list->horizontalHeader()->setSectionResizeMode(HistoryListModel::Command,
                                                     QHeaderView::Stretch);
    m_list->setColumnWidth(HistoryListModel::Id, 60);
    m_list->setColumnWidth(HistoryListModel::Started, 150);
    m_list->setColumnWidth(HistoryListModel::Jobs, 60);
    m_list->setColumnWidth(HistoryListModel::Succeeded, 60);
    m_list->setColumnWidth(HistoryListModel::Failed, 60);
    m_list->setColumnWidth(HistoryListModel::Wall, 90);
    m_open->setObjectName(QStringLiteral("historyOpen"));
    m_rerun->setObjectName(QStringLiteral("historyRerun"));
    m_rerunFailed->setObjectName(QStringLiteral("historyRerunFailed"));
    m_export->setObjectName(QStringLiteral("historyExport"));
    m_clear->setObjectName(QStringLiteral("historyClear"));
    m_status->setObjectName(QStringLiteral("historyStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_recording->setObjectName(QStringLiteral("historyRecording"));
    m_recording->setWordWrap(true);
    m_recording->setStyleSheet(QStringLiteral("color: #c62828"));
    m_recording->hide();
    m_open->setToolTip(tr("Show the batch's jobs in the table (Enter or double-click)"));
    m_rerun->setToolTip(tr("Run every job of the batch again, as a new batch"));
    m_rerunFailed->setToolTip(tr("Run the jobs that failed or were interrupted again"));
    m_export->setToolTip(tr("Export the batch as a joblog, a results folder, CSV, JSON Lines or "
                            "HTML"));
    m_clear->setToolTip(tr("Delete every finished batch from history"));

    auto *top = new QHBoxLayout;
    top->addWidget(m_search, 1);
    top->addWidget(m_clear);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_open);
    buttons->addWidget(m_rerun);
    buttons->addWidget(m_rerunFailed);
    buttons->addWidget(m_export);
    buttons->addStretch(1);
    buttons->addWidget(m_status);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(top);
    layout->addWidget(m_recording);
    layout->addWidget(m_list, 1);
    layout->addLayout(buttons);

    m_throttle.setSingleShot(true);
    m_throttle.setInterval(500);
    connect(&m_throttle, &QTimer::timeout, this, &HistoryView::refresh);
    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(250);
    connect(&m_searchDelay, &QTimer::timeout, this, &HistoryView::refresh);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_searchDelay.start(); });
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        m_searchDelay.stop();
        refresh();
        focusList();
    });

    auto selected = [this](auto then) {
        return [this, then] {
            if (const qint64 id = selectedBatch())
                then(id);
        };
    };
    connect(m_open, &QPushButton::clicked, this,
            selected([this](qint64 id) { emit openRequested(id); }));
    connect(m_list, &QAbstractItemView::activated, this,
            selected([this](qint64 id) { emit openRequested(id); }));
    connect(m_rerun, &QPushButton::clicked, this,
            selected([this](qint64 id) { emit rerunRequested(id, false); }));
    connect(m_rerunFailed, &QPushButton::clicked, this,
            selected([this](qint64 id) { emit rerunRequested(id, true); }));
    connect(m_export, &QPushButton::clicked, this,
            selected([this](qint64 id) { emit exportRequested(id); }));
    connect(m_clear, &QPushButton::clicked, this, &HistoryView::confirmClear);
    connect(m_list->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &HistoryView::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &HistoryView::updateButtons);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &HistoryView::updateButtons);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &HistoryView::updateButtons);
    setBrowser(nullptr, tr("History is off."));
}

void HistoryView::setBrowser(HistoryBrowser *browser, const QString &why)
{
    if (m_browser)
        disconnect(m_browser, nullptr, this, nullptr);
    m_browser = browser;
    m_listTicket = 0;
    m_clearTicket = 0;
    m_search->setEnabled(browser != nullptr);
    m_model->setBatches({});
    updateButtons();
    if (!browser) {
        showStatus(why, false);
        updateButtons();
        return;
    }
    connect(browser, &HistoryBrowser::batchesListed, this,
            [this](int ticket, const QList<StoredBatchSummary> &batches) {
                if (ticket != m_listTicket)
                    return; // an older search's answer
                m_listTicket = 0;
                const qint64 keep = selectedBatch();
                m_model->setBatches(batches);
                if (keep != 0 && selectedBatch() != keep)
                    selectBatch(keep);
                if (!m_note.isEmpty()) {
                    showStatus(std::exchange(m_note, QString()), false);
                } else if (batches.isEmpty()) {
                    showStatus(m_search->text().isEmpty()
                                   ? tr("No batches yet: every batch you run is kept here.")
                                   : tr("No batch matches \"%1\".").arg(m_search->text()),
                               false);
                } else {
                    showStatus(batches.size() == 1 ? tr("1 batch")
                                                   : tr("%L1 batches").arg(batches.size()),
                               false);
                }
                if (m_again) {
                    m_again = false;
                    scheduleRefresh();
                }
            });
    connect(browser, &HistoryBrowser::cleared, this, [this](int ticket, int batches) {
        if (ticket != m_clearTicket)
            return;
        m_clearTicket = 0;
        m_clear->setEnabled(true);
        m_note = batches == 1 ? tr("Cleared 1 batch.")
                              : tr("Cleared %L1 batches.").arg(batches); // shown with the list
        m_listTicket = 0; // a list asked before the clear is out of date
        refresh();
    });
    connect(browser, &HistoryBrowser::failed, this, [this](int ticket, const QString &message) {
        if (ticket == m_listTicket) {
            // What was listed stays (a locked database is a passing thing);
            // the next refresh tries again.
            m_listTicket = 0;
            m_again = false;
            m_note.clear();
            showStatus(tr("Could not read history: %1").arg(message), true);
        } else if (ticket == m_clearTicket) {
            m_clearTicket = 0;
            m_clear->setEnabled(true);
            showStatus(tr("Could not clear history: %1").arg(message), true);
        }
    });
    refresh();
}

void HistoryView::setRecordingError(const QString &message)
{
    m_recording->setText(tr("Not recording new batches: %1").arg(message));
    m_recording->setVisible(!message.isEmpty());
}

qint64 HistoryView::selectedBatch() const
{
    const QModelIndexList rows = m_list->selectionModel()->selectedRows();
    return rows.isEmpty() ? 0 : rows.first().data(HistoryListModel::BatchIdRole).toLongLong();
}

void HistoryView::selectBatch(qint64 batchId)
{
    const int row = m_model->rowOf(batchId);
    if (row < 0)
        return;
    m_list->selectionModel()->setCurrentIndex(
        m_model->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void HistoryView::refresh()
{
    m_throttle.stop();
    m_stale = false;
    if (!m_browser)
        return;
    // One list at a time for the same search: asked again meanwhile, it
    // lists once more when the answer comes. A new search does not wait
    // (the older answer is dropped).
    const QString search = m_search->text().trimmed();
    if (m_listTicket != 0 && search == m_listedSearch) {
        m_again = true;
        return;
    }
    m_listedSearch = search;
    m_listTicket = m_browser->listBatches(search, kListLimit);
}

void HistoryView::scheduleRefresh()
{
    if (!isVisible()) {
        m_stale = true;
        return;
    }
    if (!m_throttle.isActive())
        m_throttle.start();
}

void HistoryView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_stale)
        refresh();
}

void HistoryView::confirmClear()
{
    if (!m_browser || m_clearTicket != 0)
        return;
    // open(), not exec(): the window goes on while the question shows.
    auto *box =
        new QMessageBox(QMessageBox::Warning, tr("Clear History"),
                        tr("Delete every finished batch from history?"), QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("clearHistoryQuestion"));
    box->setInformativeText(tr("Their jobs, results and output are deleted from %1. Batches "
                               "running now stay. This cannot be undone.")
                                .arg(m_browser->path()));
    QPushButton *yes = box->addButton(tr("Clear History"), QMessageBox::DestructiveRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, yes](QAbstractButton *button) {
        if (button != yes || !m_browser)
            return;
        m_clear->setEnabled(false);
        m_clearTicket = m_browser->clear();
        showStatus(tr("Clearing history…"), false);
    });
    box->open();
}

void HistoryView::focusList()
{
    m_list->setFocus();
    if (!m_list->selectionModel()->hasSelection() && m_model->rowCount() > 0)
        m_list->selectRow(0);
}

void HistoryView::updateButtons()
{
    const int row = m_model->rowOf(selectedBatch());
    const bool has = row >= 0;
    m_open->setEnabled(has);
    m_rerun->setEnabled(has);
    m_export->setEnabled(has);
    m_rerunFailed->setEnabled(has && m_model->batch(row).failedOrInterrupted() > 0);
    m_clear->setEnabled(m_browser != nullptr && m_clearTicket == 0);
}

void HistoryView::showStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #c62828") : QString());
}

} // namespace procdeck
