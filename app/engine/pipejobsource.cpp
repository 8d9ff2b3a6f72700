#include "app/engine/pipejobsource.h"

namespace procdeck {

PipeJobSource::PipeJobSource(const BatchRequest &request, const PipeFormat &format,
                             std::unique_ptr<InputReader> reader, const QSet<int> &skipSeqs,
                             QObject *parent)
    : JobSource(parent)
    , m_request(blockRequest(request, 1))
    , m_splitter(format)
    , m_reader(std::move(reader))
    , m_skipSeqs(skipSeqs)
{
    connect(m_reader.get(), &InputReader::readyRead, this, &JobSource::ready);
    m_reader->start();
}

BatchRequest PipeJobSource::blockRequest(BatchRequest request, qsizetype blocks)
{
    request.sources = {InputSource{QStringList(blocks, QString()), false}};
    request.linkAll = false;
    request.grouping = ValueGrouping();
    request.valuesAreCommands = false;
    request.appendValues = false;
    return request;
}

bool PipeJobSource::take(JobSpec *spec, int *seq)
{
    while (!m_ended) {
        QByteArray block;
        if (m_splitter.takeBlock(&block)) {
            for (const QString &w : m_splitter.takeWarnings())
                emit warning(w);
            const int number = m_nextSeq++;
            if (m_skipSeqs.contains(number))
                continue;
            m_request.firstSeq = number;
            Expected<std::vector<JobSpec>> built = JobBuilder::build(m_request);
            if (!built || built->size() != 1) {
                end(built ? QStringLiteral("--pipe: no job for block %1").arg(number)
                          : built.error());
                return false;
            }
            *spec = std::move(built->front());
            spec->stdinData = std::move(block);
            spec->hasStdinData = true;
            *seq = number;
            return true;
        }
        for (const QString &w : m_splitter.takeWarnings())
            emit warning(w);
        if (m_inputEnded) {
            end(QString());
            return false;
        }
        const bool eof = m_reader->atEnd();
        const QByteArray data = m_reader->take();
        if (!data.isEmpty())
            m_splitter.feed(data);
        if (eof) {
            if (!m_reader->error().isEmpty()) {
                end(QStringLiteral("cannot read the input: %1").arg(m_reader->error()));
                return false;
            }
            m_splitter.finish();
            m_inputEnded = true;
        } else if (data.isEmpty()) {
            return false; // waiting for input
        }
    }
    return false;
}

void PipeJobSource::end(const QString &error)
{
    m_ended = true;
    m_error = error;
    InputReader::dispose(&m_reader, this); // we may be inside its own readyRead()
}

} // namespace procdeck
