#pragma once

#include "app/output/sgrparser.h"

#include <QTextCharFormat>
#include <QTimer>
#include <QWidget>

class QAction;
class QLabel;
class QPlainTextEdit;

namespace procdeck {

class FindBar;
class JobQuery;
enum class Stream : quint8;

// Shows one job's captured stdout and stderr (stderr in red), following the
// output live while the job runs. New text is appended incrementally on a
// short timer, never re-rendered from the start. ANSI colors and
// attributes show as such (other escape codes not at all); the find bar
// (Ctrl+F) searches what is shown.
class OutputPane : public QWidget
{
    Q_OBJECT
public:
    explicit OutputPane(const JobQuery *jobs, QWidget *parent = nullptr);

    // Ctrl+F while the focus is in the pane; for a menu too.
    QAction *findAction() const { return m_findAction; }
    FindBar *findBar() const { return m_findBar; }

    // Reads other jobs from now on (a past batch, or the live session
    // again); shows none of them until setJob().
    void setJobs(const JobQuery *jobs);
    // -1 shows nothing.
    void setJob(int index);
    int job() const { return m_job; }
    QString text() const;
    // The text shown in the stderr color, for tests.
    QString stderrText() const;

public slots:
    void showFindBar();

private:
    void listenTo(const JobQuery *jobs);
    void scheduleRefresh(int index);
    void refresh();
    void clearText();
    void updateHeader();
    QTextCharFormat formatFor(Stream stream, const TextStyle &style) const;

    const JobQuery *m_jobs;
    QLabel *m_header;
    QLabel *m_terminalNote;
    QPlainTextEdit *m_text;
    FindBar *m_findBar;
    QAction *m_findAction;
    SgrParser m_styles[2]; // per stream: a color stdout set is not stderr's
    QTextCharFormat m_plain[2];
    QTimer m_refreshTimer;
    int m_job = -1;
    qint64 m_shownStart = 0;     // display offset the shown text starts at
    qint64 m_shownEnd = 0;       // display offset up to which text is shown
    int m_attempt = -1;          // the attempt m_shownEnd belongs to
    const void *m_log = nullptr; // and its log (null once released)
};

} // namespace procdeck
