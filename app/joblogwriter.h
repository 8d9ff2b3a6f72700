#pragma once

#include <QFile>
#include <QString>

namespace procdeck {

class ExportSelection;
struct JobFields;
struct JobRecord;

// Writes GNU parallel's joblog, so that `parallel --resume-failed --joblog
// FILE` reads it. Two ways: live, line by line in finishing order as jobs
// end (procdeck run --joblog: complete up to the last finished job even if
// procdeck is killed), or a whole file at once (an export, atomically).
class JoblogWriter
{
public:
    // Opens (truncates) the file and writes the header. Returns false with a
    // message on error.
    bool open(const QString &path, QString *error);
    void write(const JobRecord &job);
    bool isOpen() const { return m_file.isOpen(); }

    static bool writeFile(const QString &path, const ExportSelection &jobs, QString *error);
    // The line for one job, without the newline.
    static QByteArray line(const JobFields &fields);
    static QByteArray header();

private:
    QFile m_file;
};

} // namespace procdeck
