#include "app/export/resultsfolderwriter.h"

#include "app/core/rawtext.h"
#include "app/engine/jobquery.h"
#include "app/export/jobfields.h"
#include "app/output/outputlog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QScopeGuard>
#include <QTemporaryDir>

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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
    if (RawText::encode(name).size() <= kMaxBytes)
        return name;
    QStringList pieces;
    QString piece;
    qsizetype pieceBytes = 0;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const qsizetype length = name.at(i).isHighSurrogate() && i + 1 < name.size() ? 2 : 1;
        const QString character = name.mid(i, length);
        const qsizetype bytes = RawText::encode(character).size(); // an escape is 1
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

// The folders and files are named by bytes, not QString: a value that is
// no UTF-8 (a RawText escape) names its folder with the bytes it is, as
// parallel's does, which QFile and QDir would encode lossily.

static QString shown(const QByteArray &path)
{
    return RawText::forDisplay(RawText::decode(path));
}

static QString lastError()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

// mkdir -p.
static bool makeFolders(const QByteArray &path)
{
    for (qsizetype slash = path.indexOf('/', 1); slash > 0; slash = path.indexOf('/', slash + 1)) {
        if (::mkdir(path.left(slash).constData(), 0777) != 0 && errno != EEXIST)
            return false;
    }
    struct stat info;
    return (::mkdir(path.constData(), 0777) == 0 || errno == EEXIST) &&
           ::stat(path.constData(), &info) == 0 && S_ISDIR(info.st_mode);
}

static bool writeFully(int fd, const QByteArray &bytes)
{
    for (qsizetype done = 0; done < bytes.size();) {
        const ssize_t n = ::write(fd, bytes.constData() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += n;
    }
    return true;
}

static Expected<void> writeBytes(const QByteArray &path, const QByteArray &bytes)
{
    const int fd = ::open(path.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    bool ok = fd >= 0 && writeFully(fd, bytes);
    const QString why = lastError();
    if (fd >= 0 && ::close(fd) != 0)
        ok = false;
    if (!ok)
        return fail(QStringLiteral("cannot write %1: %2").arg(shown(path), why));
    return {};
}

// Every file under `from` to the same place under `to`, replacing what is
// there.
static Expected<void> moveFiles(const QByteArray &from, const QByteArray &to)
{
    DIR *dir = ::opendir(from.constData());
    if (!dir)
        return fail(QStringLiteral("cannot read %1: %2").arg(shown(from), lastError()));
    Expected<void> result;
    while (const dirent *entry = ::readdir(dir)) {
        const QByteArray name(entry->d_name);
        if (name == "." || name == "..")
            continue;
        const QByteArray source = from + '/' + name;
        const QByteArray target = to + '/' + name;
        struct stat info;
        if (::lstat(source.constData(), &info) != 0) {
            result = fail(QStringLiteral("cannot read %1: %2").arg(shown(source), lastError()));
        } else if (S_ISDIR(info.st_mode)) {
            if (!makeFolders(target))
                result = fail(QStringLiteral("cannot create the folder %1").arg(shown(target)));
            else
                result = moveFiles(source, target);
        } else if (::rename(source.constData(), target.constData()) != 0) {
            result = fail(QStringLiteral("cannot write %1").arg(shown(target)));
        }
        if (!result)
            break;
    }
    ::closedir(dir);
    return result;
}

// rm -r (QDir::removeRecursively would miss the folders named by bytes
// that are no UTF-8).
static void removeTree(const QByteArray &path)
{
    if (DIR *dir = ::opendir(path.constData())) {
        while (const dirent *entry = ::readdir(dir)) {
            const QByteArray name(entry->d_name);
            if (name == "." || name == "..")
                continue;
            const QByteArray inside = path + '/' + name;
            struct stat info;
            if (::lstat(inside.constData(), &info) == 0 && S_ISDIR(info.st_mode))
                removeTree(inside);
            else
                ::unlink(inside.constData());
        }
        ::closedir(dir);
    }
    ::rmdir(path.constData());
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
    const QByteArray stagingPath = QFile::encodeName(staging.path());
    staging.setAutoRemove(false);
    // Whatever is left of it on the way out, unless it became the target.
    bool moved = false;
    const auto cleanUp = qScopeGuard([&] {
        if (!moved)
            removeTree(stagingPath);
    });
    for (const JobFields &f : jobs.inInputOrder()) {
        QString relative;
        for (int v = 0; v < f.values.size(); ++v)
            relative += QStringLiteral("%1/%2/").arg(v + 1).arg(folderName(f.values.at(v)));
        if (f.values.isEmpty())
            relative = QString::number(f.seq) + QLatin1Char('/');
        const QByteArray jobDir = stagingPath + '/' + RawText::encode(relative);
        if (!makeFolders(jobDir.chopped(1))) {
            return fail(QStringLiteral("cannot create the folder %1").arg(shown(jobDir)));
        }
        const OutputLog *log = jobs.jobs().output(f.index);
        const QByteArray out = log ? log->rawBytes(Stream::Stdout) : QByteArray();
        const QByteArray err = log ? log->rawBytes(Stream::Stderr) : QByteArray();
        for (const auto &[name, bytes] :
             {std::pair{QByteArrayLiteral("seq"), QByteArray::number(f.seq) + '\n'},
              std::pair{QByteArrayLiteral("stdout"), out},
              std::pair{QByteArrayLiteral("stderr"), err},
              std::pair{QByteArrayLiteral("exitval"), QByteArray::number(f.exitval) + '\n'}}) {
            if (Expected<void> written = writeBytes(jobDir + name, bytes); !written)
                return written;
        }
    }
    // Into place: a new folder is one rename; into an existing one (as
    // parallel allows) each file moves on its own, replacing an older one.
    if (!target.exists()) {
        if (QDir().rename(staging.path(), target.absoluteFilePath())) {
            moved = true;
            return {};
        }
        return fail(QStringLiteral("cannot create %1").arg(target.absoluteFilePath()));
    }
    if (!target.isDir()) {
        return fail(QStringLiteral("%1 exists and is not a folder").arg(target.absoluteFilePath()));
    }
    return moveFiles(stagingPath, QFile::encodeName(target.absoluteFilePath()));
}

} // namespace procdeck
