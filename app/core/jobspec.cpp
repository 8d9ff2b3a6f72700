#include "app/core/jobspec.h"

#include "app/core/jobresult.h"
#include "app/core/shellquote.h"

#include <csignal>

namespace procdeck {

QString JobSpec::displayCommand() const
{
    if (!displayText.isEmpty())
        return displayText;
    if (usesShell())
        return shellCommand;
    if (isPipeline()) {
        QStringList stages;
        for (const Stage &stage : pipeline)
            stages << shellJoin(QStringList{stage.program} + stage.arguments);
        return stages.join(QStringLiteral(" | "));
    }
    QStringList words{program};
    words += arguments;
    return shellJoin(words);
}

QList<KillStep> defaultTermSequence()
{
    return {{SIGTERM, 200}, {SIGTERM, 100}, {SIGTERM, 50}, {SIGKILL, 25}};
}

static int signalFromName(const QString &name)
{
    bool isNumber = false;
    const int number = name.toInt(&isNumber);
    if (isNumber)
        return number > 0 && number < 65 ? number : 0;
    QString upper = name.toUpper();
    if (!upper.startsWith(QLatin1String("SIG")))
        upper.prepend(QLatin1String("SIG"));
    for (int s = 1; s < 65; ++s) {
        if (signalName(s) == upper)
            return s;
    }
    return 0;
}

Expected<QList<KillStep>> parseTermSequence(const QString &text)
{
    const QStringList items = text.split(QLatin1Char(','));
    QList<KillStep> steps;
    for (int i = 0; i < items.size(); i += 2) {
        const int signal = signalFromName(items.at(i).trimmed());
        if (signal == 0)
            return fail(QStringLiteral("--termseq: \"%1\" is not a signal").arg(items.at(i)));
        int wait = 0;
        if (i + 1 < items.size()) {
            bool ok = false;
            wait = items.at(i + 1).trimmed().toInt(&ok);
            if (!ok || wait < 0)
                return fail(QStringLiteral("--termseq: \"%1\" is not a number of milliseconds")
                                .arg(items.at(i + 1)));
        }
        steps.append({signal, wait});
    }
    return steps;
}

} // namespace procdeck
