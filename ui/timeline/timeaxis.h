#pragma once

#include <QString>
#include <QtGlobal>

namespace procdeck {

// The ticks of the timeline's time axis: round steps, and labels in the
// unit a step calls for (ms, s, min). Used by the TimelineView.
class TimeAxis
{
public:
    // The smallest round step (1-2-5 below a second, then 1, 2, 5, 10, 15,
    // 30 s and the like for minutes and hours) at least minNs long.
    static qint64 step(double minNs);
    // How a tick at ns reads with ticks stepNs apart: "0", "250 ms",
    // "1.5 s", "45 s", "1:30", "5 min", "1:05 h".
    static QString label(qint64 ns, qint64 stepNs);
};

} // namespace procdeck
