#include "app/cli/runcommand.h"

#include "app/cli/fdio.h"
#include "app/cli/headlessrun.h"
#include "app/cli/parallelcommandline.h"
#include "app/core/rawtext.h"
#include "app/engine/scheduler.h"
#include "app/history/historyrecorder.h"
#include "app/history/historywriter.h"
#include "app/process/signalwatcher.h"

#include <QCoreApplication>
#include <QFile>
#include <QScopeGuard>

#include <csignal>

namespace procdeck {

int runCommand(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    // What was left to delete later (an input source, its reader) goes
    // before the application, also when the run ended inside start().
    const auto flush =
        qScopeGuard([] { QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete); });
    // From argv itself, not QCoreApplication::arguments(): that decodes
    // lossily, and a value that is no UTF-8 (a file name) must reach the
    // jobs as the bytes it is (see RawText).
    QStringList args;
    for (int i = 2; i < argc; ++i) // after "procdeck run"
        args << RawText::decode(argv[i]);
    const Expected<RunOptions> parsed = ParallelCommandLine::parse(args);
    if (!parsed) {
        printError(parsed.error());
        writeAll(2, "Try 'procdeck run --help'.\n");
        return 255;
    }
    const RunOptions &options = *parsed;
    if (options.help) {
        writeAll(1, ParallelCommandLine::usage().toUtf8());
        return 0;
    }
    if (options.version) {
        writeAll(1, QByteArrayLiteral("procdeck " PROCDECK_VERSION "\n"));
        return 0;
    }
    // --tmpdir: where procdeck spills output and --files writes, and the
    // jobs' $TMPDIR, as parallel sets it.
    if (!options.tmpdir.isEmpty())
        qputenv("TMPDIR", QFile::encodeName(options.tmpdir));
    QByteArray stdinData;
    if (options.argumentsFromStdin && !retriesFromJoblog(options) && !streamsStdin(options)) {
        QFile in;
        if (in.open(stdin, QIODevice::ReadOnly))
            stdinData = in.readAll();
    }

    // A closed stdout must not kill us silently (SIGPIPE) with jobs running:
    // writes then fail with EPIPE and every job is stopped first.
    ::signal(SIGPIPE, SIG_IGN);
    Scheduler scheduler;
    scheduler.setMaxParallel(options.jobs);
    // Nothing is shown, so nothing is decoded: raw bytes only.
    OutputLog::Limits limits;
    limits.displayChars = 0;
    scheduler.setOutputLimits(limits);
    // History: recorded on its own thread; a database that cannot be used
    // is said once, and the run goes on without it. Made before the run, so
    // it sees each job's output before the printer frees it.
    std::unique_ptr<HistoryWriter> history;
    std::unique_ptr<HistoryRecorder> recorder;
    if (!options.noHistory && !options.dryRun &&
        qEnvironmentVariable("PROCDECK_HISTORY") != QLatin1String("off")) {
        history =
            std::make_unique<HistoryWriter>(HistoryDatabase::defaultPath(), QStringLiteral("run"));
        QObject::connect(history.get(), &HistoryWriter::failed, [](const QString &message) {
            printError(message + QStringLiteral(" (the run goes on without history)"));
        });
        recorder =
            std::make_unique<HistoryRecorder>(&scheduler, history.get(), QStringLiteral("run"));
    }
    HeadlessRun run(&scheduler, options);
    SignalWatcher signals_;
    QObject::connect(&signals_, &SignalWatcher::received, &run, &HeadlessRun::interrupt);
    const int early = run.start(stdinData);
    if (early != 0)
        return early;
    if (run.isRunning()) {
        QObject::connect(&run, &HeadlessRun::done, &app, &QCoreApplication::quit);
        app.exec();
    }
    // --results and --report get their files even when nothing ran.
    if (!options.dryRun && !run.writeExports())
        return 255;
    return options.dryRun ? 0 : run.exitStatus();
}

} // namespace procdeck
