#pragma once

#include "app/core/expected.h"

#include <QString>
#include <QStringList>

namespace procdeck {

class ExportSelection;

enum class ExportFormat { Joblog, ResultsFolder, Csv, JsonLines, Html };

// The one entry point the window and the command line export through.
class LogExporter
{
public:
    static Expected<void> write(ExportFormat format, const QString &path,
                                const ExportSelection &jobs, const QString &title);
    // GNU parallel's --results: FILE.csv, FILE.json / FILE.jsonl, else a folder.
    static ExportFormat formatForResults(const QString &path);
    static QString name(ExportFormat format);
    static QString fileFilter(ExportFormat format);
    static QString defaultSuffix(ExportFormat format);
    static QList<ExportFormat> all();
};

} // namespace procdeck
