#include "logexporter.h"

#include "csvwriter.h"
#include "htmlreportwriter.h"
#include "jobfields.h"
#include "joblogwriter.h"
#include "jsonlineswriter.h"
#include "resultsfolderwriter.h"

namespace procdeck {

bool LogExporter::write(ExportFormat format, const QString &path, const ExportSelection &jobs,
                        const QString &title, QString *error)
{
    if (path.trimmed().isEmpty()) {
        *error = QStringLiteral("no file name given");
        return false;
    }
    switch (format) {
    case ExportFormat::Joblog:
        return JoblogWriter::writeFile(path, jobs, error);
    case ExportFormat::ResultsFolder:
        return ResultsFolderWriter::write(path, jobs, error);
    case ExportFormat::Csv:
        return CsvWriter::write(path, jobs, error);
    case ExportFormat::JsonLines:
        return JsonLinesWriter::write(path, jobs, error);
    case ExportFormat::Html:
        return HtmlReportWriter::write(path, jobs, title, error);
    }
    return false;
}

ExportFormat LogExporter::formatForResults(const QString &path)
{
    const QString lower = path.toLower();
    if (lower.endsWith(QLatin1String(".csv")))
        return ExportFormat::Csv;
    if (lower.endsWith(QLatin1String(".json")) || lower.endsWith(QLatin1String(".jsonl")))
        return ExportFormat::JsonLines;
    return ExportFormat::ResultsFolder;
}

QString LogExporter::name(ExportFormat format)
{
    switch (format) {
    case ExportFormat::Joblog:
        return QStringLiteral("GNU parallel joblog");
    case ExportFormat::ResultsFolder:
        return QStringLiteral("Results folder");
    case ExportFormat::Csv:
        return QStringLiteral("CSV");
    case ExportFormat::JsonLines:
        return QStringLiteral("JSON Lines");
    case ExportFormat::Html:
        return QStringLiteral("HTML report");
    }
    return QString();
}

QString LogExporter::fileFilter(ExportFormat format)
{
    switch (format) {
    case ExportFormat::Joblog:
        return QStringLiteral("Joblog (*.joblog *.log *.txt);;All files (*)");
    case ExportFormat::ResultsFolder:
        return QString();
    case ExportFormat::Csv:
        return QStringLiteral("CSV (*.csv)");
    case ExportFormat::JsonLines:
        return QStringLiteral("JSON Lines (*.jsonl *.json)");
    case ExportFormat::Html:
        return QStringLiteral("HTML (*.html *.htm)");
    }
    return QString();
}

QString LogExporter::defaultSuffix(ExportFormat format)
{
    switch (format) {
    case ExportFormat::Joblog:
        return QStringLiteral("joblog");
    case ExportFormat::ResultsFolder:
        return QString();
    case ExportFormat::Csv:
        return QStringLiteral("csv");
    case ExportFormat::JsonLines:
        return QStringLiteral("jsonl");
    case ExportFormat::Html:
        return QStringLiteral("html");
    }
    return QString();
}

QList<ExportFormat> LogExporter::all()
{
    return {ExportFormat::Joblog, ExportFormat::ResultsFolder, ExportFormat::Csv,
            ExportFormat::JsonLines, ExportFormat::Html};
}

} // namespace procdeck
