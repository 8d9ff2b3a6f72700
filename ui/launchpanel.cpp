#include "launchpanel.h"

#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>
#include <QToolButton>
#include <QVBoxLayout>

namespace procdeck {

static QStringList nonEmptyLines(const QString &text)
{
    QStringList lines = text.split(QLatin1Char('\n'));
    for (QString &line : lines) {
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
    }
    lines.removeAll(QString());
    return lines;
}

LaunchPanel::LaunchPanel(QWidget *parent)
    : QWidget(parent)
    , m_command(new QLineEdit(this))
    , m_times(new QSpinBox(this))
    , m_arguments(new QPlainTextEdit(this))
    , m_jobCount(new QLabel(this))
    , m_parallel(new QSpinBox(this))
    , m_workingDirectory(new QLineEdit(this))
    , m_error(new QLabel(this))
    , m_run(new QPushButton(tr("&Run"), this))
{
    m_command->setObjectName(QStringLiteral("commandEdit"));
    m_command->setPlaceholderText(tr("e.g. sleep 0.1"));
    m_command->setClearButtonEnabled(true);

    m_times->setObjectName(QStringLiteral("timesSpin"));
    m_times->setRange(1, 10'000'000);
    m_times->setValue(1);
    m_times->setToolTip(tr("How many times to run the command when no arguments are listed"));

    m_arguments->setObjectName(QStringLiteral("argumentsEdit"));
    m_arguments->setPlaceholderText(
        tr("One argument per line.\nEach line becomes one job, with the "
           "argument appended to the command."));
    m_arguments->setTabChangesFocus(true);
    m_arguments->setLineWrapMode(QPlainTextEdit::NoWrap);

    m_jobCount->setObjectName(QStringLiteral("jobCountLabel"));

    m_parallel->setObjectName(QStringLiteral("parallelSpin"));
    m_parallel->setRange(0, 4096);
    m_parallel->setSpecialValueText(tr("No limit"));
    m_parallel->setValue(qMax(1, QThread::idealThreadCount()));
    m_parallel->setToolTip(
        tr("How many jobs run at once; takes effect at once, also while a batch runs"));

    m_workingDirectory->setObjectName(QStringLiteral("workingDirectoryEdit"));
    m_workingDirectory->setPlaceholderText(tr("current directory"));
    auto *browse = new QToolButton(this);
    browse->setText(QStringLiteral("…"));
    browse->setToolTip(tr("Choose the working directory"));
    connect(browse, &QToolButton::clicked, this, [this] {
        // The non-static dialog opened with open() does not block the loop.
        auto *dialog = new QFileDialog(this, tr("Working directory"), m_workingDirectory->text());
        dialog->setFileMode(QFileDialog::Directory);
        dialog->setOption(QFileDialog::ShowDirsOnly);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QFileDialog::fileSelected, m_workingDirectory, &QLineEdit::setText);
        dialog->open();
    });
    auto *dirRow = new QHBoxLayout;
    dirRow->setContentsMargins(0, 0, 0, 0);
    dirRow->addWidget(m_workingDirectory);
    dirRow->addWidget(browse);

    m_error->setObjectName(QStringLiteral("errorLabel"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_error->hide();

    m_run->setObjectName(QStringLiteral("runButton"));
    m_run->setDefault(true);
    m_run->setToolTip(tr("Run the batch (Ctrl+Return)"));

    auto *form = new QFormLayout;
    form->addRow(tr("&Command:"), m_command);
    form->addRow(tr("R&uns:"), m_times);
    form->addRow(tr("&Parallel jobs:"), m_parallel);
    auto *dirLabel = new QLabel(tr("&Directory:"), this);
    dirLabel->setBuddy(m_workingDirectory);
    form->addRow(dirLabel, dirRow);

    auto *argsLabel = new QLabel(tr("&Arguments (one per line):"), this);
    argsLabel->setBuddy(m_arguments);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(argsLabel);
    layout->addWidget(m_arguments, 1);
    layout->addWidget(m_jobCount);
    layout->addWidget(m_error);
    layout->addWidget(m_run);

    connect(m_run, &QPushButton::clicked, this, &LaunchPanel::runRequested);
    connect(m_command, &QLineEdit::returnPressed, this, &LaunchPanel::runRequested);
    connect(m_parallel, &QSpinBox::valueChanged, this, &LaunchPanel::parallelJobsChanged);
    connect(m_arguments, &QPlainTextEdit::textChanged, this, &LaunchPanel::updateJobCount);
    connect(m_times, &QSpinBox::valueChanged, this, &LaunchPanel::updateJobCount);
    connect(m_command, &QLineEdit::textEdited, this, [this] { showError(QString()); });
    updateJobCount();
}

BatchRequest LaunchPanel::request() const
{
    BatchRequest r;
    r.command = m_command->text();
    r.arguments = nonEmptyLines(m_arguments->toPlainText());
    r.times = m_times->value();
    r.workingDirectory = m_workingDirectory->text().trimmed();
    return r;
}

void LaunchPanel::setRequest(const BatchRequest &request)
{
    m_command->setText(request.command);
    m_arguments->setPlainText(request.arguments.join(QLatin1Char('\n')));
    m_times->setValue(request.times);
    m_workingDirectory->setText(request.workingDirectory);
    showError(QString());
}

int LaunchPanel::parallelJobs() const
{
    return m_parallel->value();
}

void LaunchPanel::setParallelJobs(int jobs)
{
    m_parallel->setValue(jobs);
}

void LaunchPanel::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

QString LaunchPanel::errorText() const
{
    return m_error->text();
}

void LaunchPanel::updateJobCount()
{
    const int args = int(nonEmptyLines(m_arguments->toPlainText()).size());
    m_times->setEnabled(args == 0);
    const int jobs = args > 0 ? args : m_times->value();
    const QString count = jobs == 1 ? tr("1 job") : tr("%L1 jobs").arg(jobs);
    m_jobCount->setText(args > 0 ? tr("%1, one per argument").arg(count) : count);
}

} // namespace procdeck
