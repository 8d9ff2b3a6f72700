#include "app/history/historycodec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace procdeck {

namespace {

QJsonArray toArray(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QStringList toStrings(const QJsonValue &value)
{
    QStringList out;
    const QJsonArray array = value.toArray();
    out.reserve(array.size());
    for (const QJsonValue &v : array)
        out << v.toString();
    return out;
}

QJsonObject parseObject(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

QByteArray HistoryCodec::encodeSpec(const JobSpec &spec)
{
    const JobSpec defaults;
    QJsonObject o;
    if (spec.isPipeline()) {
        QJsonArray stages;
        for (const Stage &s : spec.pipeline)
            stages.append(QJsonObject{{QStringLiteral("program"), s.program},
                                      {QStringLiteral("args"), toArray(s.arguments)}});
        o.insert(QStringLiteral("pipeline"), stages);
    } else if (spec.usesShell()) {
        o.insert(QStringLiteral("sh"), spec.shellCommand);
        if (spec.shell != defaults.shell)
            o.insert(QStringLiteral("shell"), spec.shell);
    } else {
        o.insert(QStringLiteral("program"), spec.program);
        if (!spec.arguments.isEmpty())
            o.insert(QStringLiteral("args"), toArray(spec.arguments));
    }
    if (!spec.displayText.isEmpty())
        o.insert(QStringLiteral("display"), spec.displayText);
    if (!spec.inputValues.isEmpty())
        o.insert(QStringLiteral("values"), toArray(spec.inputValues));
    if (!spec.workingDirectory.isEmpty())
        o.insert(QStringLiteral("cwd"), spec.workingDirectory);
    if (!spec.environment.isEmpty())
        o.insert(QStringLiteral("env"), toArray(spec.environment));
    if (spec.timeoutMs > 0)
        o.insert(QStringLiteral("timeoutMs"), spec.timeoutMs);
    if (!spec.termSequence.isEmpty()) {
        QJsonArray steps;
        for (const KillStep &k : spec.termSequence)
            steps.append(QJsonArray{k.signal, k.waitMs});
        o.insert(QStringLiteral("termseq"), steps);
    }
    if (spec.hasStdinData)
        o.insert(QStringLiteral("stdinBase64"), QString::fromLatin1(spec.stdinData.toBase64()));
    if (!spec.stdinFile.isEmpty())
        o.insert(QStringLiteral("stdinFile"), spec.stdinFile);
    if (spec.stdinFromCaller)
        o.insert(QStringLiteral("stdinFromCaller"), true);
    if (spec.usesSlot)
        o.insert(QStringLiteral("usesSlot"), true);
    if (spec.usePty)
        o.insert(QStringLiteral("pty"), true);
    if (spec.setsNice)
        o.insert(QStringLiteral("nice"), spec.nice);
    return compact(o);
}

JobSpec HistoryCodec::decodeSpec(const QByteArray &json)
{
    const QJsonObject o = parseObject(json);
    JobSpec spec;
    for (const QJsonValue &v : o.value(QStringLiteral("pipeline")).toArray()) {
        const QJsonObject s = v.toObject();
        spec.pipeline.append(Stage{s.value(QStringLiteral("program")).toString(),
                                   toStrings(s.value(QStringLiteral("args")))});
    }
    spec.shellCommand = o.value(QStringLiteral("sh")).toString();
    spec.shell = o.value(QStringLiteral("shell")).toString(spec.shell);
    spec.program = o.value(QStringLiteral("program")).toString();
    spec.arguments = toStrings(o.value(QStringLiteral("args")));
    spec.displayText = o.value(QStringLiteral("display")).toString();
    spec.inputValues = toStrings(o.value(QStringLiteral("values")));
    spec.workingDirectory = o.value(QStringLiteral("cwd")).toString();
    spec.environment = toStrings(o.value(QStringLiteral("env")));
    spec.timeoutMs = o.value(QStringLiteral("timeoutMs")).toInt();
    for (const QJsonValue &v : o.value(QStringLiteral("termseq")).toArray()) {
        const QJsonArray step = v.toArray();
        spec.termSequence.append(KillStep{step.at(0).toInt(), step.at(1).toInt()});
    }
    if (o.contains(QStringLiteral("stdinBase64"))) {
        spec.hasStdinData = true;
        spec.stdinData =
            QByteArray::fromBase64(o.value(QStringLiteral("stdinBase64")).toString().toLatin1());
    }
    spec.stdinFile = o.value(QStringLiteral("stdinFile")).toString();
    spec.stdinFromCaller = o.value(QStringLiteral("stdinFromCaller")).toBool();
    spec.usesSlot = o.value(QStringLiteral("usesSlot")).toBool();
    spec.usePty = o.value(QStringLiteral("pty")).toBool();
    spec.setsNice = o.contains(QStringLiteral("nice"));
    spec.nice = o.value(QStringLiteral("nice")).toInt();
    return spec;
}

QByteArray HistoryCodec::encodeSettings(const BatchSettings &s)
{
    QJsonObject o{{QStringLiteral("label"), s.label},
                  {QStringLiteral("origin"), s.origin},
                  {QStringLiteral("attempts"), s.options.attempts},
                  {QStringLiteral("delayMs"), s.options.delayMs},
                  {QStringLiteral("maxParallel"), s.maxParallel},
                  {QStringLiteral("cwd"), s.workingDirectory}};
    const HaltPolicy &h = s.options.halt;
    if (h.when != HaltPolicy::When::Never) {
        o.insert(QStringLiteral("halt"),
                 QJsonObject{{QStringLiteral("when"), h.when == HaltPolicy::When::Now ? 2 : 1},
                             {QStringLiteral("onFailure"), h.onFailure},
                             {QStringLiteral("count"), h.count},
                             {QStringLiteral("percent"), h.percent}});
    }
    return compact(o);
}

BatchSettings HistoryCodec::decodeSettings(const QByteArray &json)
{
    const QJsonObject o = parseObject(json);
    BatchSettings s;
    s.label = o.value(QStringLiteral("label")).toString();
    s.origin = o.value(QStringLiteral("origin")).toString();
    s.options.attempts = qMax(1, o.value(QStringLiteral("attempts")).toInt(1));
    s.options.delayMs = qMax(0, o.value(QStringLiteral("delayMs")).toInt());
    s.maxParallel = qMax(0, o.value(QStringLiteral("maxParallel")).toInt());
    s.workingDirectory = o.value(QStringLiteral("cwd")).toString();
    const QJsonObject h = o.value(QStringLiteral("halt")).toObject();
    if (!h.isEmpty()) {
        const int when = h.value(QStringLiteral("when")).toInt();
        s.options.halt.when = when == 2   ? HaltPolicy::When::Now
                              : when == 1 ? HaltPolicy::When::Soon
                                          : HaltPolicy::When::Never;
        s.options.halt.onFailure = h.value(QStringLiteral("onFailure")).toBool(true);
        s.options.halt.count = h.value(QStringLiteral("count")).toInt();
        s.options.halt.percent = h.value(QStringLiteral("percent")).toDouble(-1);
    }
    return s;
}

QByteArray HistoryCodec::encodeStages(const QList<StageResult> &stages)
{
    if (stages.isEmpty())
        return {};
    QJsonArray a;
    for (const StageResult &s : stages)
        a.append(QJsonArray{s.pid, s.exitCode, s.signal});
    return QJsonDocument(a).toJson(QJsonDocument::Compact);
}

QList<StageResult> HistoryCodec::decodeStages(const QByteArray &json)
{
    QList<StageResult> out;
    if (json.isEmpty())
        return out;
    for (const QJsonValue &v : QJsonDocument::fromJson(json).array()) {
        const QJsonArray s = v.toArray();
        out.append(StageResult{qint64(s.at(0).toDouble()), s.at(1).toInt(-1), s.at(2).toInt()});
    }
    return out;
}

} // namespace procdeck
