#pragma once

#include "app/batch/commandtemplate.h"
#include "app/cli/parallelcommandline.h"
#include "app/output/outputlog.h"

#include <QObject>

#include <deque>
#include <optional>
#include <vector>

namespace procdeck {

class JobQuery;
class ProgressLine;

// Prints the jobs' output on procdeck's own stdout and stderr as GNU
// parallel does: grouped, each job's output once it ends; -k in input
// order; --line-buffer whole lines as they come; -u as it comes; --tag and
// --tagstring before each line; -v the command first. A retry prints only
// its last attempt's output, as parallel keeps only that. --files writes a
// job's stdout (after the command, with -v) to a file of its own and
// prints the file's name instead; stderr is printed as usual.
class OutputPrinter : public QObject
{
    Q_OBJECT
public:
    OutputPrinter(const JobQuery *jobs, const RunOptions &options, ProgressLine *progress,
                  QObject *parent = nullptr);

    // --tagstring, parsed for `sourceCount` values a job (and --header's
    // column names).
    Expected<void> setTagString(const QString &text, int sourceCount,
                                const QHash<QString, int> &columnNames = {});
    // The batch's jobs start at firstJob (and come on as its input is read).
    void begin(int firstJob);
    void onJobOutput(int index);
    void onJobFinished(int index);
    // stdout's reader went away: nothing more is printed.
    bool outputBroken() const { return m_outputBroken; }
    // --files: a job's file could not be written (said on stderr).
    bool filesFailed() const { return m_filesFailed; }

signals:
    // A job's output is all out: unless an export needs it, it can go.
    void jobPrinted(int index);
    // stdout's reader went away (EPIPE): the run should stop.
    void outputGone();

private:
    struct Printed
    {
        qint64 offset[2] = {0, 0};          // printed up to here
        qint64 scanned[2] = {0, 0};         // --line-buffer: searched for a newline up to here
        bool atLineStart[2] = {true, true}; // --tag: the next byte starts a line
        bool commandShown = false;          // -v
        int attempt = 0;                    // the attempt the offsets belong to
        bool finished = false;
        bool printed = false;
    };

    bool mayPrint(int index) const;
    void printAvailable(int index, bool final);
    void printStream(int index, Stream stream, bool final);
    QByteArray tagFor(int index) const;
    void printToFile(int index);
    void reportFailedStart(int index);
    bool write(int fd, const QByteArray &bytes);

    const JobQuery *m_jobs;
    RunOptions m_options;
    ProgressLine *m_progress;
    std::optional<CommandTemplate> m_tagTemplate;
    Printed &printed(int index);

    int m_firstJob = 0;    // m_printed's first entry is this job's
    int m_nextInOrder = 0; // -k: the first job whose output is not all out
    std::deque<Printed> m_printed;
    bool m_outputBroken = false;
    bool m_filesFailed = false;
};

} // namespace procdeck
