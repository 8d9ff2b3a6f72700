#include "app/history/historybrowser.h"

#include "app/export/jobfields.h"
#include "app/history/historyreader.h"

#include <atomic>

namespace procdeck {

class HistoryBrowser::Worker : public QObject
{
public:
    Worker(HistoryBrowser *browser, QString path)
        : m_browser(browser)
        , m_path(std::move(path))
    {}

    // The reader, opened on first use. A database that failed to open is
    // tried again on the next request: the window's writer may create it
    // meanwhile, or the user may have fixed its folder.
    HistoryReader *reader(QString *error)
    {
        if (m_reader.database().isOpen())
            return &m_reader;
        // (A failed open leaves it closed.)
        Expected<void> opened = m_reader.open(m_path);
        if (!opened) {
            *error = opened.error();
            return nullptr;
        }
        return &m_reader;
    }

    // Runs `f` on the browser's thread, unless the browser is going away.
    template <typename F> void answer(F f)
    {
        if (m_stopping.load())
            return;
        QMetaObject::invokeMethod(m_browser, std::move(f), Qt::QueuedConnection);
    }

    void fail(int ticket, const QString &message)
    {
        answer([b = m_browser, ticket, message] { emit b->failed(ticket, message); });
    }

    HistoryBrowser *browser() const { return m_browser; }
    bool stopping() const { return m_stopping.load(); }
    void stop() { m_stopping.store(true); }

private:
    HistoryBrowser *m_browser;
    QString m_path;
    HistoryReader m_reader;
    std::atomic<bool> m_stopping{false};
};

HistoryBrowser::HistoryBrowser(const QString &path, QObject *parent)
    : QObject(parent)
    , m_path(path)
    , m_worker(new Worker(this, path))
{
    m_thread.setObjectName(QStringLiteral("procdeck history reader"));
    m_worker->moveToThread(&m_thread);
    m_thread.start();
}

HistoryBrowser::~HistoryBrowser()
{
    // Requests still queued see the flag and do nothing; the worker (and
    // its connection) is deleted on its own thread, as Qt SQL wants: a
    // thread that ends still runs its deferred deletes, not other calls.
    m_worker->stop();
    m_worker->deleteLater();
    m_thread.quit();
    m_thread.wait();
}

template <typename Task> int HistoryBrowser::post(Task task)
{
    const int ticket = ++m_lastTicket;
    QMetaObject::invokeMethod(
        m_worker,
        [w = m_worker, ticket, task = std::move(task)]() mutable {
            if (w->stopping())
                return;
            QString error;
            HistoryReader *reader = w->reader(&error);
            if (!reader) {
                w->fail(ticket, error);
                return;
            }
            task(*w, *reader, ticket);
        },
        Qt::QueuedConnection);
    return ticket;
}

int HistoryBrowser::listBatches(const QString &search, int limit)
{
    return post([search, limit](Worker &w, HistoryReader &reader, int ticket) {
        Expected<QList<StoredBatchSummary>> batches = reader.listBatches(search, limit);
        if (!batches)
            return w.fail(ticket, batches.error());
        w.answer([b = w.browser(), ticket, list = std::move(batches).value()] {
            emit b->batchesListed(ticket, list);
        });
    });
}

int HistoryBrowser::openBatch(qint64 batchId)
{
    return post([batchId](Worker &w, HistoryReader &reader, int ticket) {
        Expected<std::unique_ptr<StoredJobs>> loaded = reader.loadBatch(batchId, false);
        if (!loaded)
            return w.fail(ticket, loaded.error());
        // Made on this thread, it belongs to none until the browser's
        // thread takes it (an answer dropped leaves it to whoever holds it).
        std::shared_ptr<StoredJobs> jobs(std::move(loaded).value().release());
        jobs->moveToThread(nullptr);
        w.answer([b = w.browser(), ticket, jobs] {
            jobs->moveToThread(b->thread()); // pulled in, from this thread
            emit b->batchOpened(ticket, jobs);
        });
    });
}

int HistoryBrowser::loadOutput(qint64 batchId, int seq)
{
    return post([batchId, seq](Worker &w, HistoryReader &reader, int ticket) {
        Expected<StoredOutput> output = reader.loadOutput(batchId, seq);
        if (!output)
            return w.fail(ticket, output.error());
        w.answer([b = w.browser(), ticket, batchId, seq, out = std::move(output).value()] {
            emit b->outputLoaded(ticket, batchId, seq, out);
        });
    });
}

int HistoryBrowser::exportBatch(qint64 batchId, const QList<int> &jobs, ExportFormat format,
                                const QString &path)
{
    return post([batchId, jobs, format, path](Worker &w, HistoryReader &reader, int ticket) {
        Expected<std::unique_ptr<StoredJobs>> loaded = reader.loadBatch(batchId, true);
        if (!loaded)
            return w.fail(ticket, loaded.error());
        const std::unique_ptr<StoredJobs> stored = std::move(loaded).value();
        QList<int> indices = jobs;
        if (indices.isEmpty()) {
            for (int i = 0; i < stored->jobCount(); ++i)
                indices << i;
        }
        for (int index : std::as_const(indices)) {
            if (index < 0 || index >= stored->jobCount())
                return w.fail(
                    ticket, QStringLiteral("Batch #%1 has no job %2.").arg(batchId).arg(index + 1));
        }
        const QString title = stored->settings().label;
        Expected<void> written =
            LogExporter::write(format, path, ExportSelection(*stored, indices), title);
        if (!written)
            return w.fail(ticket, written.error());
        w.answer([b = w.browser(), ticket, path] { emit b->exported(ticket, path); });
    });
}

int HistoryBrowser::clear()
{
    return post([](Worker &w, HistoryReader &reader, int ticket) {
        Expected<int> cleared = reader.database().clear();
        if (!cleared)
            return w.fail(ticket, cleared.error());
        w.answer([b = w.browser(), ticket, n = cleared.value()] { emit b->cleared(ticket, n); });
    });
}

} // namespace procdeck
