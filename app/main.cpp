// procdeck: launch batches of commands, watch them run in parallel.
#include "headlessrun.h"
#include "mainwindow.h"
#include "scheduler.h"
#include "signalwatcher.h"

#include <QApplication>
#include <QIcon>

int main(int argc, char *argv[])
{
    // `procdeck run ...`: the same engine headless, no display needed.
    if (argc > 1 && qstrcmp(argv[1], "run") == 0)
        return procdeck::HeadlessRun::main(argc, argv);

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("procdeck"));
    QApplication::setOrganizationName(QStringLiteral("procdeck"));
    QApplication::setApplicationVersion(QStringLiteral(PROCDECK_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/procdeck.svg")));
    QGuiApplication::setDesktopFileName(QStringLiteral("procdeck"));

    procdeck::Scheduler scheduler;
    procdeck::MainWindow window(&scheduler);

    // A Ctrl+C or SIGTERM closes the window like the user would: every job's
    // process group is stopped before the app exits.
    procdeck::SignalWatcher signals_;
    QObject::connect(&signals_, &procdeck::SignalWatcher::received, &window, &QWidget::close);

    window.show();
    return app.exec();
}
