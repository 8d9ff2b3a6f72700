#include "app/batch/commandtemplate.h"

#include "app/core/rawtext.h"
#include "app/core/shellquote.h"

#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace procdeck {

namespace {

// Words that only a shell understands as the first word of a command.
const QSet<QString> &shellOnlyWords()
{
    static const QSet<QString> words{
        QStringLiteral("cd"),       QStringLiteral("exit"),     QStringLiteral("export"),
        QStringLiteral("set"),      QStringLiteral("unset"),    QStringLiteral("eval"),
        QStringLiteral("exec"),     QStringLiteral("source"),   QStringLiteral("."),
        QStringLiteral("alias"),    QStringLiteral("read"),     QStringLiteral("wait"),
        QStringLiteral("trap"),     QStringLiteral("shift"),    QStringLiteral("return"),
        QStringLiteral("break"),    QStringLiteral("continue"), QStringLiteral("ulimit"),
        QStringLiteral("umask"),    QStringLiteral("type"),     QStringLiteral("hash"),
        QStringLiteral("readonly"), QStringLiteral("local"),    QStringLiteral("declare"),
        QStringLiteral("let"),      QStringLiteral("if"),       QStringLiteral("then"),
        QStringLiteral("else"),     QStringLiteral("elif"),     QStringLiteral("fi"),
        QStringLiteral("for"),      QStringLiteral("while"),    QStringLiteral("until"),
        QStringLiteral("do"),       QStringLiteral("done"),     QStringLiteral("case"),
        QStringLiteral("esac"),     QStringLiteral("function"), QStringLiteral("[["),
        QStringLiteral("time"),     QStringLiteral("command"),  QStringLiteral("builtin"),
        QStringLiteral("times"),    QStringLiteral("jobs"),
    };
    return words;
}

// Characters that, outside quotes, make a command shell syntax.
bool isShellSyntax(QChar c)
{
    static const QString special = QStringLiteral("&;<>()$`*?[]#~!{}\n");
    return special.contains(c);
}

QString removeExtension(const QString &value)
{
    static const QRegularExpression extension(QStringLiteral("\\.[^/.]*$"));
    // PCRE finds nothing in a string with lone surrogates (RawText's
    // escapes): the match runs on the text with each escape as U+FFFD,
    // which keeps every position.
    const QRegularExpressionMatch m = extension.match(RawText::forDisplay(value));
    if (!m.hasMatch())
        return value;
    return value.left(m.capturedStart()) + value.mid(m.capturedEnd());
}

QString basename(const QString &value)
{
    const qsizetype slash = value.lastIndexOf(QLatin1Char('/'));
    return slash < 0 ? value : value.mid(slash + 1);
}

QString dirname(const QString &value)
{
    // POSIX dirname, as parallel's {//}: "dir/" -> ".", "/x" -> "/".
    QString v = value;
    while (v.size() > 1 && v.endsWith(QLatin1Char('/')))
        v.chop(1);
    const qsizetype slash = v.lastIndexOf(QLatin1Char('/'));
    if (slash < 0)
        return QStringLiteral(".");
    v.truncate(slash);
    while (v.size() > 1 && v.endsWith(QLatin1Char('/')))
        v.chop(1);
    return v.isEmpty() ? QStringLiteral("/") : v;
}

// What -m and -X measure: the bytes the command line takes.
qsizetype utf8Length(QStringView s)
{
    qsizetype n = 0;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const char16_t c = s[i].unicode();
        if (c < 0x80) {
            n += 1;
        } else if (c < 0x800) {
            n += 2;
        } else if (QChar::isHighSurrogate(c) && i + 1 < s.size() &&
                   QChar::isLowSurrogate(s[i + 1].unicode())) {
            n += 4;
            ++i;
        } else if (RawText::isEscape(c)) {
            n += 1; // a byte that is no UTF-8: itself on the command line
        } else {
            n += 3;
        }
    }
    return n;
}

// A replacement string's shape where text[i] is '{'.
struct Replacement
{
    qsizetype end = 0; // the closing brace
    QString digits;    // positional: its number
    QString modifiers; // "", ".", "/", "//", "/.", "#", "%" (or anything else: an error later)
};

// {digits mods} with mods from "./#%", or with --header {name mods}. False:
// literal text.
bool scanReplacement(const QString &text, qsizetype i, const QHash<QString, int> &names,
                     Replacement *r)
{
    qsizetype j = i + 1;
    while (j < text.size() && text.at(j).isDigit())
        ++j;
    const qsizetype modStart = j;
    while (j < text.size() && QStringLiteral("./#%").contains(text.at(j)))
        ++j;
    if (j < text.size() && text.at(j) == QLatin1Char('}')) {
        r->end = j;
        r->digits = text.mid(i + 1, modStart - i - 1);
        r->modifiers = text.mid(modStart, j - modStart);
        return true;
    }
    if (names.isEmpty())
        return false;
    const qsizetype close = text.indexOf(QLatin1Char('}'), i + 1);
    if (close < 0)
        return false;
    const QString inner = text.mid(i + 1, close - i - 1);
    // The longest modifier first: {name/.} is name with "/.".
    for (const char *m : {"/.", "//", "/", ".", ""}) {
        const QString mod = QLatin1String(m);
        if (!inner.endsWith(mod))
            continue;
        const auto found = names.constFind(inner.chopped(mod.size()));
        if (found == names.constEnd())
            continue;
        r->end = close;
        r->digits = QString::number(*found);
        r->modifiers = mod;
        return true;
    }
    return false;
}

} // namespace

QString CommandTemplate::slotMarker()
{
    return QStringLiteral("\uE000slot\uE000");
}

void CommandTemplate::fillSlot(JobSpec *spec, int slot)
{
    const QString marker = slotMarker();
    const QString number = QString::number(slot);
    spec->program.replace(marker, number);
    for (QString &arg : spec->arguments)
        arg.replace(marker, number);
    for (Stage &stage : spec->pipeline) {
        stage.program.replace(marker, number);
        for (QString &arg : stage.arguments)
            arg.replace(marker, number);
    }
    spec->shellCommand.replace(marker, number);
    spec->displayText.replace(marker, number);
}

QString CommandTemplate::quoteWords(const QStringList &words,
                                    const QHash<QString, int> &columnNames)
{
    QStringList out;
    for (const QString &word : words) {
        QString quoted;
        QString literal;
        for (qsizetype i = 0; i < word.size(); ++i) {
            Replacement r;
            if (word.at(i) == QLatin1Char('{') && scanReplacement(word, i, columnNames, &r)) {
                if (!literal.isEmpty())
                    quoted += shellQuote(literal);
                literal.clear();
                quoted += word.mid(i, r.end - i + 1);
                i = r.end;
                continue;
            }
            literal += word.at(i);
        }
        // An empty word stays a word: ''.
        if (!literal.isEmpty() || quoted.isEmpty())
            quoted += shellQuote(literal);
        out << quoted;
    }
    return out.join(QLatin1Char(' '));
}

Expected<CommandTemplate> CommandTemplate::parse(const QString &text, int sourceCount,
                                                 bool appendValues)
{
    Options options;
    options.valueCount = sourceCount;
    options.appendValues = appendValues;
    return parse(text, options);
}

// The Value part of a replacement string (whole: as written), or why it
// cannot be one; `column` is where it stands in the command, for messages.
Expected<CommandTemplate::Part> CommandTemplate::valuePart(const QString &whole,
                                                           const QString &digits,
                                                           const QString &modifiers,
                                                           const Options &options, qsizetype column)
{
    Part part{Kind::Value, QString(), 0, Modifier::Whole};
    static const QHash<QString, Modifier> known{
        {QString(), Modifier::Whole},
        {QStringLiteral("."), Modifier::NoExtension},
        {QStringLiteral("/"), Modifier::Basename},
        {QStringLiteral("//"), Modifier::Dirname},
        {QStringLiteral("/."), Modifier::BasenameNoExtension},
        {QStringLiteral("#"), Modifier::Seq},
        {QStringLiteral("%"), Modifier::Slot},
    };
    const auto modifier = known.constFind(modifiers);
    const bool positional = !digits.isEmpty();
    if (modifier == known.constEnd() ||
        (positional && (*modifier == Modifier::Seq || *modifier == Modifier::Slot))) {
        return fail(QStringLiteral("unknown replacement string %1 at column %2 (known: {} {.} "
                                   "{/} {//} {/.} {#} {%} and {N} {N.} {N/} {N//} {N/.})")
                        .arg(whole)
                        .arg(column));
    }
    part.modifier = *modifier;
    if (positional) {
        if (!options.positionalAllowed) {
            return fail(QStringLiteral("replacement string %1 at column %2: with -m or -X a job "
                                       "holds as many values as fit, so a positional replacement "
                                       "string has no fixed meaning (-N N gives N values a job)")
                            .arg(whole)
                            .arg(column));
        }
        part.source = digits.toInt();
        if (part.source < 1 || part.source > options.valueCount) {
            if (!options.valueLimit.isEmpty()) {
                return fail(QStringLiteral("replacement string %1 at column %2 refers to "
                                           "value %3, but %4")
                                .arg(whole)
                                .arg(column)
                                .arg(digits, options.valueLimit));
            }
            return fail(QStringLiteral("replacement string %1 at column %2 refers to input "
                                       "source %3, but there %4")
                            .arg(whole)
                            .arg(column)
                            .arg(digits)
                            .arg(options.valueCount == 1
                                     ? QStringLiteral("is only 1")
                                     : QStringLiteral("are only %1").arg(options.valueCount)));
        }
    }
    return part;
}

Expected<CommandTemplate> CommandTemplate::parse(const QString &text, const Options &options)
{
    if (text.trimmed().isEmpty())
        return fail(QStringLiteral("the command template is empty"));
    if (const int column = unbalancedQuoteColumn(text))
        return fail(QStringLiteral("unbalanced quote %1 at column %2 of the command template")
                        .arg(text.at(column - 1))
                        .arg(column));

    CommandTemplate t;
    t.m_contextReplace = options.contextReplace;
    const int valueCount = options.valueCount;

    bool direct = true;
    bool anyReplacement = false;
    QList<Word> stage;
    Word word;
    bool inWord = false;
    QChar quote;
    QString literal; // pending shell text

    auto endWord = [&] {
        if (inWord)
            stage.append(word);
        word.clear();
        inWord = false;
    };
    auto addWordText = [&](const QString &s) {
        inWord = true;
        if (!word.isEmpty() && word.last().kind == Kind::Literal)
            word.last().text += s;
        else
            word.append(Part{Kind::Literal, s, 0, Modifier::Whole});
    };
    auto endStage = [&] {
        endWord();
        if (stage.isEmpty())
            direct = false; // "| cmd" or "cmd | | cmd": leave it to the shell
        t.m_stages.append(stage);
        stage.clear();
    };

    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        // A replacement string is replaced wherever it stands, even inside
        // quotes, exactly as parallel does.
        Replacement found;
        if (c == QLatin1Char('{') && scanReplacement(text, i, options.columnNames, &found)) {
            const qsizetype j = found.end;
            Expected<Part> made =
                valuePart(text.mid(i, j - i + 1), found.digits, found.modifiers, options, i + 1);
            if (!made)
                return fail(made.error());
            const Part part = *made;
            anyReplacement = true;
            if (part.modifier == Modifier::Slot)
                t.m_usesSlot = true;
            if (!literal.isEmpty())
                t.m_shellParts.append(Part{Kind::Literal, literal, 0, Modifier::Whole});
            literal.clear();
            t.m_shellParts.append(part);
            if (!quote.isNull())
                direct = false; // a quoted value shows its quotes, as in parallel
            inWord = true;
            word.append(part);
            i = j;
            continue;
        }
        literal += c;
        if (quote == QLatin1Char('\'')) {
            if (c == quote)
                quote = QChar();
            else
                addWordText(c);
            continue;
        }
        if (quote == QLatin1Char('"')) {
            if (c == quote) {
                quote = QChar();
            } else if (c == QLatin1Char('$') || c == QLatin1Char('`')) {
                direct = false;
            } else if (c == QLatin1Char('\\') && i + 1 < text.size()) {
                const QChar next = text.at(i + 1);
                if (QStringLiteral("\"\\$`").contains(next)) {
                    addWordText(next);
                    literal += next;
                    ++i;
                } else {
                    addWordText(c);
                }
            } else {
                addWordText(c);
            }
            continue;
        }
        if (c == QLatin1Char(' ') || c == QLatin1Char('\t')) {
            endWord();
        } else if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            quote = c;
            inWord = true;
        } else if (c == QLatin1Char('\\')) {
            if (i + 1 < text.size()) {
                addWordText(text.at(i + 1));
                literal += text.at(i + 1);
                ++i;
            }
        } else if (c == QLatin1Char('|')) {
            if (i + 1 < text.size() &&
                (text.at(i + 1) == QLatin1Char('|') || text.at(i + 1) == QLatin1Char('&')))
                direct = false;
            endStage();
        } else {
            if (isShellSyntax(c) || (c == QLatin1Char('=') && stage.isEmpty()))
                direct = false; // "VAR=value cmd" needs the shell too
            addWordText(c);
        }
    }
    if (!literal.isEmpty())
        t.m_shellParts.append(Part{Kind::Literal, literal, 0, Modifier::Whole});
    endStage();

    if (!anyReplacement && options.appendValues && valueCount > 0) {
        const Part all{Kind::Value, QString(), 0, Modifier::Whole};
        t.m_shellParts.append(Part{Kind::Literal, QStringLiteral(" "), 0, Modifier::Whole});
        t.m_shellParts.append(all);
        t.m_stages.last().append(Word{all});
    }

    // What {} stands for: with context replace one value, else the job's.
    const int ownCount = options.contextReplace ? 1 : valueCount;
    for (const QList<Word> &words : std::as_const(t.m_stages)) {
        if (words.isEmpty())
            continue;
        const Word &first = words.first();
        // The program must be plain text: a value or a builtin needs the shell.
        if (first.size() != 1 || first.first().kind != Kind::Literal ||
            shellOnlyWords().contains(first.first().text)) {
            direct = false;
        }
        for (const Word &w : words) {
            for (const Part &p : w) {
                // {} of several values is several words; inside a word only a
                // shell can split it the way parallel's quoting does.
                if (repeats(p) && ownCount > 1 && w.size() > 1)
                    direct = false;
            }
        }
    }
    t.m_mode = !direct ? Mode::Shell : t.m_stages.size() > 1 ? Mode::Pipeline : Mode::Direct;
    if (options.contextReplace)
        t.markContexts();
    return t;
}

Expected<CommandTemplate> CommandTemplate::parseWords(const QStringList &words,
                                                      const Options &options)
{
    if (words.isEmpty())
        return fail(QStringLiteral("the command template is empty"));
    CommandTemplate t;
    t.m_contextReplace = options.contextReplace;
    t.m_quotedWords = true;
    bool anyReplacement = false;
    QList<Word> stage;
    qsizetype column = 1; // in the words joined with blanks
    for (const QString &text : words) {
        Word word;
        QString literal;
        for (qsizetype i = 0; i < text.size(); ++i) {
            Replacement found;
            if (text.at(i) == QLatin1Char('{') &&
                scanReplacement(text, i, options.columnNames, &found)) {
                Expected<Part> part = valuePart(text.mid(i, found.end - i + 1), found.digits,
                                                found.modifiers, options, column + i);
                if (!part)
                    return fail(part.error());
                if (!literal.isEmpty())
                    word.append(Part{Kind::Literal, literal, 0, Modifier::Whole});
                literal.clear();
                word.append(*part);
                anyReplacement = true;
                t.m_usesSlot = t.m_usesSlot || part->modifier == Modifier::Slot;
                i = found.end;
                continue;
            }
            literal += text.at(i);
        }
        if (!literal.isEmpty())
            word.append(Part{Kind::Literal, literal, 0, Modifier::Whole});
        stage.append(word); // an empty word is an empty argument
        column += text.size() + 1;
    }
    if (!anyReplacement && options.appendValues && options.valueCount > 0)
        stage.append(Word{Part{Kind::Value, QString(), 0, Modifier::Whole}});
    t.m_stages = {stage};
    // Each word is one argument: no shell needed, unless the program is a
    // shell builtin (-q cd {}).
    const Word &program = stage.first();
    const bool builtin = program.size() == 1 && program.first().kind == Kind::Literal &&
                         shellOnlyWords().contains(program.first().text);
    t.m_mode = builtin ? Mode::Shell : Mode::Direct;
    return t;
}

// -q: one word's arguments. The values go in as they are; a {} of several
// values splits the word between them (pre{} of a b: "prea" "b"), as
// parallel's -q does. A word that gets nothing at all (-N0) is dropped; an
// empty value or a missing positional is an empty argument.
QStringList CommandTemplate::quotedArgs(const Word &word, const Fill &fill) const
{
    QStringList args{QString()};
    bool touched = word.isEmpty(); // the word '' itself
    for (const Part &p : word) {
        if (p.kind == Kind::Literal) {
            args.last() += p.text;
            touched = true;
        } else if (repeats(p) && fill.own.isEmpty() && fill.grouped) {
            continue; // -N0: none
        } else if (repeats(p) && fill.own.size() > 1) {
            for (qsizetype k = 0; k < fill.own.size(); ++k) {
                if (k > 0)
                    args.append(QString());
                args.last() += modified(p.modifier, fill.own.at(k));
            }
            touched = true;
        } else {
            args.last() += valueText(p, fill, false);
            touched = true;
        }
    }
    return touched ? args : QStringList();
}

bool CommandTemplate::repeats(const Part &part)
{
    return part.kind == Kind::Value && part.source == 0 && part.modifier != Modifier::Seq &&
           part.modifier != Modifier::Slot;
}

// Context replace: parallel repeats the text around {} up to the blanks on
// either side. The literal parts are cut at blanks, and the parts of each
// blank-free run that holds a {} share a group number.
void CommandTemplate::markContexts()
{
    QList<Part> parts;
    for (const Part &p : std::as_const(m_shellParts)) {
        if (p.kind != Kind::Literal) {
            parts.append(p);
            continue;
        }
        qsizetype start = 0;
        for (qsizetype i = 1; i <= p.text.size(); ++i) {
            if (i == p.text.size() || p.text.at(i).isSpace() != p.text.at(start).isSpace()) {
                parts.append(Part{Kind::Literal, p.text.mid(start, i - start), 0, Modifier::Whole});
                start = i;
            }
        }
    }
    int group = 0;
    qsizetype runStart = 0;
    auto closeRun = [&](qsizetype end) {
        bool any = false;
        for (qsizetype k = runStart; k < end; ++k)
            any = any || repeats(parts.at(k));
        if (!any)
            return;
        ++group;
        for (qsizetype k = runStart; k < end; ++k)
            parts[k].group = group;
    };
    for (qsizetype i = 0; i < parts.size(); ++i) {
        if (parts.at(i).kind == Kind::Literal && parts.at(i).text.at(0).isSpace()) {
            closeRun(i);
            runStart = i + 1;
        }
    }
    closeRun(parts.size());
    m_shellParts = parts;
}

QString CommandTemplate::modified(Modifier modifier, const QString &v)
{
    switch (modifier) {
    case Modifier::NoExtension:
        return removeExtension(v);
    case Modifier::Basename:
        return basename(v);
    case Modifier::Dirname:
        return dirname(v);
    case Modifier::BasenameNoExtension:
        return removeExtension(basename(v));
    default:
        return v;
    }
}

QString CommandTemplate::valueText(const Part &part, const Fill &fill, bool quoted) const
{
    if (part.modifier == Modifier::Seq)
        return QString::number(fill.seq);
    if (part.modifier == Modifier::Slot)
        return slotMarker();
    auto modify = [&](const QString &v) {
        const QString out = modified(part.modifier, v);
        return quoted ? shellQuote(out) : out;
    };
    if (part.source > 0) {
        // A job with fewer values than the template names (the last one of
        // -n 3): nothing at all, as parallel puts there.
        if (part.source > fill.all.size())
            return QString();
        return modify(fill.all.at(part.source - 1));
    }
    if (fill.own.isEmpty() && fill.grouped)
        return QString(); // -N0: a job of no values
    if (fill.own.size() <= 1)
        return modify(fill.own.value(0));
    QStringList all;
    for (const QString &v : fill.own)
        all << modify(v);
    return all.join(QLatin1Char(' '));
}

QStringList CommandTemplate::arguments(const Word &word, const QStringList &all,
                                       const QList<QStringList> *records, int seq) const
{
    const Fill whole{all, all, seq, records != nullptr};
    const bool perValue =
        records && m_contextReplace && std::any_of(word.begin(), word.end(), repeats);
    if (!perValue)
        return m_quotedWords ? quotedArgs(word, whole) : expandWord(word, whole);
    QStringList args;
    for (const QString &v : all) {
        const QStringList value{v};
        const Fill one{all, value, seq, true};
        args += m_quotedWords ? quotedArgs(word, one) : expandWord(word, one);
    }
    return args;
}

QString CommandTemplate::text(const QStringList &all, const QList<QStringList> *records, int seq,
                              bool quoted) const
{
    if (m_quotedWords) {
        QStringList args;
        for (const Word &w : m_stages.first())
            args += arguments(w, all, records, seq);
        if (!quoted)
            return args.join(QLatin1Char(' '));
        // The slot's marker stays bare, to become a plain number at start.
        QStringList shown;
        for (const QString &arg : std::as_const(args)) {
            if (!m_usesSlot || !arg.contains(slotMarker())) {
                shown << shellQuote(arg);
                continue;
            }
            QStringList pieces = arg.split(slotMarker());
            for (QString &piece : pieces)
                piece = piece.isEmpty() ? piece : shellQuote(piece);
            shown << pieces.join(slotMarker());
        }
        return shown.join(QLatin1Char(' '));
    }
    const Fill whole{all, all, seq, records != nullptr};
    QString out;
    for (qsizetype i = 0; i < m_shellParts.size();) {
        const Part &p = m_shellParts.at(i);
        if (p.group > 0 && records) {
            // Context replace: the context once per value.
            qsizetype end = i;
            while (end < m_shellParts.size() && m_shellParts.at(end).group == p.group)
                ++end;
            for (qsizetype v = 0; v < all.size(); ++v) {
                if (v > 0)
                    out += QLatin1Char(' ');
                const QStringList value{all.at(v)};
                const Fill one{all, value, seq, true};
                for (qsizetype k = i; k < end; ++k) {
                    const Part &q = m_shellParts.at(k);
                    out += q.kind == Kind::Literal ? q.text : valueText(q, one, quoted);
                }
            }
            i = end;
            continue;
        }
        out += p.kind == Kind::Literal ? p.text : valueText(p, whole, quoted);
        ++i;
    }
    return out;
}

QString CommandTemplate::commandText(const QStringList &values, int seq) const
{
    return text(values, nullptr, seq, true);
}

QString CommandTemplate::groupText(const QList<QStringList> &records, int seq) const
{
    QStringList all;
    for (const QStringList &r : records)
        all += r;
    return text(all, &records, seq, true);
}

QString CommandTemplate::plainText(const QStringList &values, int seq) const
{
    return text(values, nullptr, seq, false);
}

qsizetype CommandTemplate::baseLength(int seq) const
{
    qsizetype length = 0;
    int lastGroup = 0;
    for (const Part &p : m_shellParts) {
        if (p.group > 0) {
            if (p.group != lastGroup)
                --length; // one blank fewer than records between contexts
            lastGroup = p.group;
            continue;
        }
        if (p.kind == Kind::Literal)
            length += utf8Length(p.text);
        else if (p.modifier == Modifier::Seq)
            length += utf8Length(QString::number(seq));
        else if (p.modifier == Modifier::Slot)
            length += utf8Length(slotMarker());
        else
            --length; // one blank fewer than values in {}
    }
    return length;
}

qsizetype CommandTemplate::recordLength(const QStringList &record, int seq) const
{
    qsizetype length = 0;
    int groups = 0;
    int lastGroup = 0;
    for (const Part &p : m_shellParts) {
        if (p.group > 0 && p.group != lastGroup)
            ++groups;
        lastGroup = p.group;
        if (p.group > 0) {
            // Its context once more for each value.
            for (const QString &v : record) {
                const QStringList value{v};
                length += p.kind == Kind::Literal
                              ? utf8Length(p.text)
                              : utf8Length(valueText(p, Fill{value, value, seq, true}, true));
            }
        } else if (repeats(p)) {
            // Each value and the blank before it.
            for (const QString &v : record)
                length += utf8Length(shellQuote(modified(p.modifier, v))) + 1;
        }
    }
    // And a blank before each context.
    return length + groups * record.size();
}

QStringList CommandTemplate::expandWord(const Word &word, const Fill &fill) const
{
    if (word.size() == 1 && repeats(word.first())) {
        if (fill.own.size() > 1) {
            // {} alone of several values: one word each.
            QStringList words;
            for (const QString &v : fill.own)
                words << modified(word.first().modifier, v);
            return words;
        }
        if (fill.own.isEmpty() && fill.grouped)
            return {};
    }
    // A word of nothing but values a short job lacks: the shell drops it.
    bool onlyMissing = true;
    for (const Part &p : word) {
        if (p.kind != Kind::Value || p.source == 0 || p.source <= fill.all.size()) {
            onlyMissing = false;
            break;
        }
    }
    if (onlyMissing)
        return {};
    QString text;
    for (const Part &p : word)
        text += p.kind == Kind::Literal ? p.text : valueText(p, fill, false);
    return {text};
}

JobSpec CommandTemplate::build(const QStringList &all, const QList<QStringList> *records,
                               int seq) const
{
    JobSpec spec;
    spec.usesSlot = m_usesSlot;
    spec.displayText = text(all, records, seq, true);
    spec.inputValues = all;
    if (m_mode == Mode::Shell) {
        spec.shellCommand = spec.displayText;
        return spec;
    }
    QList<Stage> stages;
    for (const QList<Word> &words : m_stages) {
        QStringList argv;
        for (const Word &w : words)
            argv += arguments(w, all, records, seq);
        stages.append(Stage{argv.value(0), argv.mid(1)});
    }
    if (m_mode == Mode::Pipeline) {
        spec.pipeline = stages;
    } else {
        spec.program = stages.first().program;
        spec.arguments = stages.first().arguments;
    }
    return spec;
}

JobSpec CommandTemplate::expand(const QStringList &values, int seq) const
{
    return build(values, nullptr, seq);
}

JobSpec CommandTemplate::expandGroup(const QList<QStringList> &records, int seq) const
{
    QStringList all;
    for (const QStringList &r : records)
        all += r;
    return build(all, &records, seq);
}

} // namespace procdeck
