#include "app/output/sgrparser.h"

#include <QVarLengthArray>

#include <optional>

namespace procdeck {

namespace {

constexpr char16_t kEsc = 0x1b;
constexpr char16_t kBel = 0x07;
constexpr char16_t kCsi8 = 0x9b; // the 8-bit forms, as UTF-8 decodes them
constexpr char16_t kOsc8 = 0x9d;
constexpr char16_t kSt8 = 0x9c;

// A CSI's parameters are a few numbers; past this it is not one a program
// meant, and it is dropped whole (still swallowed up to its final byte).
constexpr qsizetype kMaxParams = 256;
// Parameter values are clamped here: a huge number is no valid code, and
// must not overflow.
constexpr int kMaxValue = 65535;

// GNOME Terminal's Tango palette: readable on light and dark backgrounds.
constexpr quint32 kBasic[16] = {
    0x2e3436, 0xcc0000, 0x4e9a06, 0xc4a000, 0x3465a4, 0x75507b, 0x06989a, 0xd3d7cf,
    0x555753, 0xef2929, 0x8ae234, 0xfce94f, 0x729fcf, 0xad7fa8, 0x34e2e2, 0xeeeeec,
};

bool startsSequence(char16_t c)
{
    return c == kEsc || c == kCsi8 || c == kOsc8 || c == kBel;
}

// One parameter group of an SGR: "38:2::10:20:30" has several values, "1"
// has one. A missing value is -1.
using Group = QVarLengthArray<int, 6>;

QVarLengthArray<Group, 16> parseGroups(QStringView params)
{
    QVarLengthArray<Group, 16> groups;
    groups.append(Group{});
    int value = -1;
    for (const QChar ch : params) {
        const char16_t c = ch.unicode();
        if (c >= u'0' && c <= u'9') {
            value = qMin(kMaxValue, (value < 0 ? 0 : value) * 10 + int(c - u'0'));
        } else if (c == u':') {
            groups.last().append(value);
            value = -1;
        } else if (c == u';') {
            groups.last().append(value);
            groups.append(Group{});
            value = -1;
        }
    }
    groups.last().append(value);
    return groups;
}

bool isByte(int v)
{
    return v >= 0 && v <= 255;
}

} // namespace

quint32 TermColor::rgb() const
{
    if (kind == Kind::Rgb)
        return value;
    if (kind == Kind::Default)
        return 0;
    if (index < 16)
        return kBasic[index];
    if (index < 232) { // the 6x6x6 cube
        static constexpr int kLevels[6] = {0, 95, 135, 175, 215, 255};
        const int i = index - 16;
        return quint32(kLevels[i / 36]) << 16 | quint32(kLevels[i / 6 % 6]) << 8 |
               quint32(kLevels[i % 6]);
    }
    const quint32 gray = 8 + 10 * quint32(index - 232);
    return gray << 16 | gray << 8 | gray;
}

void SgrParser::reset()
{
    m_state = State::Ground;
    m_style = TextStyle{};
    m_params.clear();
}

void SgrParser::feed(QStringView chunk, const RunFn &fn)
{
    const qsizetype n = chunk.size();
    qsizetype runStart = 0; // visible text not handed out yet starts here
    auto flush = [&](qsizetype end) {
        if (end > runStart)
            fn(chunk.sliced(runStart, end - runStart), m_style);
    };
    auto finish = [&](qsizetype i) { // the sequence ends with chunk[i]
        m_state = State::Ground;
        runStart = i + 1;
    };
    auto abandon = [&](qsizetype i) { // chunk[i] is not part of it: text again
        m_state = State::Ground;
        runStart = i;
    };
    if (m_state != State::Ground)
        runStart = n; // nothing visible until the sequence ends
    for (qsizetype i = 0; i < n;) {
        const char16_t c = chunk[i].unicode();
        switch (m_state) {
        case State::Ground:
            if (startsSequence(c)) {
                flush(i);
                runStart = i + 1;
                m_state = c == kEsc    ? State::Escape
                          : c == kOsc8 ? State::Osc
                          : c == kBel  ? State::Ground // a bell shows nothing
                                       : State::Csi;
                if (m_state == State::Csi)
                    startCsi();
            }
            ++i;
            continue;
        case State::Escape:
            if (c == u'[') {
                m_state = State::Csi;
                startCsi();
            } else if (c == u']') {
                m_state = State::Osc;
            } else if (c == u'P' || c == u'X' || c == u'^' || c == u'_') {
                m_state = State::String;
            } else if (c >= 0x20 && c <= 0x2f) {
                m_state = State::EscapeIntermediate;
            } else if (c >= 0x30 && c <= 0x7e) {
                finish(i); // ESC 7, ESC =, ESC M ...: two bytes, done
            } else if (c != kEsc) {
                abandon(i);
                continue;
            }
            ++i;
            continue;
        case State::EscapeIntermediate:
            if (c >= 0x30 && c <= 0x7e) {
                finish(i); // ESC ( B and the like
            } else if (c < 0x20 || c > 0x2f) {
                abandon(i);
                continue;
            }
            ++i;
            continue;
        case State::Csi:
            if (c >= 0x40 && c <= 0x7e) {
                endCsi(QChar(c));
                finish(i);
            } else if (c >= 0x30 && c <= 0x3f) {
                if (c >= 0x3c)
                    m_csiPrivate = true; // ? < = >: a private sequence
                else if (m_params.size() < kMaxParams)
                    m_params.append(QChar(c));
                else
                    m_csiTooLong = true;
            } else if (c >= 0x20 && c <= 0x2f) {
                m_csiIntermediate = true;
            } else if (c == kEsc || c == u'\n' || c == u'\r' || c > 0x7e) {
                abandon(i); // broken: what follows is text (or a new sequence)
                continue;
            } // other controls inside a CSI: ignored, as terminals execute them
            ++i;
            continue;
        case State::Osc:
        case State::String:
            if (c == kEsc) {
                m_state = m_state == State::Osc ? State::OscEscape : State::StringEscape;
            } else if (c == kSt8 || (c == kBel && m_state == State::Osc)) {
                finish(i);
            } else if (c == u'\n') {
                abandon(i); // unterminated: it ends with its line
                continue;
            }
            ++i;
            continue;
        case State::OscEscape:
        case State::StringEscape:
            if (c == u'\\') {
                finish(i);
                ++i;
            } else {
                m_state = State::Escape; // an ESC ends the string and starts anew
            }
            continue;
        }
    }
    if (m_state == State::Ground)
        flush(n);
}

QList<StyledRun> SgrParser::parse(QStringView chunk)
{
    QList<StyledRun> runs;
    feed(chunk, [&](QStringView text, const TextStyle &style) {
        if (!runs.isEmpty() && runs.last().style == style)
            runs.last().text += text;
        else
            runs.append(StyledRun{text.toString(), style});
    });
    return runs;
}

static bool isPlain(QStringView text)
{
    for (const QChar c : text) {
        if (startsSequence(c.unicode()))
            return false;
    }
    return true;
}

QString SgrParser::strip(const QString &text)
{
    return isPlain(text) ? text : strip(QStringView(text));
}

QString SgrParser::strip(QStringView text)
{
    if (isPlain(text))
        return text.toString();
    QString out;
    out.reserve(text.size());
    SgrParser parser;
    parser.feed(text, [&](QStringView run, const TextStyle &) { out += run; });
    return out;
}

void SgrParser::startCsi()
{
    m_params.clear();
    m_csiPrivate = m_csiIntermediate = m_csiTooLong = false;
}

void SgrParser::endCsi(QChar final)
{
    if (final == u'm' && !m_csiPrivate && !m_csiIntermediate && !m_csiTooLong)
        applySgr();
    m_params.clear();
}

void SgrParser::applySgr()
{
    const QVarLengthArray<Group, 16> groups = parseGroups(m_params);
    // An extended color (38, 48, 58): "38;5;n" / "38;2;r;g;b" over the next
    // groups, or "38:5:n" / "38:2:[space]:r:g:b" within its own. Returns the
    // color (none when invalid: the color stays) and moves g past what it
    // used.
    auto extendedColor = [&](qsizetype &g) -> std::optional<TermColor> {
        const Group &own = groups[g];
        QVarLengthArray<int, 6> v; // mode, then its values
        if (own.size() > 1) {
            v.append(own.data() + 1, own.size() - 1);
            if (v.value(0) == 2 && v.size() >= 5)
                v.remove(1); // the color space id before r:g:b
        } else {
            for (qsizetype k = g + 1; k < groups.size() && v.size() < 4; ++k) {
                v.append(groups[k].value(0));
                if (v.size() == 1 && v[0] != 2 && v[0] != 5)
                    break;
                if (v.size() == 2 && v[0] == 5)
                    break;
            }
            g += v.size();
        }
        if (v.value(0) == 5 && v.size() >= 2 && isByte(v[1]))
            return TermColor::palette(v[1]);
        if (v.value(0) == 2 && v.size() >= 4) {
            const int r = qMax(0, v[1]), gr = qMax(0, v[2]), b = qMax(0, v[3]);
            if (isByte(r) && isByte(gr) && isByte(b))
                return TermColor::fromRgb(r, gr, b);
        }
        return std::nullopt;
    };
    TextStyle &s = m_style;
    for (qsizetype g = 0; g < groups.size(); ++g) {
        const int code = qMax(0, groups[g].value(0));
        if (code >= 30 && code <= 37) {
            s.foreground = TermColor::palette(code - 30);
        } else if (code >= 40 && code <= 47) {
            s.background = TermColor::palette(code - 40);
        } else if (code >= 90 && code <= 97) {
            s.foreground = TermColor::palette(code - 90 + 8);
        } else if (code >= 100 && code <= 107) {
            s.background = TermColor::palette(code - 100 + 8);
        } else {
            switch (code) {
            case 0:
                s = TextStyle{};
                break;
            case 1:
                s.bold = true;
                break;
            case 2:
                s.faint = true;
                break;
            case 3:
                s.italic = true;
                break;
            case 4:
                s.underline = groups[g].size() < 2 || groups[g][1] != 0;
                break; // 4:0 is off
            case 7:
                s.inverse = true;
                break;
            case 21:
                s.underline = true;
                break; // double underline
            case 22:
                s.bold = s.faint = false;
                break;
            case 23:
                s.italic = false;
                break;
            case 24:
                s.underline = false;
                break;
            case 27:
                s.inverse = false;
                break;
            case 39:
                s.foreground = TermColor{};
                break;
            case 49:
                s.background = TermColor{};
                break;
            case 38:
                s.foreground = extendedColor(g).value_or(s.foreground);
                break;
            case 48:
                s.background = extendedColor(g).value_or(s.background);
                break;
            case 58:
                extendedColor(g);
                break; // underline color: consumed, not shown
            default:
                break; // blink, conceal, fonts...: not shown
            }
        }
    }
}

} // namespace procdeck
