#include "app/cli/headlessrun.h"

#include "app/batch/commandtemplate.h"
#include "app/batch/jobbuilder.h"
#include "app/batch/pipeblocks.h"
#include "app/cli/exitstatus.h"
#include "app/cli/fdio.h"
#include "app/cli/outputprinter.h"
#include "app/cli/progressline.h"
#include "app/core/rawtext.h"
#include "app/engine/pipejobsource.h"
#include "app/engine/scheduler.h"
#include "app/engine/streamedjobsource.h"
#include "app/export/jobfields.h"
#include "app/export/joblogreader.h"
#include "app/export/logexporter.h"

#include <QSet>

#include <map>
#include <unistd.h>

namespace procdeck {

// How -n, -N, -L, -m, -X, -s, --colsep and --shuf make jobs of the values.
static ValueGrouping groupingOf(const RunOptions &options)
{
    ValueGrouping g;
    QStringList described; // for messages
    // --colsep splits values into columns and trims them; --header alone
    // splits at tabs, as in parallel, and does not trim.
    if (!options.colsep.isEmpty() || options.hasHeader) {
        g.columnSeparator = options.colsep.isEmpty() ? QStringLiteral("\t") : options.colsep;
        g.trimColumns = !options.colsep.isEmpty();
        described << (options.colsep.isEmpty() ? QStringLiteral("--header %1").arg(options.header)
                                               : QStringLiteral("--colsep %1").arg(options.colsep));
    }
    // -n, -N, -L: several values a job. -N wins over -n, and both over -L,
    // as in parallel.
    if (options.maxReplaceArgs >= 0) {
        g.maxRecords = options.maxReplaceArgs;
        described.prepend(QStringLiteral("-N %1").arg(options.maxReplaceArgs));
    } else if (options.maxArgs >= 0) {
        g.maxRecords = options.maxArgs;
        described.prepend(QStringLiteral("-n %1").arg(options.maxArgs));
    } else if (options.maxLines >= 0) {
        g.maxRecords = options.maxLines;
        described.prepend(QStringLiteral("-L %1").arg(options.maxLines));
    }
    // -X and -N repeat the word around {} for each value, -L too unless
    // -m; -n does not.
    g.contextReplace = options.contextReplace || options.maxReplaceArgs >= 0 ||
                       (options.maxLines >= 0 && !options.multipleArgs);
    g.fill = options.multipleArgs || options.contextReplace;
    if (g.fill) {
        g.maxChars = qMin<qsizetype>(options.maxChars, JobBuilder::maxCommandLength());
        g.jobSlots = options.jobs;
        described.prepend(QLatin1String(options.contextReplace ? "-X" : "-m"));
    }
    g.describedAs = described.join(QStringLiteral(", "));
    g.shuffle = options.shuffle;
    return g;
}

// Reads the sources as parallel reads its input: --header takes each
// source's first line as column names (numbered on from the previous
// source's), then -E ends each source at its end-of-file value, then -L
// joins a line ending in a blank with the next. Returns the names.
static QHash<QString, int> readInput(const RunOptions &options, const QString &columnSeparator,
                                     QList<InputSource> *sources)
{
    QHash<QString, int> names;
    // Without --pipe, parallel reads one header line whatever the
    // expression, and none for 0.
    if (options.hasHeader && options.header != QLatin1String("0")) {
        const QRegularExpression separator(columnSeparator);
        int column = 0;
        for (InputSource &source : *sources) {
            if (source.values.isEmpty())
                continue;
            for (const QString &name :
                 InputSources::headerNames(source.values.takeFirst(), separator)) {
                ++column;
                if (!name.isEmpty() && !names.contains(name))
                    names.insert(name, column); // the first of two alike
            }
        }
    }
    if (!options.eofString.isEmpty()) {
        for (InputSource &source : *sources) {
            const qsizetype end = source.values.indexOf(options.eofString);
            if (end >= 0)
                source.values.resize(end);
        }
    }
    if (options.maxLines > 0) {
        for (InputSource &source : *sources)
            source.values = InputSources::joinContinuedLines(source.values);
    }
    return names;
}

BatchRequest batchRequest(const RunOptions &options, const QByteArray &stdinData)
{
    BatchRequest r;
    r.command = options.commandTemplate;
    if (options.quote)
        r.quotedCommand = options.commandWords;
    r.valuesAreCommands = true; // no command: each input line is one
    r.sources = options.sources;
    if (options.argumentsFromStdin) {
        r.sources = {InputSource{options.nullSeparated ? InputSources::splitNul(stdinData)
                                                       : InputSources::splitLines(stdinData),
                                 false}};
    }
    r.linkAll = options.link;
    r.grouping = groupingOf(options);
    r.grouping.columnNames = readInput(options, r.grouping.columnSeparator, &r.sources);
    r.workingDirectory = options.workingDirectory;
    r.timeoutMs = options.timeoutMs;
    r.termSequence = options.termSequence;
    r.attempts = options.batch.attempts;
    r.setsNice = options.setsNice;
    r.nice = options.nice;
    if (!options.stdinFile.isEmpty()) {
        r.stdinMode = BatchRequest::Stdin::File;
        r.stdinText = options.stdinFile;
    } else if (options.hasStdinText) {
        r.stdinMode = BatchRequest::Stdin::Text;
        r.stdinText = options.stdinText;
    }
    return r;
}

// Whether the jobs can be built a part at a time, as the scheduler asks
// for them: not when all of the input decides each job (-m, -X, --shuf) or
// --tagstring's {N} must know how many values the largest job has.
static bool buildsInParts(const RunOptions &options)
{
    const ValueGrouping g = groupingOf(options);
    return !options.pipe && !options.dryRun && !retriesFromJoblog(options) && !g.fill &&
           !g.shuffle && (options.tagString.isEmpty() || !g.isActive());
}

// --pipe's blocks are cut as stdin is read; the command line it is
// printed by (--dry-run) is not worth streaming for.
static bool pipesInParts(const RunOptions &options)
{
    return options.pipe && !options.dryRun && !retriesFromJoblog(options);
}

bool streamsStdin(const RunOptions &options)
{
    return (options.argumentsFromStdin && buildsInParts(options)) || pipesInParts(options);
}

// As parallel: a --block of 2G or more is said, and 2G-1 used.
static void warnOfHugeBlocks(const RunOptions &options)
{
    if (options.pipeFormat.blockSize > PipeFormat::MaxBlockSize)
        printError(QStringLiteral("Warning: --blocksize >= 2G causes problems. Using 2G-1."));
}

// --pipe: stdin cut into blocks, one job a block with the block as its
// stdin. As in parallel the command gets no values appended: {} is '',
// {#} the block's number.
static Expected<std::vector<JobSpec>> pipeJobs(const RunOptions &options, BatchRequest request,
                                               const QByteArray &stdinData)
{
    warnOfHugeBlocks(options);
    PipeBlockSplitter splitter(options.pipeFormat);
    splitter.feed(stdinData);
    splitter.finish();
    for (const QString &warning : splitter.takeWarnings())
        printError(QStringLiteral("Warning: %1").arg(warning));
    QList<QByteArray> blocks;
    for (QByteArray block; splitter.takeBlock(&block);)
        blocks.append(std::move(block));
    Expected<std::vector<JobSpec>> specs =
        JobBuilder::build(PipeJobSource::blockRequest(std::move(request), blocks.size()));
    if (specs) {
        for (size_t i = 0; i < specs->size(); ++i) {
            (*specs)[i].stdinData = std::move(blocks[qsizetype(i)]);
            (*specs)[i].hasStdinData = true;
        }
    }
    return specs;
}

bool retriesFromJoblog(const RunOptions &options)
{
    if (options.resume != RunOptions::Resume::RetryFailed)
        return false;
    const Expected<QList<JoblogReader::Entry>> entries = JoblogReader::read(options.joblog);
    return !entries || !entries->isEmpty();
}

HeadlessRun::HeadlessRun(Scheduler *scheduler, const RunOptions &options, QObject *parent)
    : QObject(parent)
    , m_scheduler(scheduler)
    , m_options(options)
    , m_progress(new ProgressLine(scheduler, ::isatty(2) == 1 || options.progress, this))
    , m_printer(new OutputPrinter(scheduler, options, m_progress, this))
{
    // Queued: the printer is inside a job's printing when it finds stdout
    // gone, and stopping cancels (and so prints, and releases) other jobs.
    connect(m_printer, &OutputPrinter::outputGone, m_scheduler, &Scheduler::stopAll,
            Qt::QueuedConnection);
    connect(m_printer, &OutputPrinter::jobPrinted, this, [this](int index) {
        // Printed and logged: unless an export needs it, the job can go, so
        // memory stays bounded however many jobs run and however much they
        // print.
        if (!keepsOutput())
            m_scheduler->releaseJob(index);
    });
}

int HeadlessRun::start(const QByteArray &stdinData)
{
    if (m_options.maxChars > JobBuilder::maxCommandLength()) {
        // As parallel: said, and the system's limit used.
        printError(QStringLiteral("-s %1 is longer than the command lines this system takes: "
                                  "using %2")
                       .arg(m_options.maxChars)
                       .arg(JobBuilder::maxCommandLength()));
    }
    // --resume, --resume-failed, --retry-failed: the Seqs the joblog says
    // are done, and the last command each failed one ran.
    QSet<int> doneSeqs;
    std::map<int, QString> failed;
    if (m_options.resume != RunOptions::Resume::None) {
        const Expected<QList<JoblogReader::Entry>> entries = JoblogReader::read(m_options.joblog);
        if (!entries) {
            printError(entries.error());
            return 255;
        }
        for (const JoblogReader::Entry &e : *entries) {
            // A job a --halt canceled never ran: read as parallel's joblog,
            // which leaves it out.
            if (!e.started)
                continue;
            if (m_options.resume == RunOptions::Resume::Resume || e.succeeded())
                doneSeqs.insert(e.seq);
            else
                failed[e.seq] = e.command;
        }
    }
    // --pipe's stdin is its blocks, not values.
    BatchRequest request = batchRequest(m_options, m_options.pipe ? QByteArray() : stdinData);
    std::vector<int> seqs; // the jobs' Seqs, when some are skipped
    const bool retrying = retriesFromJoblog(m_options);
    if (retrying) {
        // As parallel: the failed commands, under their Seqs, whatever the
        // command line says; a Seq that succeeded once stays done.
        QStringList commands;
        for (const auto &[seq, command] : failed) {
            if (!doneSeqs.contains(seq)) {
                commands << command;
                seqs.push_back(seq);
            }
        }
        request.command.clear();
        request.quotedCommand.clear();
        request.valuesAreCommands = true;
        request.sources = {InputSource{commands, false}};
        request.linkAll = false;
        request.grouping = ValueGrouping();
    }
    if (pipesInParts(m_options)) {
        if (const int status = prepare(1, {}); status != 0)
            return status;
        warnOfHugeBlocks(m_options);
        auto source = std::make_unique<PipeJobSource>(
            request, m_options.pipeFormat, std::make_unique<InputReader>(0, false), doneSeqs);
        connect(source.get(), &PipeJobSource::warning, this,
                [](const QString &w) { printError(QStringLiteral("Warning: %1").arg(w)); });
        // Each block is held until its job has run: as few queued as keep
        // the slots busy.
        submitStreamed(std::move(source), 1);
        return 0;
    }
    // Values read already are built in parts too, unless split into
    // columns: then all of them decide how far {N} may reach.
    const bool fromStdin = streamsStdin(m_options);
    if (!retrying && buildsInParts(m_options) && request.sources.size() == 1 &&
        (fromStdin || request.grouping.columnSeparator.isEmpty())) {
        // A mistake in the template is said now, before the joblog is
        // touched, not when the first input arrives: its jobs' shape is
        // known (one value, or -n's), though not its values.
        const bool wholeCommands =
            request.command.trimmed().isEmpty() && request.quotedCommand.isEmpty();
        if (!wholeCommands && request.grouping.columnSeparator.isEmpty()) {
            BatchRequest probe = request;
            probe.sources = {InputSource{
                QStringList(qMax(1, request.grouping.maxRecords), QStringLiteral("x")), false}};
            if (const Expected<std::vector<JobSpec>> ok = JobBuilder::build(probe); !ok) {
                printError(ok.error());
                return 255;
            }
        }
        // One source: its jobs are made as they are needed, from stdin as it
        // is read, so memory holds the jobs in flight, not the input's.
        if (const int status = prepare(int(request.sources.size()), request.grouping.columnNames);
            status != 0)
            return status;
        if (!fromStdin && request.sources.first().values.isEmpty())
            return 0;
        StreamedInput input;
        input.skipSeqs = doneSeqs;
        std::unique_ptr<StreamedJobSource> source;
        if (fromStdin) {
            input.nulSeparated = m_options.nullSeparated;
            input.header = m_options.hasHeader && m_options.header != QLatin1String("0");
            input.eofValue = m_options.eofString;
            input.joinContinued = m_options.maxLines > 0;
            source = std::make_unique<StreamedJobSource>(request, input,
                                                         std::make_unique<InputReader>(0, false));
        } else {
            source =
                std::make_unique<StreamedJobSource>(request, input, request.sources.first().values);
        }
        // A few jobs ready ahead of the free slots: the input is read as
        // fast as the jobs run.
        submitStreamed(std::move(source), 64);
        return 0;
    }
    Expected<std::vector<JobSpec>> specs = m_options.pipe && !retrying
                                               ? pipeJobs(m_options, request, stdinData)
                                               : JobBuilder::build(request);
    if (!specs) {
        printError(specs.error());
        return 255;
    }
    if (!retrying && !doneSeqs.isEmpty()) {
        // The jobs whose Seq (their place in the input) is done do not run.
        std::vector<JobSpec> left;
        for (size_t i = 0; i < specs->size(); ++i) {
            if (doneSeqs.contains(int(i) + 1))
                continue;
            left.push_back(std::move((*specs)[i]));
            seqs.push_back(int(i) + 1);
        }
        *specs = std::move(left);
    }
    if (m_options.dryRun) {
        QByteArray out;
        const int slotCount = m_options.jobs > 0 ? m_options.jobs : int(specs->size());
        for (size_t i = 0; i < specs->size(); ++i) {
            JobSpec spec = specs->at(i);
            CommandTemplate::fillSlot(&spec, int(i % size_t(qMax(1, slotCount))) + 1);
            out += RawText::encode(spec.displayCommand()) + '\n'; // the bytes, as parallel
        }
        writeAll(1, out);
        return 0;
    }
    // Positional {N} reach as far as the command's: the most values a job
    // has, one per source unless -n and the like group them.
    int values = request.grouping.isActive() ? 0 : int(request.sources.size());
    for (const JobSpec &spec : *specs)
        values = qMax(values, int(spec.inputValues.size()));
    if (const int status = prepare(values, request.grouping.columnNames); status != 0)
        return status;
    if (specs->empty())
        return 0;
    m_printer->begin(m_scheduler->jobCount());
    m_batchId = m_scheduler->submit(m_options.commandTemplate, std::move(specs).value(),
                                    m_options.batch, seqs);
    m_progress->start(m_batchId);
    return 0;
}

void HeadlessRun::submitStreamed(std::unique_ptr<JobSource> source, int lookahead)
{
    connect(m_scheduler, &Scheduler::sourceEnded, this, [this](int, const QString &error) {
        // The one batch; its id may not be known yet (a bad template ends
        // the source inside submitSource()).
        if (!error.isEmpty()) {
            m_inputFailed = true;
            printError(error);
        }
    });
    m_scheduler->setLookahead(lookahead);
    m_printer->begin(m_scheduler->jobCount());
    m_batchId =
        m_scheduler->submitSource(m_options.commandTemplate, std::move(source), m_options.batch);
    m_progress->start(m_batchId);
}

int HeadlessRun::prepare(int tagValues, const QHash<QString, int> &columnNames)
{
    if (!m_options.tagString.isEmpty()) {
        if (const Expected<void> ok =
                m_printer->setTagString(m_options.tagString, tagValues, columnNames);
            !ok) {
            printError(ok.error());
            return 255;
        }
    }
    if (!m_options.joblog.isEmpty()) {
        // Resumed: added to what it holds, as parallel does.
        if (const Expected<void> ok =
                m_joblog.open(m_options.joblog, m_options.resume != RunOptions::Resume::None);
            !ok) {
            printError(ok.error());
            return 255;
        }
    }
    // Peak memory is written only into the formats with a field for it;
    // the joblog and the results folder have none, so no sampling for them.
    const bool resultsFile =
        !m_options.results.isEmpty() &&
        LogExporter::formatForResults(m_options.results) != ExportFormat::ResultsFolder;
    if (resultsFile || !m_options.report.isEmpty())
        m_scheduler->setResourceSampling(true);

    connect(m_scheduler, &Scheduler::jobOutput, m_printer, &OutputPrinter::onJobOutput);
    connect(m_scheduler, &Scheduler::jobFinished, this, &HeadlessRun::onJobFinished);
    connect(m_scheduler, &Scheduler::idle, this, [this] {
        m_progress->finish();
        m_done = true;
        emit done();
    });
    return 0;
}

void HeadlessRun::interrupt(int signal)
{
    if (m_interruptSignal == 0) {
        m_interruptSignal = signal;
        m_scheduler->stopAll();
    } else {
        m_scheduler->killAll();
    }
}

void HeadlessRun::onJobFinished(int index)
{
    // Unlike parallel, every job is logged, canceled ones too (Exitval -1).
    if (m_joblog.isOpen() && !m_joblogFailed) {
        if (const Expected<void> ok = m_joblog.write(JobFields::of(*m_scheduler, index)); !ok) {
            // Said once; the jobs go on, and the run ends with 255.
            m_joblogFailed = true;
            printError(ok.error());
        }
    }
    m_printer->onJobFinished(index);
}

bool HeadlessRun::writeExports()
{
    if (!keepsOutput())
        return true;
    QList<int> jobs; // none when there was nothing to run: the files say so
    if (m_batchId > 0) {
        const BatchInfo &b = m_scheduler->batch(m_batchId);
        for (int i = b.firstJob; i < b.firstJob + b.jobCount; ++i)
            jobs << i;
    }
    const ExportSelection selection(*m_scheduler, jobs);
    const QString title = QStringLiteral("procdeck: %1").arg(m_options.commandTemplate);
    bool ok = true;
    if (!m_options.results.isEmpty()) {
        const Expected<void> written = LogExporter::write(
            LogExporter::formatForResults(m_options.results), m_options.results, selection, title);
        if (!written) {
            printError(QStringLiteral("--results: %1").arg(written.error()));
            ok = false;
        }
    }
    if (!m_options.report.isEmpty()) {
        const Expected<void> written =
            LogExporter::write(ExportFormat::Html, m_options.report, selection, title);
        if (!written) {
            printError(QStringLiteral("--report: %1").arg(written.error()));
            ok = false;
        }
    }
    return ok;
}

int HeadlessRun::exitStatus() const
{
    const int status = parallelExitStatus(m_batchId > 0 ? &m_scheduler->batch(m_batchId) : nullptr,
                                          m_interruptSignal, m_printer->outputBroken());
    // A joblog or --files file that could not be written is an error of its
    // own (255), unless a signal or a broken pipe already says why it ended.
    if ((m_joblogFailed || m_printer->filesFailed() || m_inputFailed) && m_interruptSignal == 0 &&
        !m_printer->outputBroken())
        return 255;
    return status;
}

} // namespace procdeck
