#include "ui/window/jobfilterbar.h"

#include "app/models/jobfilterproxy.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>

namespace procdeck {

JobFilterBar::JobFilterBar(JobFilterProxy *proxy, QWidget *parent)
    : QWidget(parent)
    , m_proxy(proxy)
    , m_text(new QLineEdit(this))
    , m_status(new QComboBox(this))
    , m_count(new QLabel(this))
{
    setObjectName(QStringLiteral("jobFilterBar"));
    m_text->setObjectName(QStringLiteral("filterEdit"));
    m_text->setPlaceholderText(tr("Filter: text in command or output"));
    m_text->setClearButtonEnabled(true);
    m_text->setToolTip(tr("Show only the jobs whose command or output holds this text, in any "
                          "case; the output searched is the part the output pane keeps "
                          "(Ctrl+L or Ctrl+Shift+F)"));

    using Status = JobFilterProxy::StatusFilter;
    m_status->setObjectName(QStringLiteral("statusFilter"));
    m_status->addItem(tr("All"), int(Status::All));
    m_status->addItem(tr("Running"), int(Status::Running));
    m_status->addItem(tr("Failed"), int(Status::Failed));
    m_status->addItem(tr("Succeeded"), int(Status::Succeeded));
    m_status->addItem(tr("Canceled"), int(Status::Canceled));
    m_status->addItem(tr("Timed out"), int(Status::TimedOut));
    m_status->setToolTip(tr("Show only the jobs in this state"));
    connect(m_status, &QComboBox::currentIndexChanged, this, [this] {
        m_proxy->setStatusFilter(Status(m_status->currentData().toInt()));
        refreshCount();
    });

    m_count->setObjectName(QStringLiteral("filterCount"));
    m_count->hide();

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(150);
    connect(&m_debounce, &QTimer::timeout, this, &JobFilterBar::applyText);
    connect(m_text, &QLineEdit::textChanged, &m_debounce, qOverload<>(&QTimer::start));
    // Enter does not wait for the pause.
    connect(m_text, &QLineEdit::returnPressed, this, &JobFilterBar::applyText);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_count);

    // Any change to what the proxy shows changes the count; counting is
    // cheap (rowCount() of both models).
    connect(proxy, &QAbstractItemModel::rowsInserted, this, &JobFilterBar::refreshCount);
    connect(proxy, &QAbstractItemModel::rowsRemoved, this, &JobFilterBar::refreshCount);
    connect(proxy, &QAbstractItemModel::modelReset, this, &JobFilterBar::refreshCount);
    connect(proxy, &QAbstractItemModel::layoutChanged, this, &JobFilterBar::refreshCount);
    // A filtered-out row added to the source changes M but not the proxy.
    if (proxy->sourceModel())
        connect(proxy->sourceModel(), &QAbstractItemModel::rowsInserted, this,
                &JobFilterBar::refreshCount);
    refreshCount();
}

QString JobFilterBar::countText() const
{
    return m_count->isHidden() ? QString() : m_count->text();
}

void JobFilterBar::focusText()
{
    m_text->setFocus(Qt::ShortcutFocusReason);
    m_text->selectAll();
}

void JobFilterBar::applyText()
{
    m_debounce.stop();
    m_proxy->setTextFilter(m_text->text());
    refreshCount();
}

void JobFilterBar::refreshCount()
{
    const int total = m_proxy->sourceModel() ? m_proxy->sourceModel()->rowCount() : 0;
    m_count->setText(tr("%L1 of %L2 jobs shown").arg(m_proxy->rowCount()).arg(total));
    m_count->setVisible(m_proxy->isFiltering());
}

} // namespace procdeck
