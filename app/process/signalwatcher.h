#pragma once

#include <QObject>

class QSocketNotifier;

namespace procdeck {

// Turns SIGINT, SIGTERM and SIGHUP into a Qt signal, delivered from the
// event loop (self-pipe), so the app can stop its jobs' process groups
// before it quits. Jobs live in groups of their own and would not see a
// Ctrl+C from the terminal otherwise. One per process.
class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

signals:
    void received(int signal);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace procdeck
