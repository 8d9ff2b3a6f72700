#include "app/export/resultsfolderwriter.h"

#include "app/engine/jobquery.h"
#include "app/export/jobfields.h"
#include "app/output/outputlog.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

namespace procdeck {

QString ResultsFolderWriter::folderName(const QString &value)
{
    QString name = value;
    name.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    name.replace(QLatin1Char('/'), QLatin1String("\\_"));
    if (name.isEmpty() || name == QLatin1String(".") || name == QLatin1String(".."))
        name.prepend(QLatin1Char('\\'));
    // A file name holds at most 255 bytes: a longer value becomes nested
    // folders of at most 255 bytes each, as parallel does (cut between
    // characters, never inside one).
    constexpr qsizetype kMaxBytes = 255;
    if (name.toUtf8().size() <= kMaxBytes)
        return name;
    QStringList pieces;
    QString piece;
    qsizetype pieceBytes = 0;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const qsizetype length = name.at(i).isHighSurrogate() && i + 1 < name.size() ? 2 : 1;
        const QString character = name.mid(i, length);
        const qsizetype bytes = character.toUtf8().size();
        if (pieceBytes + bytes > kMaxBytes) {
            pieces << piece;
            piece.clear();
            pieceBytes = 0;
        }
        piece += character;
        pieceBytes += bytes;
        i += length - 1;
    }
    pieces << piece;
    return pieces.join(QLatin1Char('/'));
}

static Expected<void> writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size()) {
        return fail(QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
    }
    return {};
}

Expected<void> ResultsFolderWriter::write(const QString &dir, const ExportSelection &jobs)
{
    const QFileInfo target(dir);
    const QString parent = target.absolutePath();
    if (!QDir().mkpath(parent)) {
        return fail(QStringLiteral("cannot create the folder %1").arg(parent));
    }
    // Build beside the target: same file system, so the final move is a rename.
    QTemporaryDir staging(parent + QStringLiteral("/.procdeck-results-XXXXXX"));
    if (!staging.isValid()) {
        return fail(QStringLiteral("cannot write into %1: %2").arg(parent, staging.errorString()));
    }
    for (const JobFields &f : jobs.inInputOrder()) {
        QString relative;
        for (int v = 0; v < f.values.size(); ++v)
            relative += QStringLiteral("%1/%2/").arg(v + 1).arg(folderName(f.values.at(v)));
        if (f.values.isEmpty())
            relative = QString::number(f.seq) + QLatin1Char('/');
        const QString jobDir = staging.path() + QLatin1Char('/') + relative;
        if (!QDir().mkpath(jobDir)) {
            return fail(QStringLiteral("cannot create the folder %1").arg(jobDir));
        }
        const OutputLog *log = jobs.jobs().output(f.index);
        const QByteArray out = log ? log->rawBytes(Stream::Stdout) : QByteArray();
        const QByteArray err = log ? log->rawBytes(Stream::Stderr) : QByteArray();
        for (const auto &[name, bytes] :
             {std::pair{QStringLiteral("seq"), QByteArray::number(f.seq) + '\n'},
              std::pair{QStringLiteral("stdout"), out}, std::pair{QStringLiteral("stderr"), err},
              std::pair{QStringLiteral("exitval"), QByteArray::number(f.exitval) + '\n'}}) {
            if (Expected<void> written = writeBytes(jobDir + name, bytes); !written)
                return written;
        }
    }
    // Into place: a new folder is one rename; into an existing one (as
    // parallel allows) each file moves on its own, replacing an older one.
    if (!target.exists()) {
        if (QDir().rename(staging.path(), target.absoluteFilePath())) {
            staging.setAutoRemove(false);
            return {};
        }
        return fail(QStringLiteral("cannot create %1").arg(target.absoluteFilePath()));
    }
    if (!target.isDir()) {
        return fail(QStringLiteral("%1 exists and is not a folder").arg(target.absoluteFilePath()));
    }
    QDirIterator it(staging.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString from = it.next();
        const QString to = target.absoluteFilePath() + from.mid(staging.path().size());
        QDir().mkpath(QFileInfo(to).absolutePath());
        QFile::remove(to);
        if (!QFile::rename(from, to)) {
            return fail(QStringLiteral("cannot write %1").arg(to));
        }
    }
    return {};
}

} // namespace procdeck
