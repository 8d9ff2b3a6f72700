#include "app/engine/startgate.h"

#include <QFile>

namespace procdeck {

namespace {

QByteArray readAll(const char *path)
{
    QFile file(QString::fromLatin1(path));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

StartGate::StartGate()
    : m_probe(&StartGate::readProc)
{}

void StartGate::setProbe(Probe probe)
{
    m_probe = probe ? std::move(probe) : Probe(&StartGate::readProc);
}

bool StartGate::allows(const BatchOptions &options) const
{
    if (options.maxLoad <= 0 && options.minMemFree <= 0)
        return true;
    const SystemState state = m_probe();
    // As parallel: a load at the limit is too high, and so is less memory
    // free than asked for.
    if (options.maxLoad > 0 && state.loadAverage >= options.maxLoad)
        return false;
    if (options.minMemFree > 0 && state.memAvailable >= 0 &&
        state.memAvailable < options.minMemFree)
        return false;
    return true;
}

SystemState StartGate::readProc()
{
    // Read only when a batch has a limit, once a start or a recheck: two
    // small files.
    return parse(readAll("/proc/loadavg"), readAll("/proc/meminfo"));
}

SystemState StartGate::parse(const QByteArray &loadavg, const QByteArray &meminfo)
{
    SystemState state;
    bool ok = false;
    const double load = loadavg.trimmed().split(' ').value(0).toDouble(&ok);
    if (ok)
        state.loadAverage = load;
    for (const QByteArray &line : meminfo.split('\n')) {
        if (!line.startsWith("MemAvailable:"))
            continue;
        // "MemAvailable:   24219300 kB"
        const QList<QByteArray> words = line.simplified().split(' ');
        const qint64 kb = words.value(1).toLongLong(&ok);
        if (ok)
            state.memAvailable = kb * 1024;
        break;
    }
    return state;
}

} // namespace procdeck
