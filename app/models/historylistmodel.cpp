#include "app/models/historylistmodel.h"

#include <QDateTime>

namespace procdeck {

namespace {

bool sameRow(const StoredBatchSummary &a, const StoredBatchSummary &b)
{
    return a.id == b.id && a.label == b.label && a.finishedAtMs == b.finishedAtMs &&
           a.jobCount == b.jobCount && a.succeeded == b.succeeded && a.failed == b.failed &&
           a.canceled == b.canceled && a.interrupted == b.interrupted && a.running == b.running;
}

} // namespace

QString HistoryListModel::plainToolTip(const QString &text)
{
    // Rich text that shows the text as it is: a tooltip that merely looks
    // like HTML would be rendered as HTML.
    return QStringLiteral("<p style='white-space:pre'>%1</p>").arg(text.toHtmlEscaped());
}

void HistoryListModel::setBatches(const QList<StoredBatchSummary> &batches)
{
    // The common refresh: the same batches, maybe a few new ones on top and
    // changed counts in the running ones. Rows move only when the list
    // itself changed (a search, a clear, pruning); then it is reset.
    const qsizetype added = batches.size() - m_batches.size();
    bool sameTail = added >= 0;
    for (qsizetype i = 0; sameTail && i < m_batches.size(); ++i)
        sameTail = batches[i + added].id == m_batches[i].id;
    if (!sameTail) {
        beginResetModel();
        m_batches = batches;
        endResetModel();
        return;
    }
    if (added > 0) {
        beginInsertRows({}, 0, int(added) - 1);
        m_batches = batches.mid(0, added) + m_batches;
        endInsertRows();
    }
    for (qsizetype i = added; i < batches.size(); ++i) {
        if (!sameRow(batches[i], m_batches[i])) {
            m_batches[i] = batches[i];
            emit dataChanged(index(int(i), 0), index(int(i), ColumnCount - 1));
        }
    }
}

int HistoryListModel::rowOf(qint64 batchId) const
{
    for (qsizetype i = 0; i < m_batches.size(); ++i) {
        if (m_batches[i].id == batchId)
            return int(i);
    }
    return -1;
}

int HistoryListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_batches.size());
}

int HistoryListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString HistoryListModel::formatWall(qint64 ms)
{
    if (ms < 0)
        return {};
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(ms);
    if (ms < 60'000)
        return QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1);
    const qint64 s = ms / 1000;
    if (s < 3600)
        return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s / 60) % 60, 2, 10, QLatin1Char('0'));
}

QVariant HistoryListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_batches.size())
        return {};
    const StoredBatchSummary &b = m_batches[index.row()];
    if (role == BatchIdRole)
        return b.id;
    if (role == FailedCountRole)
        return b.failedOrInterrupted();
    if (role == Qt::TextAlignmentRole) {
        const bool number = index.column() == Id || index.column() == Jobs ||
                            index.column() == Succeeded || index.column() == Failed ||
                            index.column() == Wall;
        return QVariant::fromValue(number ? Qt::AlignRight | Qt::AlignVCenter
                                          : Qt::AlignLeft | Qt::AlignVCenter);
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == Command) // as it is, even if it looks like HTML
            return plainToolTip(b.label);
        if (index.column() == Failed) {
            return tr("%1 failed, %2 interrupted (procdeck ended while they ran), %3 canceled")
                .arg(b.failed)
                .arg(b.interrupted)
                .arg(b.canceled);
        }
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case Id:
        return QStringLiteral("#%1").arg(b.id);
    case Started:
        return QDateTime::fromMSecsSinceEpoch(b.submittedAtMs)
            .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case Command:
        return b.label;
    case Jobs:
        return b.jobCount;
    case Succeeded:
        return b.succeeded;
    case Failed:
        return b.failedOrInterrupted();
    case Wall:
        return b.isFinished() ? formatWall(b.wallTimeMs()) : tr("running");
    case Origin:
        return b.origin == QLatin1String("run") ? tr("procdeck run") : tr("window");
    case ColumnCount:
        break;
    }
    return {};
}

QVariant HistoryListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Id:
        return tr("Batch");
    case Started:
        return tr("Started");
    case Command:
        return tr("Command");
    case Jobs:
        return tr("Jobs");
    case Succeeded:
        return tr("OK");
    case Failed:
        return tr("Failed");
    case Wall:
        return tr("Wall time");
    case Origin:
        return tr("From");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace procdeck
