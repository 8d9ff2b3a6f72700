#pragma once

#include "commandtemplate.h"
#include "joblogwriter.h"
#include "parallelcommandline.h"

#include <QObject>
#include <QTimer>

#include <vector>

namespace procdeck {

class Scheduler;

// `procdeck run`: the engine without a window, for scripts and CI. Builds
// the batch from a GNU parallel command line, runs it, prints each job's
// output as parallel does (grouped per job; -k in input order;
// --line-buffer as lines come; --tag), writes the joblog, shows a progress
// line when stderr is a terminal, and exits with parallel's status.
class HeadlessRun : public QObject
{
    Q_OBJECT
public:
    // The whole subcommand: args are the words after "run".
    static int main(int argc, char **argv);

    HeadlessRun(Scheduler *scheduler, const RunOptions &options);
    // Builds the jobs; returns 0 when the batch is running, or an exit
    // status to end with (255 after printing the problem, 0 for --dry-run).
    int start(const QByteArray &stdinData);
    int exitStatus() const;
    // Writes --results and --report once the batch is over. Returns false
    // after printing why.
    bool writeExports();

signals:
    void done();

private:
    void onJobOutput(int index);
    void onJobFinished(int index);
    void printAvailable(int index, bool final);
    void printStream(int index, Stream stream, bool final);
    void updateProgress(bool last = false);
    bool buildJobs(const QByteArray &stdinData, std::vector<JobSpec> *specs, QString *error);
    bool mayPrint(int index) const;
    QByteArray tagFor(const JobRecord &job) const;
    void stopBecauseOutputIsGone();

    struct Printed
    {
        qint64 offset[2] = {0, 0};          // printed up to here
        qint64 scanned[2] = {0, 0};         // --line-buffer: searched for a newline up to here
        bool atLineStart[2] = {true, true}; // --tag: the next byte starts a line
        bool commandShown = false;          // -v
        const void *log = nullptr;          // the attempt's log the offsets belong to
        bool finished = false;
        bool printed = false;
    };

    Scheduler *m_scheduler;
    RunOptions m_options;
    JoblogWriter m_joblog;
    int m_batchId = 0;
    int m_firstJob = 0;
    int m_nextInOrder = 0; // -k: the first job whose output is not all out
    std::vector<Printed> m_printed;
    QTimer m_progressTimer;
    bool m_progress = false;
    int m_interruptSignal = 0;
    std::optional<CommandTemplate> m_tagTemplate; // --tagstring
    bool m_outputBroken = false;                  // stdout's reader went away
};

} // namespace procdeck
