#pragma once

#include "app/history/storedjobs.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace procdeck {

// `procdeck history list`'s two forms of the batch list: a table for
// people (aligned columns, local times) and JSON Lines for scripts (one
// object per batch, UTC ISO 8601 times, numbers as numbers).
class BatchListing
{
public:
    // Header and one row per batch, in the order given:
    // ID STARTED ORIGIN JOBS OK FAILED WALL LABEL.
    static QByteArray table(const QList<StoredBatchSummary> &batches);
    // One compact JSON object and a newline.
    static QByteArray jsonLine(const StoredBatchSummary &batch);

    // "cli" for batches `procdeck run` recorded, "window" for the window's.
    static QString originName(const QString &stored);
    // "12.3s", or "running" for a batch a live procdeck is still running.
    static QString wallText(const StoredBatchSummary &batch);
    // The template on one line; a batch of whole commands has none.
    static QString labelText(const StoredBatchSummary &batch);
};

} // namespace procdeck
