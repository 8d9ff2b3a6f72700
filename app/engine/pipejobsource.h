#pragma once

#include "app/batch/inputreader.h"
#include "app/batch/jobbuilder.h"
#include "app/batch/pipeblocks.h"
#include "app/engine/jobsource.h"

#include <QSet>

#include <memory>

namespace procdeck {

// --pipe's jobs: stdin cut into blocks as it is read (PipeBlockSplitter),
// one job a block with the block as its stdin, made when the scheduler asks
// for it. What is held is the round being read and the blocks of the jobs
// queued or running, not the input.
class PipeJobSource : public JobSource
{
    Q_OBJECT
public:
    // request: the command (its values are not used: {} is '', as in
    // parallel). skipSeqs: --resume's done blocks.
    PipeJobSource(const BatchRequest &request, const PipeFormat &format,
                  std::unique_ptr<InputReader> reader, const QSet<int> &skipSeqs = {},
                  QObject *parent = nullptr);

    // What each block's job is made from: `request` with `blocks` empty
    // values and nothing appended, so {} is '' as in parallel's commands.
    static BatchRequest blockRequest(BatchRequest request, qsizetype blocks);

    bool take(JobSpec *spec, int *seq) override;
    bool atEnd() const override { return m_ended; }
    QString error() const override { return m_error; }

signals:
    // parallel's warnings ("A record was longer than ..."), as they come.
    void warning(const QString &message);

private:
    void end(const QString &error);

    BatchRequest m_request;
    PipeBlockSplitter m_splitter;
    std::unique_ptr<InputReader> m_reader;
    QSet<int> m_skipSeqs;
    int m_nextSeq = 1;
    bool m_inputEnded = false; // the splitter has been told
    bool m_ended = false;      // and no block is left
    QString m_error;
};

} // namespace procdeck
