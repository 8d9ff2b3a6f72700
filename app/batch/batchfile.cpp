#include "app/batch/batchfile.h"

#include "app/core/shellquote.h"

#include <QStringList>

namespace procdeck {

Expected<BatchFile> BatchFile::parse(const QString &text)
{
    auto fail = [](int line, const QString &message) {
        return procdeck::fail(QStringLiteral("line %1: %2").arg(line).arg(message));
    };
    BatchFile file;
    QStringList arguments;
    bool inArguments = false;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        QString line = lines.at(i);
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        if (inArguments) {
            if (!line.isEmpty())
                arguments << line;
            continue;
        }
        const QString trimmed = line.trimmed();
        if (trimmed.isEmpty() || trimmed.startsWith(QLatin1Char('#')))
            continue;
        if (trimmed == QLatin1String("---")) {
            inArguments = true;
            continue;
        }
        const qsizetype colon = trimmed.indexOf(QLatin1Char(':'));
        if (colon <= 0)
            return fail(
                i + 1,
                QStringLiteral("expected \"key: value\" or \"---\", found \"%1\"").arg(trimmed));
        const QString key = trimmed.left(colon).trimmed().toLower();
        const QString value = trimmed.mid(colon + 1).trimmed();
        bool ok = true;
        if (key == QLatin1String("command")) {
            file.request.command = value;
        } else if (key == QLatin1String("parallel")) {
            file.parallel = value.toInt(&ok);
            if (!ok || file.parallel < 0)
                return fail(i + 1, QStringLiteral(
                                       "parallel must be a whole number of 0 or more, not \"%1\"")
                                       .arg(value));
        } else if (key == QLatin1String("runs")) {
            file.request.times = value.toInt(&ok);
            if (!ok || file.request.times < 1)
                return fail(i + 1,
                            QStringLiteral("runs must be a whole number of 1 or more, not \"%1\"")
                                .arg(value));
        } else if (key == QLatin1String("directory")) {
            file.request.workingDirectory = value;
        } else if (key == QLatin1String("timeout")) {
            const double seconds = value.toDouble(&ok);
            if (!ok || seconds < 0)
                return fail(
                    i + 1,
                    QStringLiteral("timeout must be a number of seconds, not \"%1\"").arg(value));
            file.request.timeoutMs = int(seconds * 1000);
        } else if (key == QLatin1String("retries")) {
            file.request.attempts = value.toInt(&ok);
            if (!ok || file.request.attempts < 1)
                return fail(
                    i + 1, QStringLiteral("retries must be a whole number of 1 or more, not \"%1\"")
                               .arg(value));
        } else if (key == QLatin1String("env")) {
            file.request.environment = splitWords(value);
        } else if (key == QLatin1String("stdin-text")) {
            file.request.stdinMode = BatchRequest::Stdin::Text;
            file.request.stdinText = value;
        } else if (key == QLatin1String("stdin-file")) {
            file.request.stdinMode = BatchRequest::Stdin::File;
            file.request.stdinText = value;
        } else if (key == QLatin1String("terminal")) {
            const QString answer = value.toLower();
            if (answer == QLatin1String("yes") || answer == QLatin1String("true") ||
                answer == QLatin1String("1"))
                file.request.usePty = true;
            else if (answer == QLatin1String("no") || answer == QLatin1String("false") ||
                     answer == QLatin1String("0"))
                file.request.usePty = false;
            else
                return fail(i + 1,
                            QStringLiteral("terminal must be yes or no, not \"%1\"").arg(value));
        } else {
            return fail(i + 1, QStringLiteral(
                                   "unknown key \"%1\" (known: command, parallel, runs, directory, "
                                   "timeout, retries, env, stdin-text, stdin-file, terminal)")
                                   .arg(key));
        }
    }
    if (file.request.command.isEmpty())
        return fail(int(lines.size()), QStringLiteral("no \"command:\" line"));
    file.request.setArguments(arguments);
    return file;
}

QString BatchFile::toText() const
{
    QString text = QStringLiteral("command: %1\n").arg(request.command);
    if (parallel > 0)
        text += QStringLiteral("parallel: %1\n").arg(parallel);
    if (request.sources.isEmpty())
        text += QStringLiteral("runs: %1\n").arg(request.times);
    if (!request.workingDirectory.isEmpty())
        text += QStringLiteral("directory: %1\n").arg(request.workingDirectory);
    if (request.timeoutMs > 0)
        text += QStringLiteral("timeout: %1\n").arg(request.timeoutMs / 1000.0);
    if (request.attempts > 1)
        text += QStringLiteral("retries: %1\n").arg(request.attempts);
    if (!request.environment.isEmpty())
        text += QStringLiteral("env: %1\n").arg(shellJoin(request.environment));
    if (request.stdinMode == BatchRequest::Stdin::Text)
        text += QStringLiteral("stdin-text: %1\n").arg(request.stdinText);
    else if (request.stdinMode == BatchRequest::Stdin::File)
        text += QStringLiteral("stdin-file: %1\n").arg(request.stdinText);
    if (request.usePty)
        text += QStringLiteral("terminal: yes\n");
    text += QStringLiteral("---\n");
    for (const QString &argument : request.arguments())
        text += argument + QLatin1Char('\n');
    return text;
}

} // namespace procdeck
