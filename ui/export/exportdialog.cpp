#include "ui/export/exportdialog.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QToolButton>
#include <QVBoxLayout>

namespace procdeck {

ExportDialog::ExportDialog(QWidget *parent)
    : QDialog(parent)
    , m_format(new QComboBox(this))
    , m_scopes(new QButtonGroup(this))
    , m_all(new QRadioButton(this))
    , m_batch(new QRadioButton(this))
    , m_selected(new QRadioButton(this))
    , m_path(new QLineEdit(this))
    , m_error(new QLabel(this))
{
    setWindowTitle(tr("Export"));
    m_format->setObjectName(QStringLiteral("exportFormat"));
    for (ExportFormat f : LogExporter::all())
        m_format->addItem(LogExporter::name(f), int(f));
    m_scopes->addButton(m_all, AllJobs);
    m_scopes->addButton(m_batch, ShownBatch);
    m_scopes->addButton(m_selected, SelectedRows);
    m_path->setObjectName(QStringLiteral("exportPath"));
    m_error->setObjectName(QStringLiteral("exportError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_error->hide();

    auto *browseButton = new QToolButton(this);
    browseButton->setText(QStringLiteral("…"));
    connect(browseButton, &QToolButton::clicked, this, &ExportDialog::browse);
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browseButton);

    auto *scopeBox = new QVBoxLayout;
    scopeBox->addWidget(m_all);
    scopeBox->addWidget(m_batch);
    scopeBox->addWidget(m_selected);

    auto *form = new QFormLayout;
    form->addRow(tr("&Format:"), m_format);
    form->addRow(tr("Jobs:"), scopeBox);
    form->addRow(tr("&Save to:"), pathRow);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton *exportButton = buttons->addButton(tr("&Export"), QDialogButtonBox::AcceptRole);
    exportButton->setObjectName(QStringLiteral("exportButton"));
    exportButton->setDefault(true);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(exportButton, &QPushButton::clicked, this, [this, exportButton] {
        m_error->hide();
        // One export at a time: from history it is written on another
        // thread, and finish() comes later.
        exportButton->setEnabled(false);
        exportButton->setText(tr("Exporting…"));
        emit exportRequested();
    });

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);

    // The last choices, so a repeated export is one click.
    QSettings settings;
    const int format =
        settings.value(QStringLiteral("export/format"), int(ExportFormat::Joblog)).toInt();
    setFormat(ExportFormat(format));
    m_path->setText(settings.value(QStringLiteral("export/path/%1").arg(format)).toString());
    connect(m_format, &QComboBox::currentIndexChanged, this, [this] {
        m_path->setText(QSettings()
                            .value(QStringLiteral("export/path/%1").arg(int(this->format())))
                            .toString());
    });
    m_scopes->button(QSettings().value(QStringLiteral("export/scope"), AllJobs).toInt())
        ->setChecked(true);
}

void ExportDialog::setScopes(const QList<int> &all, const QList<int> &batch, int batchId,
                             const QList<int> &selected)
{
    m_jobs[AllJobs] = all;
    m_jobs[ShownBatch] = batch;
    m_jobs[SelectedRows] = selected;
    m_all->setText(tr("All jobs (%L1)").arg(all.size()));
    m_batch->setText(batchId > 0 ? tr("Batch %1 (%L2 jobs)").arg(batchId).arg(batch.size())
                                 : tr("The shown batch (show one batch first)"));
    m_selected->setText(tr("Selected rows (%L1)").arg(selected.size()));
    for (int s : {AllJobs, ShownBatch, SelectedRows})
        m_scopes->button(s)->setEnabled(!m_jobs[s].isEmpty());
    if (!m_scopes->checkedButton() || !m_scopes->checkedButton()->isEnabled())
        m_all->setChecked(true);
}

ExportFormat ExportDialog::format() const
{
    return ExportFormat(m_format->currentData().toInt());
}

void ExportDialog::setFormat(ExportFormat format)
{
    m_format->setCurrentIndex(qMax(0, m_format->findData(int(format))));
}

ExportDialog::Scope ExportDialog::scope() const
{
    return Scope(qMax(0, m_scopes->checkedId()));
}

void ExportDialog::setScope(Scope scope)
{
    m_scopes->button(scope)->setChecked(true);
}

QString ExportDialog::path() const
{
    return m_path->text().trimmed();
}

void ExportDialog::setPath(const QString &path)
{
    m_path->setText(path);
}

QList<int> ExportDialog::jobs() const
{
    return m_jobs[scope()];
}

QString ExportDialog::errorText() const
{
    return m_error->isVisible() || !m_error->text().isEmpty() ? m_error->text() : QString();
}

void ExportDialog::browse()
{
    const ExportFormat f = format();
    auto *dialog = new QFileDialog(this, tr("Export to"), path(), LogExporter::fileFilter(f));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (f == ExportFormat::ResultsFolder) {
        dialog->setFileMode(QFileDialog::Directory);
    } else {
        dialog->setAcceptMode(QFileDialog::AcceptSave);
        dialog->setDefaultSuffix(LogExporter::defaultSuffix(f));
    }
    connect(dialog, &QFileDialog::fileSelected, m_path, &QLineEdit::setText);
    dialog->open();
}

void ExportDialog::rememberChoices() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("export/format"), int(format()));
    settings.setValue(QStringLiteral("export/scope"), int(scope()));
    settings.setValue(QStringLiteral("export/path/%1").arg(int(format())), path());
}

void ExportDialog::finish(bool ok, const QString &message)
{
    if (ok) {
        rememberChoices();
        m_error->clear();
        accept();
        return;
    }
    m_error->setText(message);
    m_error->show();
    if (auto *button = findChild<QPushButton *>(QStringLiteral("exportButton"))) {
        button->setEnabled(true);
        button->setText(tr("&Export"));
    }
}

} // namespace procdeck
