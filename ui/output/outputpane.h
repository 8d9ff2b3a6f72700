#pragma once

#include <QTimer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;

namespace procdeck {

class JobQuery;

// Shows one job's captured stdout and stderr (stderr in red), following the
// output live while the job runs. New text is appended incrementally on a
// short timer, never re-rendered from the start.
class OutputPane : public QWidget
{
    Q_OBJECT
public:
    explicit OutputPane(const JobQuery *jobs, QWidget *parent = nullptr);

    // -1 shows nothing.
    void setJob(int index);
    int job() const { return m_job; }
    QString text() const;
    // The text shown in the stderr color, for tests.
    QString stderrText() const;

private:
    void scheduleRefresh(int index);
    void refresh();
    void updateHeader();

    const JobQuery *m_jobs;
    QLabel *m_header;
    QPlainTextEdit *m_text;
    QTimer m_refreshTimer;
    int m_job = -1;
    qint64 m_shownStart = 0;     // display offset the shown text starts at
    qint64 m_shownEnd = 0;       // display offset up to which text is shown
    int m_attempt = -1;          // the attempt m_shownEnd belongs to
    const void *m_log = nullptr; // and its log (null once released)
};

} // namespace procdeck
