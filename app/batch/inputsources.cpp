#include "app/batch/inputsources.h"

#include "app/core/rawtext.h"

namespace procdeck {

QStringList InputSources::splitLines(const QByteArray &data)
{
    QStringList lines;
    if (data.isEmpty())
        return lines;
    qsizetype start = 0;
    while (start < data.size()) {
        qsizetype end = data.indexOf('\n', start);
        if (end < 0)
            end = data.size();
        QByteArray line = data.mid(start, end - start);
        if (line.endsWith('\r'))
            line.chop(1);
        lines << RawText::decode(line); // file names need not be UTF-8
        start = end + 1;
    }
    return lines;
}

QStringList InputSources::splitNul(const QByteArray &data)
{
    QStringList values;
    for (const QByteArray &value : data.split('\0'))
        values << RawText::decode(value);
    if (!data.isEmpty() && data.endsWith('\0'))
        values.removeLast(); // the terminator of the last value
    if (data.isEmpty())
        values.clear();
    return values;
}

// Perl's \s, which parallel tests: ASCII blanks only.
static bool isAsciiBlank(QChar c)
{
    return c == QLatin1Char(' ') || c == QLatin1Char('\t') || c == QLatin1Char('\n') ||
           c == QLatin1Char('\r') || c == QLatin1Char('\f') || c == QLatin1Char('\v');
}

QStringList InputSources::joinContinuedLines(const QStringList &values)
{
    QStringList joined;
    QString pending;
    bool continuing = false;
    for (const QString &v : values) {
        pending += v;
        continuing = !pending.isEmpty() && isAsciiBlank(pending.back());
        if (!continuing) {
            joined << pending;
            pending.clear();
        }
    }
    if (continuing)
        joined << pending; // the input ended in the middle of one
    return joined;
}

static QString trimmedBlanks(const QString &s)
{
    qsizetype begin = 0;
    qsizetype end = s.size();
    while (begin < end && isAsciiBlank(s.at(begin)))
        ++begin;
    while (end > begin && isAsciiBlank(s.at(end - 1)))
        --end;
    return s.mid(begin, end - begin);
}

QStringList InputSources::splitColumns(const QString &value, const QRegularExpression &separator,
                                       bool trim)
{
    QStringList columns;
    qsizetype start = 0; // of the column being read
    qsizetype from = 0;  // where to look for the next separator
    // PCRE finds nothing in a string with lone surrogates (RawText's
    // escapes): it reads the value with each as U+FFFD, which keeps every
    // position, and the columns are cut from the value itself.
    const QString subject = RawText::forDisplay(value);
    while (from <= value.size()) {
        const QRegularExpressionMatch m = separator.match(subject, from);
        if (!m.hasMatch())
            break;
        const qsizetype at = m.capturedStart();
        const qsizetype end = m.capturedEnd();
        if (end == at && at == start) {
            // An empty match where a column starts splits nothing (Perl).
            from = at + 1;
            continue;
        }
        columns << value.mid(start, at - start);
        start = end;
        from = end > at ? end : end + 1;
    }
    columns << value.mid(start);
    if (trim) {
        for (QString &c : columns)
            c = trimmedBlanks(c);
    }
    return columns;
}

QStringList InputSources::headerNames(const QString &line, const QRegularExpression &separator)
{
    QStringList names = splitColumns(line, separator, false);
    while (!names.isEmpty() && names.last().isEmpty())
        names.removeLast();
    return names;
}

std::vector<QStringList> InputSources::combine(const QList<InputSource> &sources, bool linkAll)
{
    std::vector<QStringList> result;
    if (sources.isEmpty())
        return result;

    // Groups of sources paired by position; the groups multiply.
    QList<QList<QStringList>> groups;
    for (const InputSource &s : sources) {
        if (!groups.isEmpty() && (linkAll || s.linkedToPrevious))
            groups.last().append(s.values);
        else
            groups.append({s.values});
    }
    // Each group becomes a list of rows (one value per source in the group).
    QList<QList<QStringList>> groupRows;
    for (const QList<QStringList> &group : std::as_const(groups)) {
        qsizetype length = group.first().size();
        for (const QStringList &values : group)
            length = linkAll ? qMax(length, values.size()) : qMin(length, values.size());
        QList<QStringList> rows;
        for (qsizetype i = 0; i < length; ++i) {
            QStringList row;
            for (const QStringList &values : group)
                row << (values.isEmpty() ? QString() : values.at(i % values.size()));
            rows.append(row);
        }
        groupRows.append(rows);
    }
    size_t total = 1;
    for (const auto &rows : std::as_const(groupRows))
        total *= size_t(rows.size());
    result.reserve(total);
    if (total == 0)
        return result;
    // Odometer over the groups; the last group turns fastest.
    std::vector<qsizetype> at(size_t(groupRows.size()), 0);
    for (size_t n = 0; n < total; ++n) {
        QStringList tuple;
        for (qsizetype g = 0; g < groupRows.size(); ++g)
            tuple += groupRows.at(g).at(at[size_t(g)]);
        result.push_back(tuple);
        for (qsizetype g = groupRows.size() - 1; g >= 0; --g) {
            if (++at[size_t(g)] < groupRows.at(g).size())
                break;
            at[size_t(g)] = 0;
        }
    }
    return result;
}

} // namespace procdeck
