// procdeck: launch batches of commands, watch them run in parallel.
#include "headlessrun.h"
#include "mainwindow.h"
#include "scheduler.h"
#include "signalwatcher.h"

#include <QApplication>
#include <QIcon>

#include <sys/resource.h>

// Each running job holds a few descriptors (its pipes, a spill file): with
// hundreds at once, the usual soft limit of 1,024 is near. The hard limit is
// ours to take.
static void raiseOpenFileLimit()
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

int main(int argc, char *argv[])
{
    raiseOpenFileLimit();
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
