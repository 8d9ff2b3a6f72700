#include "ui/launch/launchpanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QTimer>

#include "app/batch/inputsources.h"
#include "app/core/jobresult.h"
#include "app/core/rawtext.h"
#include "app/core/shellquote.h"
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSpinBox>
#include <QThread>
#include <QToolButton>
#include <QVBoxLayout>

namespace procdeck {

static QString typedArgumentsHint()
{
    return LaunchPanel::tr("One argument per line.\nEach line becomes one job, with the "
                           "argument appended to the command.");
}

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
    , m_timeout(new QDoubleSpinBox(this))
    , m_attempts(new QSpinBox(this))
    , m_stdinMode(new QComboBox(this))
    , m_stdinText(new QLineEdit(this))
    , m_environment(new QLineEdit(this))
    , m_rangeFrom(new QSpinBox(this))
    , m_rangeTo(new QSpinBox(this))
    , m_preview(new QPlainTextEdit(this))
    , m_previewTimer(new QTimer(this))
    , m_error(new QLabel(this))
    , m_run(new QPushButton(tr("&Run"), this))
{
    m_command->setObjectName(QStringLiteral("commandEdit"));
    m_command->setPlaceholderText(tr("e.g. sleep 0.1, or gzip -k {}"));
    m_command->setToolTip(
        tr("A command template, as in GNU parallel: {} is the argument, {.} without "
           "extension, {/} its basename, {//} its directory, {/.} basename without "
           "extension, {#} the job number, {%} the slot. Without any, the argument is "
           "appended."));
    m_command->setClearButtonEnabled(true);

    m_times->setObjectName(QStringLiteral("timesSpin"));
    m_times->setRange(1, 10'000'000);
    m_times->setValue(1);
    m_times->setToolTip(tr("How many times to run the command when no arguments are listed"));

    m_arguments->setObjectName(QStringLiteral("argumentsEdit"));
    m_arguments->setPlaceholderText(typedArgumentsHint());
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

    m_timeout->setObjectName(QStringLiteral("timeoutSpin"));
    m_timeout->setRange(0, 7 * 24 * 3600);
    m_timeout->setDecimals(1);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setSpecialValueText(tr("None"));
    m_timeout->setToolTip(tr("Stop a job (its whole process group) after this long"));

    m_attempts->setObjectName(QStringLiteral("attemptsSpin"));
    m_attempts->setRange(1, 100);
    m_attempts->setToolTip(tr("Tries in all before a failing job counts as failed (--retries)"));

    m_stdinMode->setObjectName(QStringLiteral("stdinMode"));
    m_stdinMode->addItem(tr("None"), int(BatchRequest::Stdin::None));
    m_stdinMode->addItem(tr("Text"), int(BatchRequest::Stdin::Text));
    m_stdinMode->addItem(tr("File"), int(BatchRequest::Stdin::File));
    m_stdinMode->setToolTip(
        tr("What each job reads on stdin: nothing (/dev/null), this text, or this file"));
    m_stdinText->setObjectName(QStringLiteral("stdinText"));
    m_stdinText->setEnabled(false);
    connect(m_stdinMode, &QComboBox::currentIndexChanged, this, [this] {
        const auto mode = BatchRequest::Stdin(m_stdinMode->currentData().toInt());
        m_stdinText->setEnabled(mode != BatchRequest::Stdin::None);
        m_stdinText->setPlaceholderText(mode == BatchRequest::Stdin::File ? tr("path of a file")
                                                                          : tr("text"));
    });
    auto *stdinRow = new QHBoxLayout;
    stdinRow->setContentsMargins(0, 0, 0, 0);
    stdinRow->addWidget(m_stdinMode);
    stdinRow->addWidget(m_stdinText, 1);

    m_environment->setObjectName(QStringLiteral("environmentEdit"));
    m_environment->setPlaceholderText(tr("KEY=VALUE KEY2=VALUE"));
    m_environment->setToolTip(tr("Variables added to each job's environment, separated by spaces "
                                 "(quote a value that holds spaces)"));

    // Arguments: load a file, or fill a numeric range.
    auto *load = new QToolButton(this);
    load->setText(tr("Load…"));
    load->setToolTip(tr("Load arguments from a file, one per line"));
    connect(load, &QToolButton::clicked, this, &LaunchPanel::loadArgumentFile);
    m_clearFile = new QToolButton(this);
    m_clearFile->setObjectName(QStringLiteral("clearArgumentFile"));
    m_clearFile->setText(tr("Type instead"));
    m_clearFile->setToolTip(tr("Forget the loaded file and type the arguments"));
    m_clearFile->hide();
    connect(m_clearFile, &QToolButton::clicked, this, &LaunchPanel::clearArgumentFile);
    m_rangeFrom->setObjectName(QStringLiteral("rangeFrom"));
    m_rangeTo->setObjectName(QStringLiteral("rangeTo"));
    for (QSpinBox *box : {m_rangeFrom, m_rangeTo})
        box->setRange(-1'000'000'000, 1'000'000'000);
    for (QSpinBox *box : {m_rangeFrom, m_rangeTo})
        box->setMaximumWidth(box->fontMetrics().horizontalAdvance(QStringLiteral("0000000")) + 30);
    m_rangeFrom->setValue(1);
    m_rangeTo->setValue(10);
    auto *fill = new QToolButton(this);
    fill->setObjectName(QStringLiteral("fillRange"));
    fill->setText(tr("Fill"));
    fill->setToolTip(tr("Replace the arguments with the numbers from..to"));
    connect(fill, &QToolButton::clicked, this, &LaunchPanel::fillRange);
    auto *argsTools = new QHBoxLayout;
    argsTools->setContentsMargins(0, 0, 0, 0);
    argsTools->addWidget(load);
    argsTools->addWidget(m_clearFile);
    argsTools->addStretch(1);
    argsTools->addWidget(new QLabel(tr("Range"), this));
    argsTools->addWidget(m_rangeFrom);
    argsTools->addWidget(new QLabel(QStringLiteral(".."), this));
    argsTools->addWidget(m_rangeTo);
    argsTools->addWidget(fill);

    m_preview->setObjectName(QStringLiteral("previewText"));
    m_preview->setReadOnly(true);
    m_preview->setLineWrapMode(QPlainTextEdit::NoWrap);
    // Five lines plus room for the horizontal scroll bar.
    m_preview->setFixedHeight(m_preview->fontMetrics().lineSpacing() * 5 +
                              2 * m_preview->frameWidth() + 8 +
                              m_preview->horizontalScrollBar()->sizeHint().height());
    m_preview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_preview->setToolTip(
        tr("The first commands the batch will run; nothing runs until you press Run"));
    m_previewTimer->setSingleShot(true);
    m_previewTimer->setInterval(150);
    connect(m_previewTimer, &QTimer::timeout, this, &LaunchPanel::updatePreview);

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
    form->addRow(tr("&Timeout:"), m_timeout);
    form->addRow(tr("R&etries:"), m_attempts);
    auto *stdinLabel = new QLabel(tr("&Stdin:"), this);
    stdinLabel->setBuddy(m_stdinMode);
    form->addRow(stdinLabel, stdinRow);
    form->addRow(tr("&Environment:"), m_environment);
    m_usePty = new QCheckBox(tr("Run on a ter&minal (colors; stdout and stderr merge)"), this);
    m_usePty->setObjectName(QStringLiteral("usePty"));
    m_usePty->setToolTip(
        tr("Each job gets a pseudo-terminal instead of pipes, so programs print colors and "
           "progress as in a terminal window. Its stdout and stderr then become one stream: "
           "all of it shows and is saved as stdout."));
    form->addRow(QString(), m_usePty);

    auto *argsLabel = new QLabel(tr("&Arguments (one per line):"), this);
    argsLabel->setBuddy(m_arguments);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(argsLabel);
    layout->addWidget(m_arguments, 1);
    layout->addLayout(argsTools);
    layout->addWidget(m_jobCount);
    layout->addWidget(new QLabel(tr("Preview:"), this));
    layout->addWidget(m_preview);
    layout->addWidget(m_error);
    layout->addWidget(m_run);

    connect(m_run, &QPushButton::clicked, this, &LaunchPanel::runRequested);
    connect(m_command, &QLineEdit::returnPressed, this, &LaunchPanel::runRequested);
    connect(m_parallel, &QSpinBox::valueChanged, this, &LaunchPanel::parallelJobsChanged);
    // Counting re-reads every argument: on the preview's short timer, not per key.
    connect(m_previewTimer, &QTimer::timeout, this, &LaunchPanel::updateJobCount);
    connect(m_command, &QLineEdit::textEdited, this, [this] { showError(QString()); });
    for (QLineEdit *edit : {m_command, m_workingDirectory, m_stdinText, m_environment})
        connect(edit, &QLineEdit::textChanged, m_previewTimer, qOverload<>(&QTimer::start));
    connect(m_arguments, &QPlainTextEdit::textChanged, m_previewTimer, qOverload<>(&QTimer::start));
    connect(m_times, &QSpinBox::valueChanged, m_previewTimer, qOverload<>(&QTimer::start));
    updateJobCount();
    updatePreview();
}

BatchRequest LaunchPanel::request() const
{
    BatchRequest r;
    // Blanks around the command are the form's, not the command's.
    r.command = m_command->text().trimmed();
    if (m_argumentFile.isEmpty()) {
        r.setArguments(arguments());
    } else {
        r.argumentsFile = m_argumentFile;
        r.setArguments(m_fileHead);
    }
    r.times = m_times->value();
    r.workingDirectory = m_workingDirectory->text().trimmed();
    r.timeoutMs = int(m_timeout->value() * 1000);
    r.attempts = m_attempts->value();
    r.environment = splitWords(m_environment->text());
    r.stdinMode = BatchRequest::Stdin(m_stdinMode->currentData().toInt());
    r.stdinText = r.stdinMode == BatchRequest::Stdin::File ? m_stdinText->text().trimmed()
                                                           : m_stdinText->text();
    r.usePty = m_usePty->isChecked();
    return r;
}

void LaunchPanel::updatePreview()
{
    const BatchRequest r = request();
    const int shown = 4; // and a fifth line saying how many more
    if (r.command.trimmed().isEmpty()) {
        m_preview->setPlainText(QString());
        return;
    }
    const Expected<QStringList> commands = JobBuilder::preview(r, shown);
    if (!commands) {
        m_preview->setPlainText(asSentence(commands.error()));
        return;
    }
    QString text = commands->join(QLatin1Char('\n'));
    const qsizetype total = JobBuilder::jobCount(r);
    if (!r.argumentsFile.isEmpty())
        text += tr("\n… and one for each further line of the file");
    else if (total > shown)
        text += tr("\n… and %L1 more").arg(total - shown);
    m_preview->setPlainText(text);
}

void LaunchPanel::loadArgumentFile()
{
    auto *dialog = new QFileDialog(this, tr("Load arguments"));
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, &LaunchPanel::loadArguments);
    dialog->open();
}

bool LaunchPanel::loadArguments(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        showError(tr("Could not read %1: %2").arg(path, file.errorString()));
        return false;
    }
    showError(QString());
    if (file.size() <= pasteLimitBytes) {
        clearArgumentFile();
        showArguments(InputSources::splitLines(file.readAll()));
        return true;
    }
    // The first lines are enough for the preview; the batch reads the rest
    // as it runs.
    QByteArray head = file.read(64 * 1024);
    head.truncate(head.lastIndexOf('\n') + 1);
    m_fileHead = InputSources::splitLines(head);
    m_fileHead.removeAll(QString());
    m_fileHead = m_fileHead.mid(0, 5);
    m_argumentFile = path;
    m_argumentFileBytes = file.size();
    m_arguments->clear();
    m_arguments->setEnabled(false);
    m_arguments->setPlaceholderText(
        tr("The lines of %1 (%2), read as the batch runs: one job each")
            .arg(QDir::toNativeSeparators(path), formatBytes(m_argumentFileBytes)));
    m_clearFile->show();
    updateJobCount();
    updatePreview();
    return true;
}

void LaunchPanel::clearArgumentFile()
{
    if (m_argumentFile.isEmpty())
        return;
    m_argumentFile.clear();
    m_fileHead.clear();
    m_arguments->setEnabled(true);
    m_arguments->setPlaceholderText(typedArgumentsHint());
    m_clearFile->hide();
    updateJobCount();
    updatePreview();
}

void LaunchPanel::showArguments(QStringList values)
{
    values.removeAll(QString()); // as the box's empty lines are no arguments
    m_shownArguments = RawText::forDisplay(values.join(QLatin1Char('\n')));
    m_exactArguments = RawText::hasEscapes(values) ? values : QStringList();
    m_arguments->setPlainText(m_shownArguments);
}

QStringList LaunchPanel::arguments() const
{
    const QString text = m_arguments->toPlainText();
    if (!m_exactArguments.isEmpty() && text == m_shownArguments)
        return m_exactArguments;
    return nonEmptyLines(text);
}

void LaunchPanel::fillRange()
{
    clearArgumentFile(); // the range replaces the arguments, a loaded file's too
    const int from = m_rangeFrom->value();
    const int to = m_rangeTo->value();
    if (qAbs(qint64(to) - from) >= 1'000'000) {
        showError(tr("A range holds at most 1,000,000 numbers."));
        return;
    }
    QStringList numbers;
    const int step = from <= to ? 1 : -1;
    for (qint64 n = from; n != qint64(to) + step; n += step)
        numbers << QString::number(n);
    m_arguments->setPlainText(numbers.join(QLatin1Char('\n')));
}

void LaunchPanel::setRequest(const BatchRequest &request)
{
    clearArgumentFile();
    m_timeout->setValue(request.timeoutMs / 1000.0);
    m_attempts->setValue(request.attempts);
    m_environment->setText(shellJoin(request.environment));
    m_stdinMode->setCurrentIndex(m_stdinMode->findData(int(request.stdinMode)));
    m_stdinText->setText(request.stdinText);
    m_command->setText(request.command);
    showArguments(request.arguments());
    m_times->setValue(request.times);
    m_workingDirectory->setText(request.workingDirectory);
    m_usePty->setChecked(request.usePty);
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

QString LaunchPanel::asSentence(QString message)
{
    if (message.isEmpty())
        return message;
    message[0] = message.at(0).toUpper();
    if (!message.endsWith(QLatin1Char('.')))
        message += QLatin1Char('.');
    return message;
}

QString LaunchPanel::errorText() const
{
    return m_error->text();
}

void LaunchPanel::updateJobCount()
{
    if (!m_argumentFile.isEmpty()) {
        m_times->setEnabled(false);
        m_jobCount->setText(
            tr("One job per line of the file (%1)").arg(formatBytes(m_argumentFileBytes)));
        return;
    }
    const int args = int(nonEmptyLines(m_arguments->toPlainText()).size());
    m_times->setEnabled(args == 0);
    const int jobs = args > 0 ? args : m_times->value();
    const QString count = jobs == 1 ? tr("1 job") : tr("%L1 jobs").arg(jobs);
    m_jobCount->setText(args > 0 ? tr("%1, one per argument").arg(count) : count);
}

} // namespace procdeck
