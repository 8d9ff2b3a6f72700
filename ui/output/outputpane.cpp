#include "ui/output/outputpane.h"

#include "app/core/jobresult.h"
#include "app/engine/jobquery.h"
#include "app/output/outputlog.h"

#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextCursor>
#include <QVBoxLayout>

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
    , m_text(new QPlainTextEdit(this))
{
    m_header->setObjectName(QStringLiteral("outputHeader"));
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setObjectName(QStringLiteral("outputText"));
    m_text->setReadOnly(true);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setUndoRedoEnabled(false);
    m_text->setPlaceholderText(tr("Select a job to see its output."));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_header);
    layout->addWidget(m_text, 1);

    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(50);
    connect(&m_refreshTimer, &QTimer::timeout, this, &OutputPane::refresh);
    connect(jobs, &JobQuery::jobOutput, this, &OutputPane::scheduleRefresh);
    connect(jobs, &JobQuery::jobChanged, this, &OutputPane::scheduleRefresh);
    updateHeader();
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
    m_text->clear();
    refresh();
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
        m_text->clear();
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
        m_text->clear();
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
    QTextCharFormat out;
    QTextCharFormat err;
    err.setForeground(kStderrColor);
    log->forEachSegment(m_shownEnd, [&](Stream stream, QStringView text) {
        cursor.insertText(text.toString(), stream == Stream::Stderr ? err : out);
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
        return;
    }
    const OutputLog *log = m_jobs->output(m_job);
    const QString command = m_jobs->spec(m_job).displayCommand();
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
