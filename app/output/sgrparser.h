#pragma once

#include <QList>
#include <QString>
#include <QStringView>

#include <functional>

namespace procdeck {

// A color as a terminal program asks for it: the default, one of the 256
// palette entries (0-7 basic, 8-15 bright, then the 6x6x6 cube and the
// gray ramp), or a 24-bit color. Plain data; the views turn it into
// their own color type with rgb().
struct TermColor
{
    enum class Kind : quint8 { Default, Palette, Rgb };
    Kind kind = Kind::Default;
    quint8 index = 0;  // Palette
    quint32 value = 0; // Rgb: 0xRRGGBB

    static TermColor palette(int index) { return {Kind::Palette, quint8(index), 0}; }
    static TermColor fromRgb(int r, int g, int b)
    {
        return {Kind::Rgb, 0, quint32(r) << 16 | quint32(g) << 8 | quint32(b)};
    }
    bool isDefault() const { return kind == Kind::Default; }
    // 0xRRGGBB; the basic 16 are xterm's. (The default has none: ask the
    // view.)
    quint32 rgb() const;
    bool operator==(const TermColor &o) const
    {
        return kind == o.kind && index == o.index && value == o.value;
    }
    bool operator!=(const TermColor &o) const { return !(*this == o); }
};

// The attributes SGR (ESC [ ... m) sets on the text that follows.
struct TextStyle
{
    TermColor foreground;
    TermColor background;
    bool bold = false;
    bool faint = false;
    bool italic = false;
    bool underline = false;
    bool inverse = false;

    bool isPlain() const { return *this == TextStyle{}; }
    bool operator==(const TextStyle &o) const
    {
        return foreground == o.foreground && background == o.background && bold == o.bold &&
               faint == o.faint && italic == o.italic && underline == o.underline &&
               inverse == o.inverse;
    }
    bool operator!=(const TextStyle &o) const { return !(*this == o); }
};

// Text with one style, as SgrParser::parse() returns it.
struct StyledRun
{
    QString text;
    TextStyle style;
};

// Splits one stream's decoded output into runs of styled text: SGR
// sequences set the style, every other escape (cursor moves, erase line,
// OSC titles and links, DCS and the like) is swallowed, so no escape shows
// as garbage. Stateful: a sequence split across two chunks is completed by
// the next, and the style carries on over lines and chunks. A broken
// sequence never eats more than the rest of its line: a newline ends it.
//
// One per stream per view (the output pane keeps one for stdout and one
// for stderr); the raw bytes in the OutputLog are never touched.
class SgrParser
{
public:
    using RunFn = std::function<void(QStringView text, const TextStyle &style)>;

    // Calls fn for each run of visible text in chunk, in order. The views
    // point into chunk (plain text costs no copy). Empty runs are skipped.
    void feed(QStringView chunk, const RunFn &fn);
    // The same, collected; adjacent runs of one style are merged.
    QList<StyledRun> parse(QStringView chunk);
    // The style the next text gets.
    const TextStyle &style() const { return m_style; }
    // Forgets the style and any unfinished sequence (the text restarts).
    void reset();

    // The visible text without any escape sequence: for one line, say.
    static QString strip(QStringView text);
    // The same; text without escapes comes back shared, not copied.
    static QString strip(const QString &text);

private:
    enum class State : quint8 {
        Ground,
        Escape,             // after ESC
        EscapeIntermediate, // ESC ( B and the like: one more byte
        Csi,                // ESC [ parameters... final
        Osc,                // ESC ] ... BEL or ESC \ (string terminator)
        OscEscape,          // ESC inside an OSC: \ ends it
        String,             // DCS, SOS, PM, APC: ... ESC \ (string terminator)
        StringEscape,
    };

    void startCsi();
    void endCsi(QChar final);
    void applySgr();

    State m_state = State::Ground;
    TextStyle m_style;
    // The CSI's parameter bytes so far; bounded (see kMaxParams).
    QString m_params;
    bool m_csiPrivate = false;      // ESC [ ? ... (or < = >): not SGR
    bool m_csiIntermediate = false; // ESC [ ... SP m and the like: not SGR
    bool m_csiTooLong = false;
};

} // namespace procdeck
