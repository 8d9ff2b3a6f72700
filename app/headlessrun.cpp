#include "headlessrun.h"

#include "commandtemplate.h"
#include "jobfields.h"
#include "jobrunner.h"
#include "logexporter.h"
#include "scheduler.h"
#include "signalwatcher.h"

#include <QCoreApplication>
#include <QFile>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace procdeck {

namespace {

// False when the reader has gone (EPIPE: `procdeck run ... | head`).
bool writeAll(int fd, const QByteArray &bytes)
{
    const char *data = bytes.constData();
    qsizetype left = bytes.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, data, size_t(left));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += n;
        left -= n;
    }
    return true;
}

void printError(const QString &message)
{
    writeAll(2, QStringLiteral("procdeck: %1\n").arg(message).toLocal8Bit());
}

QString defaultShell()
{
    // The shell parallel would use: $PARALLEL_SHELL, else $SHELL.
    for (const char *name : {"PARALLEL_SHELL", "SHELL"}) {
        const QString shell = qEnvironmentVariable(name);
        if (!shell.isEmpty())
            return shell;
    }
    return QStringLiteral("/bin/sh");
}

} // namespace

int HeadlessRun::main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = QCoreApplication::arguments().mid(2); // after "procdeck run"
    RunOptions options;
    QString error;
    if (!ParallelCommandLine::parse(args, &options, &error)) {
        printError(error);
        writeAll(2, "Try 'procdeck run --help'.\n");
        return 255;
    }
    if (options.help) {
        writeAll(1, ParallelCommandLine::usage().toUtf8());
        return 0;
    }
    if (options.version) {
        writeAll(1, QByteArrayLiteral("procdeck " PROCDECK_VERSION "\n"));
        return 0;
    }
    QByteArray stdinData;
    if (options.argumentsFromStdin) {
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
    HeadlessRun run(&scheduler, options);
    SignalWatcher signals_;
    QObject::connect(&signals_, &SignalWatcher::received, &run, [&](int signal) {
        // Ctrl+C or SIGTERM: stop every job's process group, then leave; a
        // second one kills them at once.
        if (run.m_interruptSignal == 0) {
            run.m_interruptSignal = signal;
            scheduler.stopAll();
        } else {
            scheduler.killAll();
        }
    });
    const int early = run.start(stdinData);
    if (early == 0 && !options.dryRun && !run.writeExports())
        return 255; // nothing ran, but --results/--report still get their files
    if (early >= 0)
        return early;
    QObject::connect(&run, &HeadlessRun::done, &app, &QCoreApplication::quit);
    app.exec();
    if (!run.writeExports())
        return 255;
    return run.exitStatus();
}

HeadlessRun::HeadlessRun(Scheduler *scheduler, const RunOptions &options)
    : m_scheduler(scheduler)
    , m_options(options)
{
    m_progress = ::isatty(2) == 1 || options.progress;
    m_progressTimer.setInterval(200);
    connect(&m_progressTimer, &QTimer::timeout, this, [this] { updateProgress(); });
}

bool HeadlessRun::buildJobs(const QByteArray &stdinData, std::vector<JobSpec> *specs,
                            QString *error)
{
    QList<InputSource> sources = m_options.sources;
    if (m_options.argumentsFromStdin) {
        sources = {InputSource{m_options.nullSeparated ? InputSources::splitNul(stdinData)
                                                       : InputSources::splitLines(stdinData),
                               false}};
    }
    if (!m_options.tagString.isEmpty()) {
        QString problem;
        m_tagTemplate =
            CommandTemplate::parse(m_options.tagString, int(sources.size()), &problem, false);
        if (!m_tagTemplate) {
            *error = QStringLiteral("--tagstring: %1").arg(problem);
            return false;
        }
    }
    const std::vector<QStringList> tuples = InputSources::combine(sources, m_options.link);
    const QString shell = defaultShell();

    auto finish = [&](JobSpec &spec) {
        spec.shell = shell;
        spec.workingDirectory = m_options.workingDirectory;
        spec.timeoutMs = m_options.timeoutMs;
        spec.termSequence = m_options.termSequence;
        spec.stdinFile = m_options.stdinFile;
        spec.stdinData = m_options.stdinText;
        spec.hasStdinData = m_options.hasStdinText;
    };

    specs->reserve(tuples.size());
    if (m_options.commandTemplate.trimmed().isEmpty()) {
        // No command: each value (or tuple, joined) is a whole command.
        int seq = 0;
        for (const QStringList &tuple : tuples) {
            ++seq;
            const QString line = tuple.join(QLatin1Char(' '));
            QString problem;
            const auto t = CommandTemplate::parse(line, 0, &problem, false);
            if (!t) {
                *error = QStringLiteral("command %1 (\"%2\"): %3").arg(seq).arg(line, problem);
                return false;
            }
            JobSpec spec = t->expand({}, seq);
            spec.inputValues = tuple;
            finish(spec);
            specs->push_back(std::move(spec));
        }
        return true;
    }
    const auto t = CommandTemplate::parse(m_options.commandTemplate, int(sources.size()), error);
    if (!t)
        return false;
    int seq = 0;
    for (const QStringList &tuple : tuples) {
        JobSpec spec = t->expand(tuple, ++seq);
        finish(spec);
        specs->push_back(std::move(spec));
    }
    return true;
}

int HeadlessRun::start(const QByteArray &stdinData)
{
    std::vector<JobSpec> specs;
    QString error;
    if (!buildJobs(stdinData, &specs, &error)) {
        printError(error);
        return 255;
    }
    if (m_options.dryRun) {
        QByteArray out;
        const int slotCount = m_options.jobs > 0 ? m_options.jobs : int(specs.size());
        for (size_t i = 0; i < specs.size(); ++i) {
            JobSpec spec = specs[i];
            CommandTemplate::fillSlot(&spec, int(i % size_t(qMax(1, slotCount))) + 1);
            out += spec.displayCommand().toUtf8() + '\n';
        }
        writeAll(1, out);
        return 0;
    }
    if (!m_options.joblog.isEmpty() && !m_joblog.open(m_options.joblog, &error)) {
        printError(error);
        return 255;
    }
    if (specs.empty())
        return 0;

    connect(m_scheduler, &Scheduler::jobOutput, this, &HeadlessRun::onJobOutput);
    connect(m_scheduler, &Scheduler::jobFinished, this, &HeadlessRun::onJobFinished);
    connect(m_scheduler, &Scheduler::idle, this, [this] {
        if (m_progress)
            updateProgress(true);
        emit done();
    });
    m_firstJob = m_scheduler->store().jobCount();
    m_printed.resize(specs.size());
    m_batchId = m_scheduler->submit(m_options.commandTemplate, std::move(specs), m_options.batch);
    if (m_progress)
        m_progressTimer.start();
    return -1;
}

bool HeadlessRun::mayPrint(int index) const
{
    return !m_options.keepOrder || index - m_firstJob == m_nextInOrder;
}

void HeadlessRun::onJobOutput(int index)
{
    if ((m_options.lineBuffer || m_options.ungroup) && mayPrint(index))
        printAvailable(index, false);
}

QByteArray HeadlessRun::tagFor(const JobRecord &job) const
{
    if (!m_options.tag)
        return QByteArray();
    QString tag = m_tagTemplate ? m_tagTemplate->plainText(job.spec.inputValues, job.seq)
                                : job.spec.inputValues.join(QLatin1Char(' '));
    tag.replace(CommandTemplate::slotMarker(), QString::number(job.slot));
    return tag.toUtf8() + '\t';
}

void HeadlessRun::onJobFinished(int index)
{
    const JobRecord &job = m_scheduler->store().job(index);
    // Unlike parallel, every job is logged, canceled ones too (Exitval -1).
    m_joblog.write(job);
    m_printed[size_t(index - m_firstJob)].finished = true;
    if (!m_options.keepOrder) {
        printAvailable(index, true);
        return;
    }
    // -k: print every finished job at the head of the order; the next one
    // still running may stream its lines with --line-buffer.
    while (m_nextInOrder < int(m_printed.size()) && m_printed[size_t(m_nextInOrder)].finished) {
        printAvailable(m_firstJob + m_nextInOrder, true);
        ++m_nextInOrder;
        if (m_options.lineBuffer && m_nextInOrder < int(m_printed.size()))
            printAvailable(m_firstJob + m_nextInOrder, false);
    }
}

void HeadlessRun::printAvailable(int index, bool final)
{
    Printed &p = m_printed[size_t(index - m_firstJob)];
    if (p.printed)
        return;
    const JobRecord &job = m_scheduler->store().job(index);
    const bool hasOutput =
        job.output &&
        job.output->byteCount(Stream::Stdout) + job.output->byteCount(Stream::Stderr) > 0;
    if (m_options.verbose && !p.commandShown && !m_outputBroken && (final || hasOutput)) {
        // -v: the command goes first, on stdout, as parallel prints it.
        p.commandShown = true;
        if (!writeAll(1, tagFor(job) + job.spec.displayCommand().toUtf8() + '\n')) {
            stopBecauseOutputIsGone();
            return;
        }
    }
    printStream(index, Stream::Stdout, final);
    printStream(index, Stream::Stderr, final);
    if (!final)
        return;
    p.printed = true;
    if (job.result.outcome == Outcome::FailedToStart) {
        // Under parallel the shell says "command not found"; say it too.
        printError(QStringLiteral("job %1 (%2) failed to start: %3")
                       .arg(job.seq)
                       .arg(job.spec.displayCommand(), job.result.errorText));
    }
    // Printed and logged: unless an export needs it, the output can go, so
    // memory stays bounded however many jobs print a lot.
    if (m_options.results.isEmpty() && m_options.report.isEmpty())
        m_scheduler->releaseOutput(index);
}

void HeadlessRun::stopBecauseOutputIsGone()
{
    // The reader of our output went away: stop every job, then leave (141).
    m_outputBroken = true;
    m_scheduler->stopAll();
}

void HeadlessRun::printStream(int index, Stream stream, bool final)
{
    const JobRecord &job = m_scheduler->store().job(index);
    if (!job.output || m_outputBroken)
        return;
    Printed &p = m_printed[size_t(index - m_firstJob)];
    if (p.log != job.output.get()) {
        // A retry: a new attempt with a new log; print it from its start.
        p.log = job.output.get();
        p.offset[0] = p.offset[1] = p.scanned[0] = p.scanned[1] = 0;
        p.atLineStart[0] = p.atLineStart[1] = true;
    }
    qint64 &offset = p.offset[int(stream)];
    qint64 &scanned = p.scanned[int(stream)];
    const qint64 size = job.output->byteCount(stream);
    qint64 end = size;
    if (!final && !m_options.ungroup) {
        // Only whole lines while the job runs. Look for a newline only in
        // what came since the last look, so a long line costs nothing extra.
        const QByteArray fresh = job.output->rawBytes(stream, qMax(offset, scanned));
        const qsizetype newline = fresh.lastIndexOf('\n');
        scanned = size;
        if (newline < 0)
            return;
        end = qMax(offset, size - fresh.size()) + newline + 1;
    }
    constexpr qint64 kPiece = 1 << 20; // spilled output is read a piece at a time
    const QByteArray tag = tagFor(job);
    while (offset < end) {
        QByteArray bytes = job.output->rawBytes(stream, offset, qMin(kPiece, end - offset));
        if (bytes.isEmpty())
            break;
        offset += bytes.size();
        if (m_progress)
            writeAll(2, "\r\033[K"); // clear the progress line first
        if (!tag.isEmpty()) {
            QByteArray tagged;
            qsizetype start = 0;
            while (start < bytes.size()) {
                qsizetype lineEnd = bytes.indexOf('\n', start);
                lineEnd = lineEnd < 0 ? bytes.size() : lineEnd + 1;
                if (p.atLineStart[int(stream)])
                    tagged += tag;
                tagged += bytes.mid(start, lineEnd - start);
                p.atLineStart[int(stream)] = tagged.endsWith('\n');
                start = lineEnd;
            }
            bytes = tagged;
        }
        if (!writeAll(stream == Stream::Stdout ? 1 : 2, bytes)) {
            stopBecauseOutputIsGone();
            return;
        }
    }
}

void HeadlessRun::updateProgress(bool last)
{
    if (m_batchId == 0)
        return;
    const BatchInfo &b = m_scheduler->store().batch(m_batchId);
    const int done = b.succeeded + b.failed + b.canceled;
    const double elapsed = double(JobRunner::monotonicNowNs() - b.submittedNs) / 1e9;
    QString eta = QStringLiteral("?");
    if (done > 0 && done < b.jobCount)
        eta = QString::number(elapsed / done * (b.jobCount - done), 'f', 0) + QLatin1Char('s');
    QString line = QStringLiteral("\r\033[Kprocdeck: %1/%2 done, %3 running, %4 failed")
                       .arg(done)
                       .arg(b.jobCount)
                       .arg(b.running)
                       .arg(b.failed);
    if (!last)
        line += QStringLiteral(", ETA %1").arg(eta);
    else
        line += QStringLiteral(" in %1 s\n").arg(elapsed, 0, 'f', 3);
    writeAll(2, line.toUtf8());
    if (last)
        m_progressTimer.stop();
}

bool HeadlessRun::writeExports()
{
    if (m_options.results.isEmpty() && m_options.report.isEmpty())
        return true;
    QList<int> jobs; // none when there was nothing to run: the files say so
    if (m_batchId > 0) {
        const BatchInfo &b = m_scheduler->store().batch(m_batchId);
        for (int i = b.firstJob; i < b.firstJob + b.jobCount; ++i)
            jobs << i;
    }
    const ExportSelection selection(m_scheduler->store(), jobs);
    const QString title = QStringLiteral("procdeck: %1").arg(m_options.commandTemplate);
    QString error;
    bool ok = true;
    if (!m_options.results.isEmpty() &&
        !LogExporter::write(LogExporter::formatForResults(m_options.results), m_options.results,
                            selection, title, &error)) {
        printError(QStringLiteral("--results: %1").arg(error));
        ok = false;
    }
    if (!m_options.report.isEmpty() &&
        !LogExporter::write(ExportFormat::Html, m_options.report, selection, title, &error)) {
        printError(QStringLiteral("--report: %1").arg(error));
        ok = false;
    }
    return ok;
}

int HeadlessRun::exitStatus() const
{
    if (m_interruptSignal != 0)
        return 128 + m_interruptSignal;
    if (m_outputBroken)
        return 128 + SIGPIPE; // as a shell reports a writer whose reader left
    if (m_batchId == 0)
        return 0;
    const BatchInfo &b = m_scheduler->store().batch(m_batchId);
    const HaltPolicy &halt = b.options.halt;
    if (halt.onFailure && halt.percent > 0 && b.jobCount > 0) {
        // parallel then reports the share of failed jobs, rounded up.
        return int(std::ceil(b.failed * 100.0 / b.jobCount));
    }
    if (b.halted)
        return halt.onFailure ? b.haltExitCode : 0;
    return qMin(b.failed, 101);
}

} // namespace procdeck
