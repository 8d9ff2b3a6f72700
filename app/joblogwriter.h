#pragma once

#include <QFile>
#include <QString>

namespace procdeck {

struct JobRecord;

// Writes GNU parallel's joblog, line by line in finishing order, so that
// `parallel --resume-failed --joblog FILE` reads it. The header goes out at
// once and every line is flushed as it is written: the log is complete up
// to the last finished job even if procdeck is killed.
class JoblogWriter
{
public:
    // Opens (truncates) the file and writes the header. Returns false with a
    // message on error.
    bool open(const QString &path, QString *error);
    void write(const JobRecord &job);
    bool isOpen() const { return m_file.isOpen(); }

    // The line for one job, without the newline.
    static QByteArray line(const JobRecord &job);
    static QByteArray header();

private:
    QFile m_file;
};

} // namespace procdeck
