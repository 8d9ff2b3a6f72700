#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace procdeck {

class JobQuery;

// One job as every export writes it, with GNU parallel's field meanings:
// Exitval is the exit code, 0 with Signal N for a job that died of a signal
// by itself, -1 for one that was killed (stopped, timed out, halted) or
// never ran (canceled), 127 for a program that could not start.
struct JobFields
{
    int seq = 0;
    double startTime = 0; // epoch seconds; 0 for a job that never started
    double runtime = 0;   // seconds
    qint64 send = 0;
    qint64 receive = 0; // stdout bytes
    int exitval = 0;
    int signal = 0;
    QString command;
    QStringList values; // V1, V2, ...: the job's input values
    QString status;     // "Exit 0", "Killed by SIGKILL", ...
    // procdeck's own, written after parallel's fields; -1 when unknown.
    double cpuTime = -1; // seconds, user + system
    qint64 peakRss = -1; // bytes
    int index = 0;       // the job's index in the store

    // Seq is the job's number in its batch unless given.
    static JobFields of(const JobQuery &jobs, int index, int seq = 0);
    // For the formats that must be valid UTF-8 (JSON Lines, HTML): the
    // command's and values' bytes that are no UTF-8 (RawText escapes) as
    // U+FFFD. The joblog, the results folder and CSV keep the bytes, as
    // parallel writes them.
    JobFields asText() const;
};

// The jobs an export covers, in the order the format wants, each with the
// Seq it is written with: the job's number within its batch when every job
// comes from one batch (so parallel --resume-failed matches them up), its
// row number (#) otherwise, so Seq stays unique.
class ExportSelection
{
public:
    ExportSelection(const JobQuery &jobs, QList<int> indices);

    const JobQuery &jobs() const { return m_query; }
    QList<JobFields> inInputOrder() const;
    QList<JobFields> inFinishingOrder() const;
    int maxValues() const;
    bool isEmpty() const { return m_jobs.isEmpty(); }

private:
    const JobQuery &m_query;
    QList<int> m_jobs;
    bool m_oneBatch = true;
};

} // namespace procdeck
