#pragma once

#include <QString>
#include <QStringList>

namespace procdeck {

// Quotes one word so that /bin/sh reads it back as exactly that word.
// Words made only of characters the shell never interprets stay as they are,
// so displayed commands look like what a person would type.
QString shellQuote(const QString &word);

// Joins words into one shell command line, each quoted with shellQuote().
QString shellJoin(const QStringList &words);

// Splits a command of plain words the way /bin/sh would: blanks separate
// words, single quotes keep everything literal, double quotes and
// backslashes escape. Shell syntax (pipes, $VAR, ...) is not interpreted.
QStringList splitWords(const QString &command);

// The column (1-based) of a quote that is never closed, or 0.
int unbalancedQuoteColumn(const QString &command);

} // namespace procdeck
