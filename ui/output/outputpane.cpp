#include "ui/output/outputpane.h"

#include "app/core/jobresult.h"
#include "app/core/rawtext.h"
#include "app/engine/jobquery.h"
#include "app/output/outputlog.h"
#include "ui/output/findbar.h"

#include <QAction>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QShortcut>
#include <QTextBlock>
#include <QTextCursor>
#include <QVBoxLayout>

#include <utility>

namespace procdeck {

namespace {
const QColor kStderrColor(0xc6, 0x28, 0x28);
// What the pane holds at most: enough to read, small enough that showing a
// job with a flood of output never stalls the window. The log keeps more,
// the exports everything.
constexpr qint64 kPaneChars = 100'000;
// While a job floods (more new text than this since the last refresh), each
// refresh shows only its newest this many characters: nobody reads faster,
// and laying out 100,000 characters 20 times a second would hold the
// window. The rest comes back when the job ends.
constexpr qint64 kLiveChars = 16'000;
} // namespace

OutputPane::OutputPane(const JobQuery *jobs, QWidget *parent)
    : QWidget(parent)
    , m_jobs(jobs)
    , m_header(new QLabel(this))
    , m_terminalNote(new QLabel(this))
    , m_text(new QPlainTextEdit(this))
    , m_findBar(new FindBar(m_text, this))
    , m_findAction(new QAction(tr("&Find in Output…"), this))
{
    m_header->setObjectName(QStringLiteral("outputHeader"));
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setObjectName(QStringLiteral("outputText"));
    m_text->setReadOnly(true);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setUndoRedoEnabled(false);
    m_text->setPlaceholderText(tr("Select a job to see its output."));

    m_terminalNote->setObjectName(QStringLiteral("outputTerminalNote"));
    m_terminalNote->setText(
        tr("<i>On a terminal: stdout and stderr are one stream, all shown as stdout.</i>"));
    m_terminalNote->hide();

    m_plain[int(Stream::Stderr)].setForeground(kStderrColor);

    // The pane's own shortcuts: they work wherever the focus is inside it.
    m_findAction->setObjectName(QStringLiteral("findInOutput"));
    m_findAction->setShortcut(QKeySequence::Find);
    m_findAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_findAction, &QAction::triggered, this, &OutputPane::showFindBar);
    addAction(m_findAction);
    for (const auto &[key, next] : {std::pair{QKeySequence(Qt::Key_F3), true},
                                    std::pair{QKeySequence(Qt::SHIFT | Qt::Key_F3), false}}) {
        auto *shortcut = new QShortcut(key, this);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, m_findBar,
                next ? &FindBar::findNext : &FindBar::findPrevious);
    }

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_header);
    layout->addWidget(m_terminalNote);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_findBar);

    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(50);
    connect(&m_refreshTimer, &QTimer::timeout, this, &OutputPane::refresh);
    listenTo(jobs);
    updateHeader();
}

void OutputPane::listenTo(const JobQuery *jobs)
{
    connect(jobs, &JobQuery::jobOutput, this, &OutputPane::scheduleRefresh);
    connect(jobs, &JobQuery::jobChanged, this, &OutputPane::scheduleRefresh);
}

void OutputPane::setJobs(const JobQuery *jobs)
{
    if (jobs == m_jobs)
        return;
    disconnect(m_jobs, nullptr, this, nullptr);
    m_jobs = jobs;
    listenTo(jobs);
    m_refreshTimer.stop();
    m_job = 0; // so that setJob(-1) resets everything
    setJob(-1);
}

void OutputPane::setJob(int index)
{
    if (index == m_job)
        return;
    m_job = index;
    m_shownEnd = 0;
    m_shownStart = 0;
    m_attempt = -1;
    m_log = nullptr;
    clearText();
    refresh();
}

void OutputPane::showFindBar()
{
    m_findBar->open();
}

void OutputPane::clearText()
{
    m_text->clear();
    // The text starts over (maybe mid-stream): so do its styles.
    for (SgrParser &parser : m_styles)
        parser.reset();
}

QTextCharFormat OutputPane::formatFor(Stream stream, const TextStyle &style) const
{
    if (style.isPlain())
        return m_plain[int(stream)];
    const TermColor &fg = style.foreground;
    const TermColor &bg = style.background;
    QColor foreground = fg.isDefault() ? QColor() : QColor::fromRgb(QRgb(fg.rgb()));
    QColor background = bg.isDefault() ? QColor() : QColor::fromRgb(QRgb(bg.rgb()));
    if (!foreground.isValid() && stream == Stream::Stderr)
        foreground = kStderrColor; // stderr stays told apart where no color is set
    if (style.inverse) {
        std::swap(foreground, background);
        if (!foreground.isValid())
            foreground = m_text->palette().color(QPalette::Base);
        if (!background.isValid())
            background = m_text->palette().color(QPalette::Text);
    }
    if (style.faint && !foreground.isValid())
        foreground = m_text->palette().color(QPalette::PlaceholderText);
    QTextCharFormat format;
    if (foreground.isValid())
        format.setForeground(foreground);
    if (background.isValid())
        format.setBackground(background);
    if (style.bold)
        format.setFontWeight(QFont::Bold);
    if (style.italic)
        format.setFontItalic(true);
    if (style.underline)
        format.setFontUnderline(true);
    return format;
}

void OutputPane::scheduleRefresh(int index)
{
    if (index == m_job && !m_refreshTimer.isActive())
        m_refreshTimer.start();
}

void OutputPane::refresh()
{
    updateHeader();
    if (m_job < 0 || m_job >= m_jobs->jobCount())
        return;
    const OutputLog *log = m_jobs->output(m_job);
    const int attempt = m_jobs->attempt(m_job);
    // Another attempt (a retry) or a released log: start over. Keyed on
    // the attempt, not only the log's address: a retry's new log can get
    // the address of the one before.
    if (attempt != m_attempt || log != m_log) {
        m_attempt = attempt;
        m_log = log;
        m_shownEnd = 0;
        m_shownStart = 0;
        clearText();
    }
    if (!log)
        return;
    // Start over from the last kPaneChars (kLiveChars in a flood) when the
    // pane would fall behind the log's tail or grow past twice its bound;
    // otherwise append.
    const bool running = m_jobs->state(m_job) == JobState::Running;
    // (Not on the first look at a job: that shows all the pane can hold.)
    const bool flooding = running && m_shownEnd > 0 && log->displayEnd() - m_shownEnd > kLiveChars;
    const qint64 fullStart = qMax(log->displayStart(), log->displayEnd() - kPaneChars);
    const qint64 start = flooding ? qMax(fullStart, log->displayEnd() - kLiveChars) : fullStart;
    const bool refill = !running && m_shownStart > fullStart; // once, after a flood
    if (log->displayEnd() == m_shownEnd && !refill)
        return;
    if (m_shownEnd < start || refill ||
        m_text->document()->characterCount() + (log->displayEnd() - m_shownEnd) > 2 * kPaneChars) {
        clearText();
        m_shownEnd = start;
        m_shownStart = start;
    }
    QScrollBar *bar = m_text->verticalScrollBar();
    const bool following = bar->value() == bar->maximum();

    QTextCursor cursor(m_text->document());
    cursor.movePosition(QTextCursor::End);
    cursor.beginEditBlock();
    if (m_text->document()->isEmpty() && m_shownEnd > 0) {
        QTextCharFormat note;
        note.setForeground(Qt::gray);
        cursor.insertText(
            tr("[%L1 earlier characters not shown here; File > Export keeps every byte]\n")
                .arg(m_shownEnd),
            note);
    }
    log->forEachSegment(m_shownEnd, [&](Stream stream, QStringView text) {
        m_styles[int(stream)].feed(text, [&](QStringView run, const TextStyle &style) {
            cursor.insertText(run.toString(), formatFor(stream, style));
        });
    });
    cursor.endEditBlock();
    m_shownEnd = log->displayEnd();
    if (following)
        bar->setValue(bar->maximum());
}

void OutputPane::updateHeader()
{
    if (m_job < 0 || m_job >= m_jobs->jobCount()) {
        m_header->setText(tr("Output"));
        m_terminalNote->hide();
        return;
    }
    m_terminalNote->setVisible(m_jobs->spec(m_job).usePty);
    const OutputLog *log = m_jobs->output(m_job);
    const QString command = RawText::forDisplay(m_jobs->spec(m_job).displayCommand());
    const qint64 outBytes = log ? log->byteCount(Stream::Stdout) : 0;
    const qint64 errBytes = log ? log->byteCount(Stream::Stderr) : 0;
    // Counts first: a long command must not push them out of sight.
    const QString elided = m_header->fontMetrics().elidedText(command, Qt::ElideMiddle,
                                                              qMax(200, m_header->width() - 420));
    m_header->setText(tr("Job %1 · stdout %L2 bytes · <span style=\"color:#c62828\">stderr %L3 "
                         "bytes</span> · <b>%4</b>")
                          .arg(m_job + 1)
                          .arg(outBytes)
                          .arg(errBytes)
                          .arg(elided.toHtmlEscaped()));
    m_header->setToolTip(command);
}

QString OutputPane::text() const
{
    return m_text->toPlainText();
}

QString OutputPane::stderrText() const
{
    QString result;
    for (QTextBlock block = m_text->document()->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (fragment.charFormat().foreground().color() == kStderrColor)
                result += fragment.text();
        }
    }
    return result;
}

} // namespace procdeck
