#pragma once

#include "app/batch/jobbuilder.h"
#include "app/cli/parallelcommandline.h"
#include "app/core/expected.h"
#include "app/export/joblogwriter.h"

#include <QObject>

namespace procdeck {

class JobSource;
class OutputPrinter;
class ProgressLine;
class Scheduler;

// `procdeck run`'s batch, once the command line is parsed: builds the jobs
// (JobBuilder), runs them on the Scheduler, has OutputPrinter print their
// output and ProgressLine show the progress, writes the live joblog, then
// --results and --report, and works out the exit status.
class HeadlessRun : public QObject
{
    Q_OBJECT
public:
    HeadlessRun(Scheduler *scheduler, const RunOptions &options, QObject *parent = nullptr);

    // Builds and submits the jobs. Returns 0 when the batch is running, or
    // an exit status to end with (255 after printing the problem; 0 for
    // --dry-run or nothing to run).
    int start(const QByteArray &stdinData);
    bool isRunning() const { return m_batchId > 0 && !m_done; }
    // Ctrl+C or SIGTERM: the first stops every job's process group, a
    // second kills them at once.
    void interrupt(int signal);
    // Writes --results and --report once the batch is over. Returns false
    // after printing why.
    bool writeExports();
    int exitStatus() const;

signals:
    void done();

private:
    // What both ways of starting share: --tagstring (for tagValues values
    // a job), the joblog, sampling and the connections. Returns 0, or the
    // exit status after printing the problem.
    int prepare(int tagValues, const QHash<QString, int> &columnNames);
    // Runs the jobs of `source`, `lookahead` of them queued ahead.
    void submitStreamed(std::unique_ptr<JobSource> source, int lookahead);
    void onJobFinished(int index);
    bool keepsOutput() const { return !m_options.results.isEmpty() || !m_options.report.isEmpty(); }

    Scheduler *m_scheduler;
    RunOptions m_options;
    ProgressLine *m_progress;
    OutputPrinter *m_printer;
    JoblogWriter m_joblog;
    bool m_joblogFailed = false;
    bool m_inputFailed = false; // the input could not be read or built to its end
    bool m_done = false;
    int m_batchId = 0;
    int m_interruptSignal = 0;
};

// What the command line asks for, as the one BatchRequest both front ends
// build jobs from. stdinData: procdeck's own stdin, when it lists the
// input values.
BatchRequest batchRequest(const RunOptions &options, const QByteArray &stdinData);
// Whether the jobs are built from stdin as it is read: runCommand() then
// leaves stdin to the run instead of reading it first.
bool streamsStdin(const RunOptions &options);
// --retry-failed with a joblog that lists jobs: the commands come from it,
// not from the command line or stdin (a joblog that cannot be read says so
// when the run starts).
bool retriesFromJoblog(const RunOptions &options);

} // namespace procdeck
