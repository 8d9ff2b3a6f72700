#include "app/batch/commandtemplate.h"

#include "app/core/shellquote.h"

#include <QRegularExpression>
#include <QSet>

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
    QString v = value;
    return v.remove(extension);
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

Expected<CommandTemplate> CommandTemplate::parse(const QString &text, int sourceCount,
                                                 bool appendValues)
{
    if (text.trimmed().isEmpty())
        return fail(QStringLiteral("the command template is empty"));
    if (const int column = unbalancedQuoteColumn(text))
        return fail(QStringLiteral("unbalanced quote %1 at column %2 of the command template")
                        .arg(text.at(column - 1))
                        .arg(column));

    CommandTemplate t;

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
        if (c == QLatin1Char('{')) {
            qsizetype j = i + 1;
            while (j < text.size() && text.at(j).isDigit())
                ++j;
            const QString digits = text.mid(i + 1, j - i - 1);
            const qsizetype modStart = j;
            while (j < text.size() && QStringLiteral("./#%").contains(text.at(j)))
                ++j;
            if (j < text.size() && text.at(j) == QLatin1Char('}')) {
                const QString mods = text.mid(modStart, j - modStart);
                const QString whole = text.mid(i, j - i + 1);
                Part part{Kind::Value, QString(), 0, Modifier::Whole};
                static const QHash<QString, Modifier> modifiers{
                    {QString(), Modifier::Whole},
                    {QStringLiteral("."), Modifier::NoExtension},
                    {QStringLiteral("/"), Modifier::Basename},
                    {QStringLiteral("//"), Modifier::Dirname},
                    {QStringLiteral("/."), Modifier::BasenameNoExtension},
                    {QStringLiteral("#"), Modifier::Seq},
                    {QStringLiteral("%"), Modifier::Slot},
                };
                const auto found = modifiers.constFind(mods);
                const bool positional = !digits.isEmpty();
                if (found == modifiers.constEnd() ||
                    (positional && (*found == Modifier::Seq || *found == Modifier::Slot))) {
                    return fail(
                        QStringLiteral("unknown replacement string %1 at column %2 (known: {} {.} "
                                       "{/} {//} {/.} {#} {%} and {N} {N.} {N/} {N//} {N/.})")
                            .arg(whole)
                            .arg(i + 1));
                }
                part.modifier = *found;
                if (positional) {
                    part.source = digits.toInt();
                    if (part.source < 1 || part.source > sourceCount) {
                        return fail(
                            QStringLiteral("replacement string %1 at column %2 refers to input "
                                           "source %3, but there %4")
                                .arg(whole)
                                .arg(i + 1)
                                .arg(digits)
                                .arg(sourceCount == 1
                                         ? QStringLiteral("is only 1")
                                         : QStringLiteral("are only %1").arg(sourceCount)));
                    }
                }
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

    if (!anyReplacement && appendValues && sourceCount > 0) {
        const Part all{Kind::Value, QString(), 0, Modifier::Whole};
        t.m_shellParts.append(Part{Kind::Literal, QStringLiteral(" "), 0, Modifier::Whole});
        t.m_shellParts.append(all);
        t.m_stages.last().append(Word{all});
    }

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
                // {} of several sources is several words; inside a word only a
                // shell can split it the way parallel's quoting does.
                if (p.kind == Kind::Value && p.source == 0 && sourceCount > 1 &&
                    p.modifier != Modifier::Seq && p.modifier != Modifier::Slot && w.size() > 1)
                    direct = false;
            }
        }
    }
    t.m_mode = !direct ? Mode::Shell : t.m_stages.size() > 1 ? Mode::Pipeline : Mode::Direct;
    return t;
}

QString CommandTemplate::valueText(const Part &part, const QStringList &values, int seq,
                                   bool quoted) const
{
    if (part.modifier == Modifier::Seq)
        return QString::number(seq);
    if (part.modifier == Modifier::Slot)
        return slotMarker();
    auto modify = [&](const QString &v) {
        QString out;
        switch (part.modifier) {
        case Modifier::NoExtension:
            out = removeExtension(v);
            break;
        case Modifier::Basename:
            out = basename(v);
            break;
        case Modifier::Dirname:
            out = dirname(v);
            break;
        case Modifier::BasenameNoExtension:
            out = removeExtension(basename(v));
            break;
        default:
            out = v;
            break;
        }
        return quoted ? shellQuote(out) : out;
    };
    if (part.source > 0)
        return modify(values.value(part.source - 1));
    if (values.size() <= 1)
        return modify(values.value(0));
    QStringList all;
    for (const QString &v : values)
        all << modify(v);
    return all.join(QLatin1Char(' '));
}

QString CommandTemplate::commandText(const QStringList &values, int seq) const
{
    QString out;
    for (const Part &p : m_shellParts)
        out += p.kind == Kind::Literal ? p.text : valueText(p, values, seq, true);
    return out;
}

QString CommandTemplate::plainText(const QStringList &values, int seq) const
{
    QString out;
    for (const Part &p : m_shellParts)
        out += p.kind == Kind::Literal ? p.text : valueText(p, values, seq, false);
    return out;
}

QStringList CommandTemplate::expandWord(const Word &word, const QStringList &values, int seq) const
{
    if (word.size() == 1 && word.first().kind == Kind::Value && word.first().source == 0 &&
        values.size() > 1 && word.first().modifier != Modifier::Seq &&
        word.first().modifier != Modifier::Slot) {
        // {} alone of several sources: one word per source.
        QStringList words;
        for (int s = 1; s <= values.size(); ++s) {
            Part single = word.first();
            single.source = s;
            words << valueText(single, values, seq, false);
        }
        return words;
    }
    QString text;
    for (const Part &p : word)
        text += p.kind == Kind::Literal ? p.text : valueText(p, values, seq, false);
    return {text};
}

JobSpec CommandTemplate::expand(const QStringList &values, int seq) const
{
    JobSpec spec;
    spec.usesSlot = m_usesSlot;
    spec.displayText = commandText(values, seq);
    spec.inputValues = values;
    if (m_mode == Mode::Shell) {
        spec.shellCommand = spec.displayText;
        return spec;
    }
    QList<Stage> stages;
    for (const QList<Word> &words : m_stages) {
        QStringList argv;
        for (const Word &w : words)
            argv += expandWord(w, values, seq);
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

} // namespace procdeck
