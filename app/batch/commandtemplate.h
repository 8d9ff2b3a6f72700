#pragma once

#include "app/core/expected.h"
#include "app/core/jobspec.h"

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
class CommandTemplate
{
public:
    enum class Mode { Direct, Pipeline, Shell };

    // sourceCount: how many input sources feed it (0 for a whole command).
    // A template without replacement strings gets the values appended,
    // unless appendValues is false. On bad input, the message names the
    // problem and its column.
    static Expected<CommandTemplate> parse(const QString &text, int sourceCount,
                                           bool appendValues = true);

    Mode mode() const { return m_mode; }
    // True when the template uses {%}: the slot is only known at start.
    bool usesSlot() const { return m_usesSlot; }

    // The job for one set of values (one per source); seq is 1-based. When
    // usesSlot(), the slot's place holds slotMarker() until the job starts.
    JobSpec expand(const QStringList &values, int seq) const;
    // The command line as parallel would run it (values quoted).
    QString commandText(const QStringList &values, int seq) const;
    // The template with the values as they are, unquoted (--tagstring).
    QString plainText(const QStringList &values, int seq) const;

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
        int source = 0; // 0: every source, joined with spaces
        Modifier modifier = Modifier::Whole;
    };
    using Word = QList<Part>;

    QString valueText(const Part &part, const QStringList &values, int seq, bool quoted) const;
    QStringList expandWord(const Word &word, const QStringList &values, int seq) const;

    Mode m_mode = Mode::Shell;
    bool m_usesSlot = false;
    QList<Part> m_shellParts;    // the whole template, for the shell form
    QList<QList<Word>> m_stages; // Direct: one stage; Pipeline: several
};

} // namespace procdeck
