#pragma once

#include <QObject>
#include <QString>

#include <memory>

class QSystemTrayIcon;

namespace procdeck {

// Tells the user something while they look elsewhere (a batch ended): the
// seam MainWindow sends desktop notifications through, so tests can put a
// fake in its place. Sending never blocks.
class Notifier
{
public:
    virtual ~Notifier() = default;
    virtual void notify(const QString &title, const QString &body) = 0;

    // The best this desktop has: freedesktop notifications over the session
    // bus, else a system tray message, else null (nothing to notify with).
    static std::unique_ptr<Notifier> forDesktop();
};

// org.freedesktop.Notifications.Notify on the session bus, called
// asynchronously: the reply (or error) comes back later and is only logged.
// When the bus has no notification service, the fallback (if any) is used.
class FreedesktopNotifier : public QObject, public Notifier
{
    Q_OBJECT
public:
    explicit FreedesktopNotifier(std::unique_ptr<Notifier> fallback = nullptr);
    ~FreedesktopNotifier() override;
    void notify(const QString &title, const QString &body) override;

private:
    std::unique_ptr<Notifier> m_fallback;
    bool m_failed = false; // the service answered an error once: use the fallback
};

// A balloon message from a tray icon of the app's, shown on first use.
class TrayNotifier : public Notifier
{
public:
    TrayNotifier();
    ~TrayNotifier() override;
    void notify(const QString &title, const QString &body) override;

private:
    std::unique_ptr<QSystemTrayIcon> m_icon;
};

} // namespace procdeck
