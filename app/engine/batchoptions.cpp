#include "app/engine/batchoptions.h"

#include <QStringList>

namespace procdeck {

Expected<HaltPolicy> HaltPolicy::parse(const QString &text)
{
    HaltPolicy policy;
    const QString t = text.trimmed().toLower();
    // parallel's old numeric forms.
    if (t == QLatin1String("0") || t == QLatin1String("never")) {
        return policy;
    }
    if (t == QLatin1String("1") || t == QLatin1String("2")) {
        policy.when = t == QLatin1String("1") ? When::Soon : When::Now;
        policy.count = 1;
        return policy;
    }
    const QStringList parts = t.split(QLatin1Char(','));
    auto bad = [&] {
        return fail(
            QStringLiteral("--halt: \"%1\" is not when,why=N (e.g. now,fail=1 or soon,success=50%)")
                .arg(text));
    };
    if (parts.size() != 2)
        return bad();
    if (parts[0] == QLatin1String("now"))
        policy.when = When::Now;
    else if (parts[0] == QLatin1String("soon"))
        policy.when = When::Soon;
    else
        return bad();
    const QStringList why = parts[1].split(QLatin1Char('='));
    if (why.size() != 2)
        return bad();
    if (why[0] == QLatin1String("fail"))
        policy.onFailure = true;
    else if (why[0] == QLatin1String("success") || why[0] == QLatin1String("done"))
        policy.onFailure = false;
    else
        return bad();
    bool ok = false;
    if (why[1].endsWith(QLatin1Char('%'))) {
        policy.percent = why[1].chopped(1).toDouble(&ok);
        if (!ok || policy.percent <= 0 || policy.percent > 100)
            return bad();
    } else {
        policy.count = why[1].toInt(&ok);
        if (!ok || policy.count < 1)
            return bad();
    }
    return policy;
}

} // namespace procdeck
