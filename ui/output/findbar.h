#pragma once

#include <QList>
#include <QTextCursor>
#include <QTimer>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QToolButton;

namespace procdeck {

// The output pane's find bar: a query, previous and next, "3 of 17", match
// case, close. Finds in one QPlainTextEdit (case-insensitive unless asked),
// highlights every match and the current one more strongly, and follows
// the text as it grows or is replaced. Enter / Shift+Enter go to the
// next / previous match, Esc closes. Owned by the OutputPane, which gives
// it its shortcuts (Ctrl+F, F3, Shift+F3).
class FindBar : public QWidget
{
    Q_OBJECT
public:
    explicit FindBar(QPlainTextEdit *text, QWidget *parent = nullptr);

    // Shows the bar and puts the focus in the query, its text selected.
    void open();
    QString query() const;
    void setQuery(const QString &query);
    void setCaseSensitive(bool on);
    int matchCount() const { return int(m_matches.size()); }
    int currentMatch() const { return m_current; } // 0-based; -1: none
    // "3 of 17", "No matches", or empty without a query.
    QString statusText() const;

    // At most this many matches are counted and highlighted.
    static constexpr int kMaxMatches = 5000;

public slots:
    void findNext();
    void findPrevious();
    void dismiss();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void search(); // finds every match again, keeping the current one
    void move(int step);
    void showCurrent();
    void updateHighlights();
    void updateStatus();

    QPlainTextEdit *m_text;
    QLineEdit *m_query;
    QToolButton *m_previous;
    QToolButton *m_next;
    QCheckBox *m_matchCase;
    QLabel *m_status;
    QToolButton *m_close;
    QList<int> m_matches; // where each starts in the text
    int m_matchLength = 0;
    int m_current = -1;
    QTextCursor m_currentCursor; // follows the text's edits, for search()
    bool m_capped = false;
    QTimer m_researchTimer; // the text changed: search again, at most this often
};

} // namespace procdeck
