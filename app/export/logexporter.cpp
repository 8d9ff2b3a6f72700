#include "app/export/logexporter.h"

#include "app/export/csvwriter.h"
#include "app/export/htmlreportwriter.h"
#include "app/export/jobfields.h"
#include "app/export/joblogwriter.h"
#include "app/export/jsonlineswriter.h"
#include "app/export/resultsfolderwriter.h"

namespace procdeck {

Expected<void> LogExporter::write(ExportFormat format, const QString &path,
                                  const ExportSelection &jobs, const QString &title)
{
    if (path.trimmed().isEmpty())
        return fail(QStringLiteral("no file name given"));
    switch (format) {
    case ExportFormat::Joblog:
        return JoblogWriter::writeFile(path, jobs);
    case ExportFormat::ResultsFolder:
        return ResultsFolderWriter::write(path, jobs);
    case ExportFormat::Csv:
        return CsvWriter::write(path, jobs);
    case ExportFormat::JsonLines:
        return JsonLinesWriter::write(path, jobs);
    case ExportFormat::Html:
        return HtmlReportWriter::write(path, jobs, title);
    }
    return fail(QStringLiteral("unknown export format"));
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
