#include "app/engine/streamedjobsource.h"

#include <limits>

namespace procdeck {

namespace {

// Values built into jobs at a time: enough that a template is parsed once
// for hundreds of jobs, few enough that they are a moment's work.
const qsizetype BuildValues = 256;

bool endsInBlank(const QString &s)
{
    if (s.isEmpty())
        return false;
    const QChar c = s.back();
    return c == QLatin1Char(' ') || c == QLatin1Char('\t') || c == QLatin1Char('\n') ||
           c == QLatin1Char('\r') || c == QLatin1Char('\f') || c == QLatin1Char('\v');
}

} // namespace

StreamedJobSource::StreamedJobSource(const BatchRequest &request, const StreamedInput &input,
                                     std::unique_ptr<InputReader> reader, QObject *parent)
    : JobSource(parent)
    , m_request(request)
    , m_input(input)
    , m_reader(std::move(reader))
{
    m_request.sources = {InputSource{}};
    m_request.linkAll = false;
    allowRaggedColumns();
    connect(m_reader.get(), &InputReader::readyRead, this, &JobSource::ready);
    m_reader->start();
}

StreamedJobSource::StreamedJobSource(const BatchRequest &request, const StreamedInput &input,
                                     const QStringList &values, QObject *parent)
    : JobSource(parent)
    , m_request(request)
    , m_input(input)
    , m_values(values)
    , m_inputEnded(true)
{
    m_request.sources = {InputSource{}};
    m_request.linkAll = false;
    allowRaggedColumns();
}

void StreamedJobSource::allowRaggedColumns()
{
    // Built in parts, a part cannot know whether a later row has a column
    // {N} names: {N} beyond a row's columns is empty, as in parallel,
    // instead of the mistake it is said to be for a whole input.
    if (!m_request.grouping.columnSeparator.isEmpty())
        m_request.grouping.valuesBefore = std::numeric_limits<int>::max() / 2;
}

bool StreamedJobSource::take(JobSpec *spec, int *seq)
{
    while (m_ready.empty() && !m_ended) {
        if (!buildMore() && !readMore())
            return false; // waiting for input
    }
    if (m_ready.empty())
        return false;
    *spec = std::move(m_ready.front().spec);
    *seq = m_ready.front().seq;
    m_ready.pop_front();
    return true;
}

bool StreamedJobSource::readMore()
{
    if (m_inputEnded || !m_reader)
        return false;
    const bool eof = m_reader->atEnd();
    QByteArray data = m_reader->take();
    if (data.isEmpty() && !eof)
        return false;
    if (!m_partial.isEmpty())
        data.prepend(m_partial);
    const char separator = m_input.nulSeparated ? '\0' : '\n';
    const qsizetype last = eof ? data.size() - 1 : data.lastIndexOf(separator);
    m_partial = data.mid(last + 1);
    data.truncate(last + 1);
    addValues(m_input.nulSeparated ? InputSources::splitNul(data) : InputSources::splitLines(data));
    if (eof && !m_inputEnded) {
        if (!m_reader->error().isEmpty()) {
            end(QStringLiteral("cannot read the input: %1").arg(m_reader->error()));
            return true;
        }
        m_inputEnded = true;
        if (!m_continued.isEmpty())
            m_values << m_continued; // the input ended in the middle of one
        m_continued.clear();
    }
    return true;
}

void StreamedJobSource::addValues(QStringList values)
{
    if (m_inputEnded)
        return;
    if (m_input.skipEmpty)
        values.removeAll(QString());
    if (m_input.header && !m_headerRead && !values.isEmpty()) {
        // As parallel: the first line names the columns, {name} is column N.
        m_headerRead = true;
        const QRegularExpression separator(m_request.grouping.columnSeparator);
        int column = 0;
        for (const QString &name : InputSources::headerNames(values.takeFirst(), separator)) {
            ++column;
            if (!name.isEmpty() && !m_request.grouping.columnNames.contains(name))
                m_request.grouping.columnNames.insert(name, column);
        }
    }
    if (!m_input.eofValue.isEmpty()) {
        const qsizetype end = values.indexOf(m_input.eofValue);
        if (end >= 0) {
            values.resize(end);
            m_inputEnded = true; // what follows is not read
            stopReading();
        }
    }
    if (m_input.joinContinued) {
        // The held line goes on with the first new one (or ends here, when
        // -E has ended the input).
        if (!m_continued.isEmpty()) {
            values.prepend(m_continued);
            m_continued.clear();
        }
        const bool open = !values.isEmpty() && endsInBlank(values.last());
        values = InputSources::joinContinuedLines(values);
        if (open && !m_inputEnded)
            m_continued = values.takeLast(); // its next line is still to come
    }
    m_values += values;
}

bool StreamedJobSource::buildMore()
{
    if (m_ended)
        return false;
    const ValueGrouping &g = m_request.grouping;
    const qsizetype per = g.maxRecords > 0 ? g.maxRecords : 1;
    qsizetype n = qMin(m_values.size(), BuildValues * per);
    if (!m_inputEnded)
        n -= n % per; // a group's values may still be coming
    if (n == 0) {
        if (m_inputEnded && m_values.isEmpty()) {
            end(QString());
            return true;
        }
        return false;
    }
    BatchRequest part = m_request;
    part.sources.first().values = m_values.mid(0, n);
    m_values.remove(0, n);
    part.firstSeq = m_nextSeq;
    Expected<std::vector<JobSpec>> specs = JobBuilder::build(part);
    if (!specs) {
        end(specs.error());
        return true;
    }
    for (JobSpec &spec : *specs) {
        const int seq = m_nextSeq++;
        m_request.grouping.valuesBefore =
            qMax(m_request.grouping.valuesBefore, int(spec.inputValues.size()));
        if (!m_input.skipSeqs.contains(seq))
            m_ready.push_back(Ready{std::move(spec), seq});
    }
    return true;
}

void StreamedJobSource::end(const QString &error)
{
    m_ended = true;
    m_inputEnded = true;
    m_error = error;
    m_values.clear();
    m_partial.clear();
    stopReading(); // the rest of the input is not read
}

void StreamedJobSource::stopReading()
{
    // We may be inside its own readyRead().
    InputReader::dispose(&m_reader, this);
}

} // namespace procdeck
