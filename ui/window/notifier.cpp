#include "ui/window/notifier.h"

#include <QApplication>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QLoggingCategory>
#include <QSystemTrayIcon>
#include <QVariantMap>

namespace procdeck {

Q_LOGGING_CATEGORY(lcNotify, "procdeck.notify")

std::unique_ptr<Notifier> Notifier::forDesktop()
{
    std::unique_ptr<Notifier> tray;
    if (QSystemTrayIcon::isSystemTrayAvailable())
        tray = std::make_unique<TrayNotifier>();
    if (QDBusConnection::sessionBus().isConnected())
        return std::make_unique<FreedesktopNotifier>(std::move(tray));
    return tray;
}

FreedesktopNotifier::FreedesktopNotifier(std::unique_ptr<Notifier> fallback)
    : m_fallback(std::move(fallback))
{}

FreedesktopNotifier::~FreedesktopNotifier() = default;

void FreedesktopNotifier::notify(const QString &title, const QString &body)
{
    if (m_failed) {
        if (m_fallback)
            m_fallback->notify(title, body);
        return;
    }
    QDBusMessage call = QDBusMessage::createMethodCall(
        QStringLiteral("org.freedesktop.Notifications"),
        QStringLiteral("/org/freedesktop/Notifications"),
        QStringLiteral("org.freedesktop.Notifications"), QStringLiteral("Notify"));
    QVariantMap hints;
    hints.insert(QStringLiteral("desktop-entry"), QStringLiteral("procdeck"));
    // Notify(app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout)
    call << QApplication::applicationName() << quint32(0) << QStringLiteral("procdeck") << title
         << body << QStringList() << hints << qint32(-1);
    // asyncCall, never call(): a slow or hung notification daemon must not
    // freeze the window.
    auto *watcher =
        new QDBusPendingCallWatcher(QDBusConnection::sessionBus().asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this, title, body](QDBusPendingCallWatcher *w) {
                w->deleteLater();
                const QDBusPendingReply<quint32> reply = *w;
                if (!reply.isError())
                    return;
                qCInfo(lcNotify, "desktop notification failed: %s",
                       qPrintable(reply.error().message()));
                m_failed = true;
                if (m_fallback)
                    m_fallback->notify(title, body);
            });
}

TrayNotifier::TrayNotifier() = default;

TrayNotifier::~TrayNotifier() = default;

void TrayNotifier::notify(const QString &title, const QString &body)
{
    if (!m_icon) {
        m_icon = std::make_unique<QSystemTrayIcon>(QApplication::windowIcon());
        m_icon->setToolTip(QApplication::applicationName());
        m_icon->show();
    }
    m_icon->showMessage(title, body, QSystemTrayIcon::Information);
}

} // namespace procdeck
