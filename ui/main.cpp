// procdeck-gui: the window. `procdeck` starts it when not asked to `run`.
#include "app/engine/scheduler.h"
#include "app/history/historydatabase.h"
#include "app/history/historyrecorder.h"
#include "app/history/historywriter.h"
#include "app/process/descriptorlimit.h"
#include "app/process/signalwatcher.h"
#include "ui/window/mainwindow.h"
#include "ui/window/notifier.h"

#include <QApplication>
#include <QIcon>

#include <memory>

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
    // History: every batch this window runs is recorded (on the writer's
    // thread) and the History tab lists them with those of `procdeck run`.
    // PROCDECK_HISTORY=off turns it off.
    std::unique_ptr<procdeck::HistoryWriter> history;
    std::unique_ptr<procdeck::HistoryRecorder> recorder;
    const bool historyOn = qEnvironmentVariable("PROCDECK_HISTORY") != QLatin1String("off");
    if (historyOn) {
        const QString window = QStringLiteral("window");
        history = std::make_unique<procdeck::HistoryWriter>(
            procdeck::HistoryDatabase::defaultPath(), window);
        recorder = std::make_unique<procdeck::HistoryRecorder>(&scheduler, history.get(), window);
    }
    procdeck::MainWindow window(&scheduler);
    window.setNotifier(procdeck::Notifier::forDesktop());
    if (historyOn)
        window.setHistory(history->path(), history.get());
    else
        window.setHistory({}, nullptr, QObject::tr("History is off (PROCDECK_HISTORY=off)."));

    // A Ctrl+C or SIGTERM closes the window like the user would: every job's
    // process group is stopped before the app exits.
    procdeck::SignalWatcher signals_;
    QObject::connect(&signals_, &procdeck::SignalWatcher::received, &window, &QWidget::close);

    window.show();
    return app.exec();
}
