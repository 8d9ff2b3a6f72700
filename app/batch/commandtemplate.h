#pragma once

#include "app/core/expected.h"
#include "app/core/jobspec.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace procdeck {

// A GNU parallel command template: shell syntax with replacement strings
// ({} {.} {/} {//} {/.} {#} {%} and positional {1} {2.} {3/} ...). One
// parser for the window and the command line.
//
// Each job's command is the template with every replacement string swapped
// for the value shell-quoted, as parallel does, so a value is always one
// word whatever it holds. How it then runs depends on the template: plain
// words run directly (no shell), a plain pipeline runs as chained
// processes, anything else runs under the shell. The result is the same;
// the direct forms are faster and report more.
//
// A job normally fills the template with one record: one value per input
// source. procdeck run's -n, -N, -L, -m and -X give a job several records;
// positional {N} then counts through all of their values, {} stands for
// all of them, and with context replace (-X, -N, -L) each word holding {}
// is repeated once per value instead.
class CommandTemplate
{
public:
    enum class Mode { Direct, Pipeline, Shell };

    struct Options
    {
        // Positional {N} may name values 1..valueCount of a job.
        int valueCount = 0;
        // A template without replacement strings gets the values appended.
        bool appendValues = true;
        // -X, -N, -L: the text around {} (up to blanks, parallel's
        // "context") is repeated for each value of the job.
        bool contextReplace = false;
        // -m, -X: jobs hold as many records as fit, so a positional {N}
        // has no fixed meaning; refused with a message.
        bool positionalAllowed = true;
        // Why valueCount is what it is, for the message on a positional
        // beyond it ("a job has at most 2 values (-n 2)"); empty: it is the
        // number of input sources.
        QString valueLimit;
        // --header: {name} (and {name.} ...) stands for {N}.
        QHash<QString, int> columnNames;
    };

    // sourceCount: how many input sources feed it (0 for a whole command).
    // A template without replacement strings gets the values appended,
    // unless appendValues is false. On bad input, the message names the
    // problem and its column.
    static Expected<CommandTemplate> parse(const QString &text, int sourceCount,
                                           bool appendValues = true);
    static Expected<CommandTemplate> parse(const QString &text, const Options &options);

    // -q: the command's words, each one argument as it stands, with its
    // replacement strings filled in (a {} of several values splits its word
    // between them, as parallel's -q does); never shell syntax. Shown and
    // logged with each argument quoted. No baseLength()/recordLength().
    static Expected<CommandTemplate> parseWords(const QStringList &words, const Options &options);
    // The -q words as a template reads: their text quoted, so that the shell
    // takes each character literally; replacement strings stay active.
    static QString quoteWords(const QStringList &words,
                              const QHash<QString, int> &columnNames = {});

    Mode mode() const { return m_mode; }
    // True when the template uses {%}: the slot is only known at start.
    bool usesSlot() const { return m_usesSlot; }

    // The job for one set of values (one per source); seq is 1-based. When
    // usesSlot(), the slot's place holds slotMarker() until the job starts.
    JobSpec expand(const QStringList &values, int seq) const;
    // The job for several records (-n, -m, -X ...). inputValues holds all
    // their values, in order.
    JobSpec expandGroup(const QList<QStringList> &records, int seq) const;
    // The command line as parallel would run it (values quoted).
    QString commandText(const QStringList &values, int seq) const;
    QString groupText(const QList<QStringList> &records, int seq) const;
    // The template with the values as they are, unquoted (--tagstring).
    QString plainText(const QStringList &values, int seq) const;

    // For -m and -X, which fill jobs up to a length: the UTF-8 length of
    // groupText(records, seq) is baseLength(seq) plus recordLength() of
    // each record, for one record or more. Not for positional {N}.
    qsizetype baseLength(int seq) const;
    qsizetype recordLength(const QStringList &record, int seq) const;

    // Stands for the slot number until the Scheduler knows it.
    static QString slotMarker();
    // Replaces slotMarker() in every field of the spec.
    static void fillSlot(JobSpec *spec, int slot);

private:
    enum class Kind { Literal, Value };
    enum class Modifier { Whole, NoExtension, Basename, Dirname, BasenameNoExtension, Seq, Slot };
    struct Part
    {
        Kind kind = Kind::Literal;
        QString text;   // Literal: as written (shell text) or unquoted (word)
        int source = 0; // 0: every value of the record (or job), joined with spaces
        Modifier modifier = Modifier::Whole;
        int group = 0; // context replace: parts of one context share a number > 0
    };
    using Word = QList<Part>;
    // The values one part is filled from.
    struct Fill
    {
        const QStringList &all; // every value of the job: positional {N}
        const QStringList &own; // what {} stands for: all, or one of them
        int seq;
        bool grouped; // several records: none at all is nothing, not ''
    };

    static Expected<Part> valuePart(const QString &whole, const QString &digits,
                                    const QString &modifiers, const Options &options,
                                    qsizetype column);
    static bool repeats(const Part &part);
    static QString modified(Modifier modifier, const QString &value);
    QString valueText(const Part &part, const Fill &fill, bool quoted) const;
    QStringList expandWord(const Word &word, const Fill &fill) const;
    QStringList quotedArgs(const Word &word, const Fill &fill) const;
    // One word's arguments, once per value with context replace.
    QStringList arguments(const Word &word, const QStringList &all,
                          const QList<QStringList> *records, int seq) const;
    QString text(const QStringList &all, const QList<QStringList> *records, int seq,
                 bool quoted) const;
    JobSpec build(const QStringList &all, const QList<QStringList> *records, int seq) const;
    void markContexts();

    Mode m_mode = Mode::Shell;
    bool m_usesSlot = false;
    bool m_contextReplace = false;
    bool m_quotedWords = false;  // -q (parseWords)
    QList<Part> m_shellParts;    // the whole template, for the shell form
    QList<QList<Word>> m_stages; // Direct: one stage; Pipeline: several
};

} // namespace procdeck
