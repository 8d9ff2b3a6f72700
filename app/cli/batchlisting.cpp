#include "app/cli/batchlisting.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include <array>

namespace procdeck {

QString BatchListing::originName(const QString &stored)
{
    return stored == QLatin1String("run") ? QStringLiteral("cli") : stored;
}

QString BatchListing::wallText(const StoredBatchSummary &batch)
{
    if (!batch.isFinished())
        return QStringLiteral("running");
    return QString::number(double(qMax<qint64>(0, batch.wallTimeMs())) / 1000.0, 'f', 1) +
           QLatin1Char('s');
}

QString BatchListing::labelText(const StoredBatchSummary &batch)
{
    if (batch.label.isEmpty())
        return QStringLiteral("(no template: each value a command)");
    // A template may span lines; the table keeps one line per batch.
    QString label = batch.label;
    for (QChar &c : label) {
        if (c.category() == QChar::Other_Control)
            c = QLatin1Char(' ');
    }
    return label;
}

QByteArray BatchListing::table(const QList<StoredBatchSummary> &batches)
{
    constexpr int kColumns = 8;
    using Row = std::array<QString, kColumns>;
    // Numbers line up on the right, words on the left; the label, last, is
    // never padded (it may be long, and a pipe to cut or awk needs no tail).
    constexpr std::array<bool, kColumns> kRightAligned = {true, false, false, true,
                                                          true, true,  true,  false};
    QList<Row> rows;
    rows.append(Row{QStringLiteral("ID"), QStringLiteral("STARTED"), QStringLiteral("ORIGIN"),
                    QStringLiteral("JOBS"), QStringLiteral("OK"), QStringLiteral("FAILED"),
                    QStringLiteral("WALL"), QStringLiteral("LABEL")});
    for (const StoredBatchSummary &b : batches) {
        rows.append(Row{QString::number(b.id),
                        QDateTime::fromMSecsSinceEpoch(b.submittedAtMs)
                            .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                        originName(b.origin), QString::number(b.jobCount),
                        QString::number(b.succeeded), QString::number(b.failedOrInterrupted()),
                        wallText(b), labelText(b)});
    }
    std::array<qsizetype, kColumns> widths{};
    for (const Row &row : std::as_const(rows)) {
        for (int c = 0; c < kColumns; ++c)
            widths[size_t(c)] = qMax(widths[size_t(c)], row[size_t(c)].size());
    }
    QString out;
    for (const Row &row : std::as_const(rows)) {
        QString line;
        for (int c = 0; c < kColumns; ++c) {
            if (c > 0)
                line += QLatin1String("  ");
            const QString &cell = row[size_t(c)];
            if (c == kColumns - 1)
                line += cell;
            else if (kRightAligned[size_t(c)])
                line += cell.rightJustified(widths[size_t(c)]);
            else
                line += cell.leftJustified(widths[size_t(c)]);
        }
        out += line + QLatin1Char('\n');
    }
    return out.toUtf8();
}

QByteArray BatchListing::jsonLine(const StoredBatchSummary &b)
{
    const auto iso = [](qint64 ms) {
        return QDateTime::fromMSecsSinceEpoch(ms).toUTC().toString(Qt::ISODateWithMs);
    };
    QJsonObject o;
    o.insert(QStringLiteral("id"), b.id);
    o.insert(QStringLiteral("started"), iso(b.submittedAtMs));
    o.insert(QStringLiteral("finished"),
             b.isFinished() ? QJsonValue(iso(b.finishedAtMs)) : QJsonValue(QJsonValue::Null));
    o.insert(QStringLiteral("origin"), originName(b.origin));
    o.insert(QStringLiteral("jobs"), b.jobCount);
    o.insert(QStringLiteral("ok"), b.succeeded);
    o.insert(QStringLiteral("failed"), b.failedOrInterrupted());
    o.insert(QStringLiteral("interrupted"), b.interrupted);
    o.insert(QStringLiteral("canceled"), b.canceled);
    o.insert(QStringLiteral("running"), b.running);
    o.insert(QStringLiteral("wallSeconds"),
             b.isFinished() ? QJsonValue(double(qMax<qint64>(0, b.wallTimeMs())) / 1000.0)
                            : QJsonValue(QJsonValue::Null));
    o.insert(QStringLiteral("label"), b.label);
    o.insert(QStringLiteral("outputBytes"), b.outputBytes);
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

} // namespace procdeck
