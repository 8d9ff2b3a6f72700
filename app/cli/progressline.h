#pragma once

#include <QObject>
#include <QTimer>

namespace procdeck {

class JobQuery;

// `procdeck run`'s progress line on stderr ("3/10 done, 2 running, 0
// failed, ETA 4s"), redrawn every 200 ms while a batch runs: shown when
// stderr is a terminal, or always with --progress/--bar/--eta.
class ProgressLine : public QObject
{
    Q_OBJECT
public:
    ProgressLine(const JobQuery *jobs, bool enabled, QObject *parent = nullptr);

    bool isEnabled() const { return m_enabled; }
    void start(int batchId);
    // The last line, with the wall time, and a newline.
    void finish();
    // Wipes the line so that job output can be written in its place.
    void clear();

private:
    void draw(bool last);

    const JobQuery *m_jobs;
    bool m_enabled;
    int m_batchId = 0;
    QTimer m_timer;
};

} // namespace procdeck
