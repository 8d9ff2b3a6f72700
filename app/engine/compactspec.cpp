#include "app/engine/compactspec.h"

#include <cstring>

namespace procdeck {

namespace {

// One bit per field that may differ from the common spec.
enum Field : quint32 {
    Program = 1 << 0,
    Arguments = 1 << 1,
    Pipeline = 1 << 2,
    ShellCommand = 1 << 3,
    Shell = 1 << 4,
    DisplayText = 1 << 5,
    InputValues = 1 << 6,
    WorkingDirectory = 1 << 7,
    Environment = 1 << 8,
    TimeoutMs = 1 << 9,
    TermSequence = 1 << 10,
    StdinData = 1 << 11,
    StdinFile = 1 << 12,
    Flags = 1 << 13, // the booleans and nice
    // What most jobs repeat, kept once: the shell command is the display
    // text (a shell job), the display text is what displayCommand() makes
    // of the rest anyway, the input values are the arguments (`cmd {}`).
    ShellCommandIsDisplayText = 1 << 14,
    DisplayTextIsDerived = 1 << 15,
    InputValuesAreArguments = 1 << 16,
};

// What displayCommand() shows when displayText is empty.
QString derivedDisplay(JobSpec s)
{
    s.displayText.clear();
    return s.displayCommand();
}

class Writer
{
public:
    explicit Writer(QByteArray *out)
        : m_out(out)
    {}
    void number(quint64 n)
    {
        // LEB128: 7 bits a byte, the high bit says more follow.
        do {
            const char byte = char(n & 0x7f);
            n >>= 7;
            m_out->append(n ? char(byte | 0x80) : byte);
        } while (n);
    }
    void bytes(const QByteArray &b)
    {
        number(quint64(b.size()));
        m_out->append(b);
    }
    void string(const QString &s)
    {
        // The low bit of the length says how the characters follow: ASCII
        // as one byte each, anything else as UTF-16 (which keeps every
        // QString as it is, lone surrogates too).
        bool ascii = true;
        for (QChar c : s) {
            if (c.unicode() >= 0x80) {
                ascii = false;
                break;
            }
        }
        number(quint64(s.size()) << 1 | (ascii ? 0 : 1));
        if (ascii) {
            m_out->append(s.toLatin1());
        } else {
            m_out->append(reinterpret_cast<const char *>(s.utf16()), s.size() * 2);
        }
    }
    void strings(const QStringList &list)
    {
        number(quint64(list.size()));
        for (const QString &s : list)
            string(s);
    }

private:
    QByteArray *m_out;
};

class Reader
{
public:
    Reader(const char *data, qsizetype size)
        : m_data(data)
        , m_end(data + size)
    {}
    quint64 number()
    {
        quint64 n = 0;
        int shift = 0;
        while (m_data < m_end) {
            const auto byte = quint8(*m_data++);
            n |= quint64(byte & 0x7f) << shift;
            shift += 7;
            if (!(byte & 0x80))
                break;
        }
        return n;
    }
    QByteArray bytes()
    {
        const qsizetype n = take(qsizetype(number()));
        return QByteArray(m_data - n, n);
    }
    QString string()
    {
        const quint64 head = number();
        const auto length = qsizetype(head >> 1);
        if (head & 1) {
            const qsizetype n = take(length * 2);
            QString s(n / 2, Qt::Uninitialized);
            memcpy(s.data(), m_data - n, size_t(n));
            return s;
        }
        const qsizetype n = take(length);
        return QString::fromLatin1(m_data - n, n);
    }
    QStringList strings()
    {
        QStringList list;
        const quint64 n = number();
        list.reserve(qsizetype(n));
        for (quint64 i = 0; i < n && m_data < m_end; ++i)
            list.append(string());
        return list;
    }

private:
    // Moves past n bytes (fewer when the data ends first) and returns how
    // many it moved past.
    qsizetype take(qsizetype n)
    {
        n = qBound(qsizetype(0), n, qsizetype(m_end - m_data));
        m_data += n;
        return n;
    }
    const char *m_data;
    const char *m_end;
};

bool sameStages(const QList<Stage> &a, const QList<Stage> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a[i].program != b[i].program || a[i].arguments != b[i].arguments)
            return false;
    }
    return true;
}

bool sameSteps(const QList<KillStep> &a, const QList<KillStep> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a[i].signal != b[i].signal || a[i].waitMs != b[i].waitMs)
            return false;
    }
    return true;
}

quint64 flagsOf(const JobSpec &s)
{
    return quint64(s.stdinFromCaller) | quint64(s.usesSlot) << 1 | quint64(s.usePty) << 2 |
           quint64(s.setsNice) << 3 | quint64(quint32(s.nice + 64)) << 4;
}

} // namespace

CompactSpec::CompactSpec(const JobSpec &s, const JobSpec &c)
{
    quint32 mask = 0;
    const auto differs = [&](bool different, Field f) {
        if (different)
            mask |= f;
    };
    differs(s.program != c.program, Program);
    differs(s.arguments != c.arguments, Arguments);
    differs(!sameStages(s.pipeline, c.pipeline), Pipeline);
    differs(s.shellCommand != c.shellCommand, ShellCommand);
    differs(s.shell != c.shell, Shell);
    differs(s.displayText != c.displayText, DisplayText);
    differs(s.inputValues != c.inputValues, InputValues);
    differs(s.workingDirectory != c.workingDirectory, WorkingDirectory);
    differs(s.environment != c.environment, Environment);
    differs(s.timeoutMs != c.timeoutMs, TimeoutMs);
    differs(!sameSteps(s.termSequence, c.termSequence), TermSequence);
    differs(s.hasStdinData != c.hasStdinData || s.stdinData != c.stdinData, StdinData);
    differs(s.stdinFile != c.stdinFile, StdinFile);
    differs(flagsOf(s) != flagsOf(c), Flags);
    if ((mask & ShellCommand) && (mask & DisplayText) && s.shellCommand == s.displayText)
        mask = (mask & ~quint32(ShellCommand)) | ShellCommandIsDisplayText;
    if ((mask & InputValues) && (mask & Arguments) && s.inputValues == s.arguments)
        mask = (mask & ~quint32(InputValues)) | InputValuesAreArguments;
    if ((mask & DisplayText) && !(mask & ShellCommandIsDisplayText) && !s.displayText.isEmpty() &&
        s.displayText == derivedDisplay(s))
        mask = (mask & ~quint32(DisplayText)) | DisplayTextIsDerived;
    if (mask == 0)
        return; // the common spec itself: no bytes at all
    QByteArray bytes;
    Writer w(&bytes);
    w.number(mask);
    if (mask & Program)
        w.string(s.program);
    if (mask & Arguments)
        w.strings(s.arguments);
    if (mask & Pipeline) {
        w.number(quint64(s.pipeline.size()));
        for (const Stage &stage : s.pipeline) {
            w.string(stage.program);
            w.strings(stage.arguments);
        }
    }
    if (mask & ShellCommand)
        w.string(s.shellCommand);
    if (mask & Shell)
        w.string(s.shell);
    if (mask & DisplayText)
        w.string(s.displayText);
    if (mask & InputValues)
        w.strings(s.inputValues);
    if (mask & WorkingDirectory)
        w.string(s.workingDirectory);
    if (mask & Environment)
        w.strings(s.environment);
    if (mask & TimeoutMs)
        w.number(quint32(s.timeoutMs));
    if (mask & TermSequence) {
        w.number(quint64(s.termSequence.size()));
        for (const KillStep &step : s.termSequence) {
            w.number(quint32(step.signal));
            w.number(quint32(step.waitMs));
        }
    }
    if (mask & StdinData) {
        w.number(s.hasStdinData ? 1 : 0);
        w.bytes(s.stdinData);
    }
    if (mask & StdinFile)
        w.string(s.stdinFile);
    if (mask & Flags)
        w.number(flagsOf(s));
    if (bytes.size() <= InPlace) {
        memcpy(m_raw, bytes.constData(), size_t(bytes.size()));
        m_raw[InPlace] = char(bytes.size());
        return;
    }
    auto *heap = new char[size_t(bytes.size())];
    memcpy(heap, bytes.constData(), size_t(bytes.size()));
    const qint64 size = bytes.size();
    memcpy(m_raw, &heap, sizeof heap);
    memcpy(m_raw + 8, &size, sizeof size);
    m_raw[InPlace] = char(OnHeap);
}

CompactSpec::CompactSpec(CompactSpec &&other) noexcept
{
    memcpy(m_raw, other.m_raw, sizeof m_raw);
    memset(other.m_raw, 0, sizeof other.m_raw);
}

CompactSpec &CompactSpec::operator=(CompactSpec &&other) noexcept
{
    if (this != &other) {
        release();
        memcpy(m_raw, other.m_raw, sizeof m_raw);
        memset(other.m_raw, 0, sizeof other.m_raw);
    }
    return *this;
}

CompactSpec::~CompactSpec()
{
    release();
}

void CompactSpec::release()
{
    if (onHeap())
        delete[] data();
    memset(m_raw, 0, sizeof m_raw);
}

const char *CompactSpec::data() const
{
    if (!onHeap())
        return m_raw;
    const char *heap = nullptr;
    memcpy(&heap, m_raw, sizeof heap);
    return heap;
}

qsizetype CompactSpec::byteCount() const
{
    if (!onHeap())
        return quint8(m_raw[InPlace]);
    qint64 size = 0;
    memcpy(&size, m_raw + 8, sizeof size);
    return qsizetype(size);
}

JobSpec CompactSpec::expand(const JobSpec &common) const
{
    JobSpec s = common;
    if (byteCount() == 0)
        return s;
    Reader r(data(), byteCount());
    const auto mask = quint32(r.number());
    if (mask & Program)
        s.program = r.string();
    if (mask & Arguments)
        s.arguments = r.strings();
    if (mask & Pipeline) {
        s.pipeline.clear();
        const quint64 n = r.number();
        for (quint64 i = 0; i < n; ++i) {
            Stage stage;
            stage.program = r.string();
            stage.arguments = r.strings();
            s.pipeline.append(std::move(stage));
        }
    }
    if (mask & ShellCommand)
        s.shellCommand = r.string();
    if (mask & Shell)
        s.shell = r.string();
    if (mask & DisplayText)
        s.displayText = r.string();
    if (mask & InputValues)
        s.inputValues = r.strings();
    if (mask & WorkingDirectory)
        s.workingDirectory = r.string();
    if (mask & Environment)
        s.environment = r.strings();
    if (mask & TimeoutMs)
        s.timeoutMs = int(quint32(r.number()));
    if (mask & TermSequence) {
        s.termSequence.clear();
        const quint64 n = r.number();
        for (quint64 i = 0; i < n; ++i) {
            const int signal = int(quint32(r.number()));
            s.termSequence.append(KillStep{signal, int(quint32(r.number()))});
        }
    }
    if (mask & StdinData) {
        s.hasStdinData = r.number() != 0;
        s.stdinData = r.bytes();
    }
    if (mask & StdinFile)
        s.stdinFile = r.string();
    if (mask & Flags) {
        const quint64 f = r.number();
        s.stdinFromCaller = f & 1;
        s.usesSlot = f & 2;
        s.usePty = f & 4;
        s.setsNice = f & 8;
        s.nice = int(f >> 4) - 64;
    }
    if (mask & ShellCommandIsDisplayText)
        s.shellCommand = s.displayText;
    if (mask & InputValuesAreArguments)
        s.inputValues = s.arguments;
    if (mask & DisplayTextIsDerived)
        s.displayText = derivedDisplay(s);
    return s;
}

} // namespace procdeck
