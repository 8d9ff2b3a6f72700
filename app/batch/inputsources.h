#pragma once

#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <vector>

namespace procdeck {

// One input source: the values after ":::" or the lines of a "::::" file.
struct InputSource
{
    QStringList values;
    bool linkedToPrevious = false; // ":::+" / "::::+": paired with the source before
};

// Turns input sources into the argument tuples of a batch, in GNU
// parallel's order: the cartesian product, the first source varying
// slowest. Sources linked with ":::+" are paired by position (the shortest
// decides the length); with --link every source is paired and shorter ones
// wrap around (the longest decides).
class InputSources
{
public:
    static std::vector<QStringList> combine(const QList<InputSource> &sources, bool linkAll);
    // Reads one argument per line ("\n" or "\r\n"); a last line without a
    // newline counts, an empty file gives no arguments. Values are bytes
    // (see RawText): those that are no UTF-8 reach the jobs unchanged.
    static QStringList splitLines(const QByteArray &data);
    // -0: values end at a NUL byte instead.
    static QStringList splitNul(const QByteArray &data);
    // -L: a value ending in a blank (space, tab ...) goes on with the next
    // one, as parallel reads continued lines; the blank stays.
    static QStringList joinContinuedLines(const QStringList &values);
    // --colsep: a value's columns, split where `separator` matches, as
    // Perl's split (parallel's) does: a trailing empty column counts, an
    // empty value is one empty column. trim: blanks go from both ends of
    // each (--colsep implies parallel's --trim lr).
    static QStringList splitColumns(const QString &value, const QRegularExpression &separator,
                                    bool trim);
    // --header: the column names in a source's first line; empty names at
    // its end are left out, as parallel does.
    static QStringList headerNames(const QString &line, const QRegularExpression &separator);
};

} // namespace procdeck
