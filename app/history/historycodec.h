#pragma once

#include "app/core/jobresult.h"
#include "app/core/jobspec.h"
#include "app/engine/batchoptions.h"

#include <QByteArray>

namespace procdeck {

// The launch settings of a recorded batch: enough to run it again.
struct BatchSettings
{
    QString label;            // the command template, as the batch list shows it
    QString origin;           // "window" or "run"
    BatchOptions options;     // retries, delay, halt
    int maxParallel = 0;      // the limit when it was launched; 0: none
    QString workingDirectory; // where it was launched from
};

// How history stores procdeck's values: compact JSON, leaving out what has
// its default value, so a job of a 100,000-job batch is a short text.
// Decoding accepts anything the encoder of an older schema wrote (unknown
// keys are ignored, missing ones keep their defaults).
class HistoryCodec
{
public:
    static QByteArray encodeSpec(const JobSpec &spec);
    static JobSpec decodeSpec(const QByteArray &json);
    static QByteArray encodeSettings(const BatchSettings &settings);
    static BatchSettings decodeSettings(const QByteArray &json);
    static QByteArray encodeStages(const QList<StageResult> &stages);
    static QList<StageResult> decodeStages(const QByteArray &json);
};

} // namespace procdeck
