#pragma once

#include "app/core/expected.h"

#include <QByteArray>
#include <QString>

namespace procdeck {

class ExportSelection;

// One self-contained HTML file (inline CSS and SVG, no scripts, no external
// assets): the batch summary, the job table, a timeline with a bar per job
// on a time axis (one lane per parallel slot, colored by outcome), and each
// job's stdout and stderr in a collapsible section. Every command and every
// byte of output is HTML-escaped. Each stream shows its first 256 KiB; the
// other exports keep every byte.
class HtmlReportWriter
{
public:
    static Expected<void> write(const QString &path, const ExportSelection &jobs,
                                const QString &title);
    static QByteArray render(const ExportSelection &jobs, const QString &title);
};

} // namespace procdeck
