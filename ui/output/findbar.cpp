#include "ui/output/findbar.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QShortcut>
#include <QTextBlock>
#include <QToolButton>

namespace procdeck {

namespace {
const QColor kMatchColor(0xff, 0xf1, 0x76);   // every match
const QColor kCurrentColor(0xff, 0x98, 0x00); // the one the arrows are on
} // namespace

FindBar::FindBar(QPlainTextEdit *text, QWidget *parent)
    : QWidget(parent)
    , m_text(text)
    , m_query(new QLineEdit(this))
    , m_previous(new QToolButton(this))
    , m_next(new QToolButton(this))
    , m_matchCase(new QCheckBox(tr("Match &case"), this))
    , m_status(new QLabel(this))
    , m_close(new QToolButton(this))
{
    setObjectName(QStringLiteral("findBar"));
    m_query->setObjectName(QStringLiteral("findQuery"));
    m_query->setPlaceholderText(tr("Find in output"));
    m_query->setClearButtonEnabled(true);
    m_query->installEventFilter(this);
    m_previous->setObjectName(QStringLiteral("findPrevious"));
    m_previous->setArrowType(Qt::UpArrow);
    m_previous->setToolTip(tr("Previous match (Shift+Enter, Shift+F3)"));
    m_next->setObjectName(QStringLiteral("findNext"));
    m_next->setArrowType(Qt::DownArrow);
    m_next->setToolTip(tr("Next match (Enter, F3)"));
    m_matchCase->setObjectName(QStringLiteral("findMatchCase"));
    m_status->setObjectName(QStringLiteral("findStatus"));
    m_status->setMinimumWidth(m_status->fontMetrics().horizontalAdvance(tr("No matches")) + 8);
    m_close->setObjectName(QStringLiteral("findClose"));
    m_close->setText(QStringLiteral("✕"));
    m_close->setAutoRaise(true);
    m_close->setToolTip(tr("Close (Esc)"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 2, 0, 2);
    layout->addWidget(m_query, 1);
    layout->addWidget(m_previous);
    layout->addWidget(m_next);
    layout->addWidget(m_status);
    layout->addWidget(m_matchCase);
    layout->addWidget(m_close);

    // Typing shows the match as it goes; a search for live output does not
    // move the view.
    auto searchAndShow = [this] {
        search();
        if (m_current >= 0)
            showCurrent();
    };
    connect(m_query, &QLineEdit::textChanged, this, searchAndShow);
    connect(m_matchCase, &QCheckBox::toggled, this, searchAndShow);
    connect(m_previous, &QToolButton::clicked, this, &FindBar::findPrevious);
    connect(m_next, &QToolButton::clicked, this, &FindBar::findNext);
    connect(m_close, &QToolButton::clicked, this, &FindBar::dismiss);
    auto *escape = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    escape->setContext(Qt::WidgetWithChildrenShortcut);
    connect(escape, &QShortcut::activated, this, &FindBar::dismiss);

    // Live output: search again after the text changes, at most every
    // 200 ms however fast it grows, and only while the bar is open.
    m_researchTimer.setSingleShot(true);
    m_researchTimer.setInterval(200);
    connect(&m_researchTimer, &QTimer::timeout, this, &FindBar::search);
    connect(m_text, &QPlainTextEdit::textChanged, this, [this] {
        if (!isHidden() && !m_query->text().isEmpty() && !m_researchTimer.isActive())
            m_researchTimer.start();
    });
    hide();
    updateStatus();
}

void FindBar::open()
{
    // A selection on one line is what to look for.
    const QString selected = m_text->textCursor().selectedText();
    if (!selected.isEmpty() && !selected.contains(QChar::ParagraphSeparator))
        m_query->setText(selected);
    show();
    m_query->setFocus(Qt::ShortcutFocusReason);
    m_query->selectAll();
    search();
    if (m_current >= 0)
        showCurrent();
}

QString FindBar::query() const
{
    return m_query->text();
}

void FindBar::setQuery(const QString &query)
{
    m_query->setText(query);
}

void FindBar::setCaseSensitive(bool on)
{
    m_matchCase->setChecked(on);
}

QString FindBar::statusText() const
{
    return m_status->text();
}

void FindBar::findNext()
{
    move(1);
}

void FindBar::findPrevious()
{
    move(-1);
}

void FindBar::dismiss()
{
    m_researchTimer.stop();
    hide();
    m_text->setExtraSelections({});
    m_text->setFocus(Qt::OtherFocusReason);
}

bool FindBar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_query && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            move(key->modifiers() & Qt::ShiftModifier ? -1 : 1);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void FindBar::search()
{
    m_researchTimer.stop();
    const QString query = m_query->text();
    // Keep the place: the match the arrows were on, or else the first one
    // from the top of what is in view.
    const int from = !m_currentCursor.isNull() ? m_currentCursor.selectionStart()
                                               : m_text->cursorForPosition(QPoint(0, 0)).position();
    m_matches.clear();
    m_current = -1;
    m_capped = false;
    m_matchLength = int(query.size());
    if (!query.isEmpty() && !isHidden()) {
        const QString text = m_text->toPlainText(); // one offset per document position
        const Qt::CaseSensitivity cs =
            m_matchCase->isChecked() ? Qt::CaseSensitive : Qt::CaseInsensitive;
        for (qsizetype at = text.indexOf(query, 0, cs); at >= 0;
             at = text.indexOf(query, at + query.size(), cs)) {
            if (m_matches.size() == kMaxMatches) {
                m_capped = true;
                break;
            }
            m_matches.append(int(at));
            if (m_current < 0 && at >= from)
                m_current = int(m_matches.size() - 1);
        }
        if (m_current < 0 && !m_matches.isEmpty())
            m_current = 0;
    }
    if (m_current >= 0) {
        m_currentCursor = QTextCursor(m_text->document());
        m_currentCursor.setPosition(m_matches.at(m_current));
        m_currentCursor.setPosition(m_matches.at(m_current) + m_matchLength,
                                    QTextCursor::KeepAnchor);
    } else {
        m_currentCursor = QTextCursor();
    }
    updateHighlights();
    updateStatus();
}

void FindBar::move(int step)
{
    if (isHidden() || m_query->text().isEmpty()) {
        open();
        return;
    }
    if (m_researchTimer.isActive())
        search(); // the text changed since
    if (m_matches.isEmpty())
        return;
    const int count = int(m_matches.size());
    m_current = ((m_current + step) % count + count) % count; // wraps around
    m_currentCursor = QTextCursor(m_text->document());
    m_currentCursor.setPosition(m_matches.at(m_current));
    m_currentCursor.setPosition(m_matches.at(m_current) + m_matchLength, QTextCursor::KeepAnchor);
    showCurrent();
    updateHighlights();
    updateStatus();
}

void FindBar::showCurrent()
{
    // The edit's cursor on the match, without selecting it: the current
    // match's own color stays visible.
    QTextCursor cursor(m_text->document());
    cursor.setPosition(m_currentCursor.selectionEnd());
    m_text->setTextCursor(cursor);
    m_text->ensureCursorVisible();
    cursor.setPosition(m_currentCursor.selectionStart());
    m_text->setTextCursor(cursor);
    m_text->ensureCursorVisible();
}

void FindBar::updateHighlights()
{
    QList<QTextEdit::ExtraSelection> selections;
    selections.reserve(m_matches.size());
    QTextCharFormat match;
    match.setBackground(kMatchColor);
    match.setForeground(Qt::black);
    for (int i = 0; i < m_matches.size(); ++i) {
        if (i == m_current)
            continue;
        QTextEdit::ExtraSelection s;
        s.cursor = QTextCursor(m_text->document());
        s.cursor.setPosition(m_matches.at(i));
        s.cursor.setPosition(m_matches.at(i) + m_matchLength, QTextCursor::KeepAnchor);
        s.format = match;
        selections.append(s);
    }
    if (m_current >= 0) { // last: drawn over the others
        QTextEdit::ExtraSelection s;
        s.cursor = m_currentCursor;
        s.format = match;
        s.format.setBackground(kCurrentColor);
        selections.append(s);
    }
    m_text->setExtraSelections(selections);
}

void FindBar::updateStatus()
{
    QString status;
    if (!m_query->text().isEmpty()) {
        if (m_matches.isEmpty())
            status = tr("No matches");
        else
            status = tr("%L1 of %L2%3")
                         .arg(m_current + 1)
                         .arg(m_matches.size())
                         .arg(m_capped ? QStringLiteral("+") : QString());
    }
    m_status->setText(status);
    // No match: the query says so too, as in a browser.
    m_query->setStyleSheet(!m_query->text().isEmpty() && m_matches.isEmpty()
                               ? QStringLiteral("QLineEdit { background: #ffcdd2; }")
                               : QString());
}

} // namespace procdeck
