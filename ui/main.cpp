// procdeck-gui: the window. `procdeck` starts it when not asked to `run`.
#include "app/engine/scheduler.h"
#include "app/process/descriptorlimit.h"
#include "app/process/signalwatcher.h"
#include "ui/window/mainwindow.h"
#include "ui/window/notifier.h"

#include <QApplication>
#include <QIcon>

int main(int argc, char *argv[])
{
    procdeck::raiseOpenFileLimit();
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("procdeck"));
    QApplication::setOrganizationName(QStringLiteral("procdeck"));
    QApplication::setApplicationVersion(QStringLiteral(PROCDECK_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/procdeck.svg")));
    QGuiApplication::setDesktopFileName(QStringLiteral("procdeck"));

    procdeck::Scheduler scheduler;
    // CPU and memory columns: one /proc scan a second, on its own thread.
    scheduler.setResourceSampling(true);
    procdeck::MainWindow window(&scheduler);
    window.setNotifier(procdeck::Notifier::forDesktop());

    // A Ctrl+C or SIGTERM closes the window like the user would: every job's
    // process group is stopped before the app exits.
    procdeck::SignalWatcher signals_;
    QObject::connect(&signals_, &procdeck::SignalWatcher::received, &window, &QWidget::close);

    window.show();
    return app.exec();
}
