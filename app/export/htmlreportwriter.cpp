#include "app/export/htmlreportwriter.h"

#include "app/core/atomicfile.h"
#include "app/engine/jobquery.h"
#include "app/export/jobfields.h"
#include "app/output/sgrparser.h"

#include <QDateTime>
#include <QStringDecoder>

#include <cmath>

namespace procdeck {

namespace {

constexpr qsizetype kShownBytes = 256 * 1024;

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

QString classOf(const JobResult &result)
{
    switch (result.outcome) {
    case Outcome::Exited:
        return result.exitCode == 0 ? QStringLiteral("ok") : QStringLiteral("fail");
    case Outcome::TimedOut:
        return QStringLiteral("timeout");
    case Outcome::Canceled:
        return QStringLiteral("canceled");
    case Outcome::Signaled:
        return result.stoppedByUser ? QStringLiteral("stopped") : QStringLiteral("fail");
    case Outcome::FailedToStart:
    case Outcome::Interrupted:
        return QStringLiteral("fail");
    case Outcome::None:
        return QStringLiteral("running");
    }
    return QString();
}

// Output as HTML: text escaped, ANSI colors and bold/italic/underline as
// inline styles, every other escape sequence dropped (as the window shows
// it; the other formats keep the bytes).
QString styledText(const QString &text)
{
    QString html;
    html.reserve(text.size() + text.size() / 8);
    auto hex = [](quint32 rgb) { return QStringLiteral("#%1").arg(rgb, 6, 16, QLatin1Char('0')); };
    SgrParser parser;
    parser.feed(text, [&](QStringView run, const TextStyle &style) {
        const QString escaped = esc(run.toString());
        if (style.isPlain()) {
            html += escaped;
            return;
        }
        TermColor fg = style.foreground;
        TermColor bg = style.background;
        if (style.inverse)
            std::swap(fg, bg);
        QStringList css;
        if (!fg.isDefault())
            css << QStringLiteral("color:") + hex(fg.rgb());
        else if (style.inverse)
            css << QStringLiteral("color:#fff");
        if (!bg.isDefault())
            css << QStringLiteral("background:") + hex(bg.rgb());
        else if (style.inverse)
            css << QStringLiteral("background:#222");
        if (style.bold)
            css << QStringLiteral("font-weight:bold");
        if (style.faint)
            css << QStringLiteral("opacity:.7");
        if (style.italic)
            css << QStringLiteral("font-style:italic");
        if (style.underline)
            css << QStringLiteral("text-decoration:underline");
        html +=
            QStringLiteral("<span style=\"%1\">%2</span>").arg(css.join(QLatin1Char(';')), escaped);
    });
    return html;
}

QString outputBlock(const OutputLog *log, Stream stream, const QString &cssClass,
                    const QString &label)
{
    const qint64 size = log ? log->byteCount(stream) : 0;
    if (size == 0)
        return QStringLiteral("<p class=\"none\">no %1</p>\n").arg(label);
    // Only what is shown is read, however much the job printed.
    QStringDecoder decoder(QStringDecoder::Utf8);
    QString text = decoder.decode(log->rawBytes(stream, 0, kShownBytes));
    QString html = QStringLiteral("<pre class=\"%1\" title=\"%2\">%3</pre>\n")
                       .arg(cssClass, label, styledText(text));
    if (size > kShownBytes)
        html += QStringLiteral(
                    "<p class=\"none\">… %1 more bytes of %2 not shown here; the results folder, "
                    "CSV and JSON exports keep every byte</p>\n")
                    .arg(size - kShownBytes)
                    .arg(label);
    return html;
}

} // namespace

QByteArray HtmlReportWriter::render(const ExportSelection &jobs, const QString &title)
{
    QList<JobFields> rows = jobs.inInputOrder();
    for (JobFields &f : rows)
        f = f.asText();
    const JobQuery &query = jobs.jobs();

    int ok = 0, failed = 0, canceled = 0, lanes = 1;
    double t0 = 0, t1 = 0;
    for (const JobFields &f : rows) {
        const JobResult &result = query.result(f.index);
        if (result.outcome == Outcome::Canceled)
            ++canceled;
        else if (result.succeeded())
            ++ok;
        else if (query.state(f.index) == JobState::Finished)
            ++failed;
        if (f.startTime > 0) {
            t0 = t0 == 0 ? f.startTime : qMin(t0, f.startTime);
            t1 = qMax(t1, f.startTime + f.runtime);
            lanes = qMax(lanes, query.slot(f.index));
        }
    }
    const double span = qMax(t1 - t0, 1e-3);

    QString h;
    h += QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                        "<title>%1</title>\n")
             .arg(esc(title));
    h += QStringLiteral(
        "<style>\n"
        "body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}\n"
        "h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}\n"
        ".sum span{display:inline-block;margin-right:16px}\n"
        "table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:3px "
        "8px;"
        "text-align:left;vertical-align:top}th{background:#f4f4f4}td.n{text-align:right;"
        "font-variant-numeric:tabular-nums}\n"
        "code,pre{font:12px/1.35 ui-monospace,monospace}pre{margin:4px 0;padding:6px "
        "8px;background:#f7f7f7;"
        "white-space:pre-wrap;word-break:break-all;border-left:3px solid #bbb}\n"
        "pre.err{color:#b71c1c;border-left-color:#c62828}p.none{color:#888;margin:4px 0}\n"
        "details{margin:4px 0}summary{cursor:pointer}\n"
        ".ok{color:#2e7d32}.fail{color:#c62828;font-weight:600}.timeout{color:#ef6c00;font-weight:"
        "600}"
        ".stopped{color:#6d4c41}.canceled{color:#757575}\n"
        "</style>\n</head>\n<body>\n");
    h += QStringLiteral("<h1>%1</h1>\n").arg(esc(title));
    h += QStringLiteral("<p class=\"sum\"><span>Total <b>%1</b></span><span class=\"ok\">Succeeded "
                        "<b>%2</b></span>"
                        "<span class=\"fail\">Failed <b>%3</b></span><span "
                        "class=\"canceled\">Canceled <b>%4</b></span>"
                        "<span>Wall time <b>%5 s</b></span><span>Parallel slots <b>%6</b></span>"
                        "<span>Report written %7</span></p>\n")
             .arg(rows.size())
             .arg(ok)
             .arg(failed)
             .arg(canceled)
             .arg(QString::number(t1 > 0 ? t1 - t0 : 0, 'f', 3))
             .arg(lanes)
             .arg(esc(QDateTime::currentDateTime().toString(Qt::ISODate)));

    // Timeline: one lane per slot, a bar per job.
    const int width = 1100, left = 60, laneHeight = 18, top = 24;
    const int plotWidth = width - left - 10;
    const int height = top + lanes * laneHeight + 10;
    h += QStringLiteral("<h2>Timeline</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%1\" "
                        "height=\"%2\" "
                        "viewBox=\"0 0 %1 %2\" role=\"img\" aria-label=\"When each job ran\">\n")
             .arg(width)
             .arg(height);
    h += QStringLiteral(
        "<style>text{font:11px sans-serif;fill:#555}.bar-ok{fill:#66bb6a}.bar-fail{fill:#e53935}"
        ".bar-timeout{fill:#fb8c00}.bar-stopped{fill:#8d6e63}.bar-running{fill:#42a5f5}</style>\n");
    const double step = std::pow(10.0, std::floor(std::log10(span / 5)));
    const double tick = span / step > 25 ? step * 5 : span / step > 10 ? step * 2 : step;
    for (double t = 0; t <= span + 1e-9; t += tick) {
        const double x = left + t / span * plotWidth;
        h += QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%1\" y2=\"%3\" stroke=\"#e0e0e0\"/>"
                            "<text x=\"%1\" y=\"14\" text-anchor=\"middle\">%4 s</text>\n")
                 .arg(x, 0, 'f', 1)
                 .arg(top - 4)
                 .arg(height - 8)
                 .arg(QString::number(t, 'g', 4));
    }
    for (int lane = 1; lane <= lanes; ++lane) {
        h += QStringLiteral("<text x=\"4\" y=\"%1\">slot %2</text>\n")
                 .arg(top + (lane - 1) * laneHeight + 12)
                 .arg(lane);
    }
    for (const JobFields &f : rows) {
        const JobResult &result = query.result(f.index);
        if (f.startTime <= 0 || result.outcome == Outcome::FailedToStart)
            continue; // it never ran
        const double x = left + (f.startTime - t0) / span * plotWidth;
        const double w = qMax(1.5, f.runtime / span * plotWidth);
        const int y = top + (qMax(1, query.slot(f.index)) - 1) * laneHeight + 2;
        // User text goes in with the other values in one arg() call: a "%3"
        // inside a command must stay text, not become a placeholder.
        const QString tip = QStringLiteral("Job %1: %2 — %3, %4 s")
                                .arg(QString::number(f.seq), f.command, f.status,
                                     QString::number(f.runtime, 'f', 3));
        h += QStringLiteral("<a href=\"#job-%1\"><rect class=\"bar-%2\" x=\"%3\" y=\"%4\" "
                            "width=\"%5\" height=\"%6\" rx=\"2\"><title>%7</title></rect></a>\n")
                 .arg(QString::number(f.seq), classOf(result), QString::number(x, 'f', 1),
                      QString::number(y), QString::number(w, 'f', 1),
                      QString::number(laneHeight - 4), esc(tip));
    }
    h += QStringLiteral(
        "</svg>\n<p class=\"sum\"><span class=\"ok\">&#9632; succeeded</span>"
        "<span class=\"fail\">&#9632; failed</span><span class=\"timeout\">&#9632; timed out"
        "</span><span class=\"stopped\">&#9632; stopped</span><span>Click a bar for its output."
        "</span></p>\n");

    h += QStringLiteral(
        "<h2>Jobs</h2>\n<table>\n<tr><th>Seq</th><th>Command</th><th>Status</th><th>Exitval</th>"
        "<th>Signal</th><th>Started</th><th>Runtime</th><th>CPU time</th><th>Peak "
        "memory</th><th>Stdout</th>"
        "<th>Stderr</th></tr>\n");
    for (const JobFields &f : rows) {
        const JobResult &result = query.result(f.index);
        const OutputLog *log = query.output(f.index);
        const qint64 errBytes = log ? log->byteCount(Stream::Stderr) : 0;
        const QString started = f.startTime > 0
                                    ? QDateTime::fromMSecsSinceEpoch(qint64(f.startTime * 1000))
                                          .toString(QStringLiteral("HH:mm:ss.zzz"))
                                    : QString();
        h += QStringLiteral(
                 "<tr><td class=\"n\"><a href=\"#job-%1\">%1</a></td><td><code>%2</code></td>"
                 "<td class=\"%3\">%4</td><td class=\"n\">%5</td><td class=\"n\">%6</td><td>%7</td>"
                 "<td class=\"n\">%8 s</td><td class=\"n\">%9</td><td class=\"n\">%10</td>"
                 "<td class=\"n\">%11</td><td class=\"n\">%12</td></tr>\n")
                 .arg(QString::number(f.seq), esc(f.command), classOf(result), esc(f.status),
                      QString::number(f.exitval), QString::number(f.signal), started,
                      QString::number(f.runtime, 'f', 3),
                      f.cpuTime >= 0 ? QString::number(f.cpuTime, 'f', 3) + QStringLiteral(" s")
                                     : QString(),
                      f.peakRss >= 0 ? formatBytes(f.peakRss) : QString(),
                      QString::number(f.receive), QString::number(errBytes));
    }
    h += QStringLiteral("</table>\n<h2>Output</h2>\n");
    for (const JobFields &f : rows) {
        const JobResult &result = query.result(f.index);
        const OutputLog *log = query.output(f.index);
        h += QStringLiteral("<details id=\"job-%1\"%2><summary>Job %1: <code>%3</code> — <span "
                            "class=\"%4\">%5</span>"
                            "</summary>\n")
                 .arg(QString::number(f.seq), result.failed() ? QStringLiteral(" open") : QString(),
                      esc(f.command), classOf(result), esc(f.status));
        h += outputBlock(log, Stream::Stdout, QStringLiteral("out"), QStringLiteral("stdout"));
        h += outputBlock(log, Stream::Stderr, QStringLiteral("err"), QStringLiteral("stderr"));
        h += QStringLiteral("</details>\n");
    }
    h += QStringLiteral("</body>\n</html>\n");
    return h.toUtf8();
}

Expected<void> HtmlReportWriter::write(const QString &path, const ExportSelection &jobs,
                                       const QString &title)
{
    return AtomicFile::write(path, render(jobs, title));
}

} // namespace procdeck
