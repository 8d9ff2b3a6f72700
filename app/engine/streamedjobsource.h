#pragma once

#include "app/batch/inputreader.h"
#include "app/batch/jobbuilder.h"
#include "app/engine/jobsource.h"

#include <QSet>

#include <deque>
#include <memory>

namespace procdeck {

// How a stream of bytes becomes the values of one input source, as GNU
// parallel reads its input.
struct StreamedInput
{
    bool nulSeparated = false;  // -0: values end at NUL, not at a newline
    bool header = false;        // --header: the first value names the columns
    QString eofValue;           // -E: the input ends at this value
    bool joinContinued = false; // -L: a line ending in a blank goes on
    QSet<int> skipSeqs;         // --resume: jobs (by Seq) that are done
    bool skipEmpty = false;     // empty lines are no values (the window's argument list)
};

// The jobs of a BatchRequest whose one input source is read as it comes
// (procdeck run's stdin, the window's argument file): values are split off
// the bytes, grouped (-n, -N, -L) and built a few hundred at a time, when
// the scheduler asks for jobs. What is held is one reader's buffer, the
// values of it not built yet and a few hundred built jobs: the input is
// never all in memory.
//
// Options that need the whole input (-m, -X, --shuf) are not streamed (see
// procdeck run's buildsInParts()).
class StreamedJobSource : public JobSource
{
    Q_OBJECT
public:
    StreamedJobSource(const BatchRequest &request, const StreamedInput &input,
                      std::unique_ptr<InputReader> reader, QObject *parent = nullptr);
    // Values read already (a :::: file, ::: values): only built in parts.
    StreamedJobSource(const BatchRequest &request, const StreamedInput &input,
                      const QStringList &values, QObject *parent = nullptr);

    bool take(JobSpec *spec, int *seq) override;
    bool atEnd() const override { return m_ended && m_ready.empty(); }
    QString error() const override { return m_error; }

private:
    bool readMore();
    bool buildMore();
    void addValues(QStringList values);
    void end(const QString &error);
    void stopReading();
    void allowRaggedColumns();

    struct Ready
    {
        JobSpec spec;
        int seq;
    };

    BatchRequest m_request;
    StreamedInput m_input;
    std::unique_ptr<InputReader> m_reader;
    QByteArray m_partial; // the start of a value whose end has not come
    QStringList m_values; // read and not built yet
    QString m_continued;  // -L: a line ending in a blank, waiting for the next
    bool m_headerRead = false;
    bool m_inputEnded = false; // no more values come
    bool m_ended = false;      // nothing more to build
    int m_nextSeq = 1;
    std::deque<Ready> m_ready;
    QString m_error;
};

} // namespace procdeck
