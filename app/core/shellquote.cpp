#include "app/core/shellquote.h"

namespace procdeck {

static bool isPlainShellChar(QChar c)
{
    // The same set GNU parallel leaves unquoted, so that commands read the
    // same in both tools' logs.
    const char16_t u = c.unicode();
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '-' ||
           u == '_' || u == '.' || u == '+' || u == '/';
}

QString shellQuote(const QString &word)
{
    if (word.isEmpty())
        return QStringLiteral("''");
    bool plain = true;
    for (QChar c : word) {
        if (!isPlainShellChar(c)) {
            plain = false;
            break;
        }
    }
    if (plain)
        return word;
    // Single quotes keep everything literal; a single quote itself is closed,
    // double-quoted and reopened: it's -> 'it'"'"'s.
    QString quoted = word;
    quoted.replace(QLatin1Char('\''), QLatin1String("'\"'\"'"));
    quoted = QLatin1Char('\'') + quoted + QLatin1Char('\'');
    if (quoted.startsWith(QLatin1String("''")))
        quoted.remove(0, 2);
    if (quoted.endsWith(QLatin1String("''")))
        quoted.chop(2);
    return quoted;
}

QString shellJoin(const QStringList &words)
{
    QStringList quoted;
    quoted.reserve(words.size());
    for (const QString &w : words)
        quoted << shellQuote(w);
    return quoted.join(QLatin1Char(' '));
}

QStringList splitWords(const QString &command)
{
    QStringList words;
    QString word;
    bool inWord = false;
    QChar quote;
    for (qsizetype i = 0; i < command.size(); ++i) {
        const QChar c = command.at(i);
        if (quote == QLatin1Char('\'')) {
            if (c == quote)
                quote = QChar();
            else
                word += c;
        } else if (quote == QLatin1Char('"')) {
            if (c == quote) {
                quote = QChar();
            } else if (c == QLatin1Char('\\') && i + 1 < command.size() &&
                       QStringLiteral("\"\\$`").contains(command.at(i + 1))) {
                word += command.at(++i);
            } else {
                word += c;
            }
        } else if (c == QLatin1Char(' ') || c == QLatin1Char('\t')) {
            if (inWord)
                words << word;
            word.clear();
            inWord = false;
        } else {
            inWord = true;
            if (c == QLatin1Char('\'') || c == QLatin1Char('"'))
                quote = c;
            else if (c == QLatin1Char('\\') && i + 1 < command.size())
                word += command.at(++i);
            else
                word += c;
        }
    }
    if (inWord)
        words << word;
    return words;
}

int unbalancedQuoteColumn(const QString &command)
{
    QChar open;
    int openColumn = 0;
    for (int i = 0; i < command.size(); ++i) {
        const QChar c = command.at(i);
        if (open.isNull()) {
            if (c == QLatin1Char('\\') && i + 1 < command.size()) {
                ++i; // an escaped character never opens a quote
            } else if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
                open = c;
                openColumn = i + 1;
            }
        } else if (c == QLatin1Char('\\') && open == QLatin1Char('"') && i + 1 < command.size()) {
            ++i;
        } else if (c == open) {
            open = QChar();
        }
    }
    return open.isNull() ? 0 : openColumn;
}

} // namespace procdeck
