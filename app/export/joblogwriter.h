#pragma once

#include "app/core/expected.h"

#include <QFile>
#include <QString>

namespace procdeck {

class ExportSelection;
struct JobFields;

// Writes GNU parallel's joblog, so that `parallel --resume-failed --joblog
// FILE` reads it. Two ways: live, line by line in finishing order as jobs
// end (procdeck run --joblog: complete up to the last finished job even if
// procdeck is killed), or a whole file at once (an export, atomically).
class JoblogWriter
{
public:
    // Opens (truncates) the file and writes the header. append: a file
    // that already has lines keeps them, and the new ones go after them
    // (--resume), as parallel appends.
    Expected<void> open(const QString &path, bool append = false);
    // One job's line, flushed at once (a full disk says so here).
    Expected<void> write(const JobFields &fields);
    bool isOpen() const { return m_file.isOpen(); }

    static Expected<void> writeFile(const QString &path, const ExportSelection &jobs);
    // The line for one job, without the newline.
    static QByteArray line(const JobFields &fields);
    static QByteArray header();

private:
    QFile m_file;
};

} // namespace procdeck
