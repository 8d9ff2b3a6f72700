#include "app/process/pipereader.h"

#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

namespace procdeck {

namespace {

// Big pipes for big printers. Few at once: past a per-user budget of pipe
// memory (pipe-user-pages-soft, 64 MiB by default) Linux gives every new
// pipe of the user one page, which would slow everything else down.
constexpr qint64 kGrowPipeAfterBytes = 4 << 20;
constexpr int kGrownPipeBytes = 1 << 20;
constexpr int kMaxGrownPipes = 16;
int grownPipes = 0; // readers all live in one thread

// Output waiting for the disk, per stream, before its reading pauses.
constexpr qint64 kMaxSpillBacklog = 8 << 20;
constexpr int kResumePollMs = 5;

constexpr qint64 kReadBytes = 256 * 1024;

// A terminal's drain at the end reads until it is empty, not what FIONREAD
// says (a pty's last bytes may still be on their way to the master); a
// background child still printing gets this much at most.
constexpr int kMaxTerminalDrainReads = 16;

} // namespace

PipeReader::PipeReader(OutputLog *log, Stream stream, QObject *parent)
    : QObject(parent)
    , m_log(log)
    , m_stream(stream)
{}

PipeReader::~PipeReader()
{
    close();
}

static Error pipeError()
{
    return fail(QStringLiteral("could not make a pipe for its output: %1")
                    .arg(QString::fromLocal8Bit(strerror(errno))));
}

// Never 0, 1 or 2 (procdeck may have started without them): the child's
// dup2 onto its own 1 or 2 must not clobber the other end.
static int aboveStandardDescriptors(int fd)
{
    if (fd < 0 || fd >= 3)
        return fd;
    const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
    ::close(fd);
    return moved;
}

Expected<void> PipeReader::openTerminal(int rows, int columns)
{
    auto terminalError = [] {
        return fail(QStringLiteral("could not make a terminal for it: %1")
                        .arg(QString::fromLocal8Bit(strerror(errno))));
    };
    // posix_openpt and open, not openpty(): both close-on-exec from the
    // start, so no other child can inherit them.
    const int master = aboveStandardDescriptors(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (master < 0)
        return terminalError();
    char name[128];
    int slave = -1;
    if (::grantpt(master) == 0 && ::unlockpt(master) == 0 &&
        ::ptsname_r(master, name, sizeof name) == 0)
        slave = aboveStandardDescriptors(::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC));
    termios mode = {};
    const bool haveMode = slave >= 0 && ::tcgetattr(slave, &mode) == 0;
    mode.c_oflag &= ~tcflag_t(ONLCR); // "\n" stays "\n"
    mode.c_lflag &= ~tcflag_t(ECHO);  // nothing is typed: nothing to echo
    // Nobody types into it: every read returns at once with nothing, which
    // a program takes as the end of input, as from /dev/null, however
    // often it reads (one EOF character would end only the first read).
    mode.c_lflag &= ~tcflag_t(ICANON);
    mode.c_cc[VMIN] = 0;
    mode.c_cc[VTIME] = 0;
    winsize size = {};
    size.ws_row = ushort(rows);
    size.ws_col = ushort(columns);
    if (!haveMode || ::tcsetattr(slave, TCSANOW, &mode) != 0 ||
        ::ioctl(master, TIOCSWINSZ, &size) != 0) {
        const Error error = terminalError();
        ::close(master);
        if (slave >= 0)
            ::close(slave);
        return error;
    }
    ::fcntl(master, F_SETFL, ::fcntl(master, F_GETFL) | O_NONBLOCK);
    m_readEnd = master;
    m_writeEnd = slave;
    m_terminal = true;
    return {};
}

Expected<void> PipeReader::open()
{
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return pipeError();
    for (int &fd : fds)
        fd = aboveStandardDescriptors(fd);
    if (fds[0] < 0 || fds[1] < 0) {
        const Error error = pipeError();
        for (int fd : fds)
            if (fd >= 0)
                ::close(fd);
        return error;
    }
    ::fcntl(fds[0], F_SETFL, ::fcntl(fds[0], F_GETFL) | O_NONBLOCK);
    m_readEnd = fds[0];
    m_writeEnd = fds[1];
    return {};
}

void PipeReader::startReading()
{
    if (m_writeEnd >= 0)
        ::close(m_writeEnd);
    m_writeEnd = -1;
    if (m_readEnd < 0)
        return;
    m_notifier = new QSocketNotifier(m_readEnd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] { read(false); });
}

void PipeReader::drain()
{
    read(true);
}

void PipeReader::read(bool drain)
{
    if (m_readEnd < 0)
        return;
    if (!drain && m_log->spillBacklog(m_stream) > kMaxSpillBacklog) {
        m_notifier->setEnabled(false);
        if (!m_resumeTimer) {
            m_resumeTimer = new QTimer(this);
            m_resumeTimer->setSingleShot(true);
            connect(m_resumeTimer, &QTimer::timeout, this, &PipeReader::resume);
        }
        m_resumeTimer->start(kResumePollMs);
        return;
    }
    if (!m_terminal && !m_growTried && m_log->byteCount(m_stream) >= kGrowPipeAfterBytes &&
        grownPipes < kMaxGrownPipes) {
        // Tried once: it fails when the user's pipe budget is spent.
        m_growTried = true;
        m_grown = ::fcntl(m_readEnd, F_SETPIPE_SZ, kGrownPipeBytes) > 0;
        grownPipes += m_grown ? 1 : 0;
    }
    bool got = false;
    // While the job runs, a few reads and back to the event loop (the
    // notifier fires again if more is there); at the end, what is there.
    int left = 0;
    if (drain && ::ioctl(m_readEnd, FIONREAD, &left) != 0)
        left = 0;
    if (drain && m_terminal)
        left = kMaxTerminalDrainReads * int(kReadBytes); // until empty, see above
    for (int reads = 0; drain ? left > 0 : reads < 4; ++reads) {
        qint64 room = 0;
        char *to = m_log->beginAppend(m_stream, kReadBytes, &room);
        static char discard[64 * 1024]; // the log takes no more: still empty the pipe
        const ssize_t n = ::read(m_readEnd, to ? to : discard, to ? size_t(room) : sizeof discard);
        m_log->commitAppend(m_stream, n > 0 && to ? qint64(n) : 0);
        if (n > 0) {
            got = true;
            left -= int(n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        // Every writer is gone: nothing more will come. (A terminal says so
        // with EIO once its last slave descriptor is closed.)
        if (n == 0 || (n < 0 && errno == EIO && m_terminal))
            close();
        break; // EAGAIN: empty for now
    }
    if (got)
        emit received();
}

void PipeReader::resume()
{
    if (!m_notifier)
        return;
    if (m_log->spillBacklog(m_stream) > kMaxSpillBacklog) {
        m_resumeTimer->start(kResumePollMs);
        return;
    }
    m_notifier->setEnabled(true);
}

void PipeReader::close()
{
    if (m_grown)
        --grownPipes;
    m_grown = false;
    delete m_notifier;
    m_notifier = nullptr;
    if (m_resumeTimer)
        m_resumeTimer->stop();
    for (int *fd : {&m_readEnd, &m_writeEnd}) {
        if (*fd >= 0)
            ::close(*fd);
        *fd = -1;
    }
}

} // namespace procdeck
