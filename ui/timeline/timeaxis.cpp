#include "ui/timeline/timeaxis.h"

#include <cmath>

namespace procdeck {

namespace {

constexpr qint64 kMs = 1000000;
constexpr qint64 kS = 1000 * kMs;
constexpr qint64 kMin = 60 * kS;
constexpr qint64 kHour = 60 * kMin;

} // namespace

qint64 TimeAxis::step(double minNs)
{
    if (minNs < kS) {
        for (qint64 decade = 1; decade < kS; decade *= 10) {
            for (qint64 f : {1, 2, 5}) {
                if (double(f * decade) >= minNs)
                    return f * decade;
            }
        }
        return kS;
    }
    static const qint64 steps[] = {kS,    2 * kS,    5 * kS,    10 * kS,   15 * kS,    30 * kS,
                                   kMin,  2 * kMin,  5 * kMin,  10 * kMin, 15 * kMin,  30 * kMin,
                                   kHour, 2 * kHour, 3 * kHour, 6 * kHour, 12 * kHour, 24 * kHour};
    for (qint64 s : steps) {
        if (double(s) >= minNs)
            return s;
    }
    const qint64 days = qint64(std::ceil(minNs / double(24 * kHour)));
    return days * 24 * kHour;
}

QString TimeAxis::label(qint64 ns, qint64 stepNs)
{
    if (ns == 0)
        return QStringLiteral("0");
    if (stepNs < kMs) {
        const int decimals = int(std::ceil(-std::log10(double(stepNs) / double(kMs)) - 1e-9));
        return QStringLiteral("%1 ms").arg(double(ns) / double(kMs), 0, 'f', decimals);
    }
    if (stepNs < kS) {
        if (ns < kS)
            return QStringLiteral("%1 ms").arg(ns / kMs);
        const int decimals = stepNs >= 100 * kMs ? 1 : stepNs >= 10 * kMs ? 2 : 3;
        return QStringLiteral("%1 s").arg(double(ns) / double(kS), 0, 'f', decimals);
    }
    if (ns < kMin)
        return QStringLiteral("%1 s").arg(ns / kS);
    if (stepNs < kMin)
        return QStringLiteral("%1:%2").arg(ns / kMin).arg((ns % kMin) / kS, 2, 10,
                                                          QLatin1Char('0'));
    if (ns < kHour)
        return QStringLiteral("%1 min").arg(ns / kMin);
    return QStringLiteral("%1:%2 h")
        .arg(ns / kHour)
        .arg((ns % kHour) / kMin, 2, 10, QLatin1Char('0'));
}

} // namespace procdeck
