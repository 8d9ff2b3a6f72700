// A small child program with modes, for the tests (after Qt's own QProcess
// tests). Plain C++ and POSIX so it starts fast and does exactly one thing.
//
//   echo WORDS...        print the words, space separated, and a newline
//   lines N              print "line 1" .. "line N" to stdout
//   stderr TEXT          print TEXT and a newline to stderr
//   mixed                stdout, stderr, stdout, each a line, in that order
//   exit N               exit with status N
//   crash SIGNAL         kill itself with signal number SIGNAL
//   sleep MS             sleep MS milliseconds, then exit 0
//   hang                 sleep until killed
//   ignoreterm           survive SIGTERM, print "ready", hang; print "got SIGTERM"
//                        each time SIGTERM arrives
//   grandchild [ignoreterm]
//                        start a grandchild that hangs (ignoring SIGTERM if
//                        asked), print its pid, wait for it
//   partial              partial lines and a UTF-8 character split across
//                        two writes, with pauses between the writes
//   binary               write the bytes 0..255 to stdout
//   flood BYTES          write BYTES bytes of text lines to stdout
//   pwd                  print the working directory
//   env NAME             print the value of environment variable NAME
//   memory MIB [MS]      allocate and touch MIB MiB, print "ready", hang (or exit
//                        0 after MS milliseconds)
//   burn MS              spin until it has used MS ms of CPU time, then exit 0
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

static void writeAll(int fd, const char *data, size_t size)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n <= 0)
            std::exit(3);
        data += n;
        size -= size_t(n);
    }
}

static void writeStr(int fd, const std::string &s)
{
    writeAll(fd, s.data(), s.size());
}

static void pauseMs(int ms)
{
    ::usleep(useconds_t(ms) * 1000);
}

// A SIGTERM handler that survives the signal and says it came: write(2)
// only, as a signal handler must stay async-signal-safe.
extern "C" void reportSigterm(int)
{
    static const char message[] = "got SIGTERM\n";
    const int saved = errno;
    [[maybe_unused]] const ssize_t n = ::write(1, message, sizeof message - 1);
    errno = saved;
}

[[noreturn]] static void hangForever()
{
    for (;;)
        ::pause();
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        writeStr(2, "usage: testchild MODE [ARGS]\n");
        return 2;
    }
    const std::string mode = argv[1];
    const char *arg = argc > 2 ? argv[2] : "";

    if (mode == "echo") {
        std::string out;
        for (int i = 2; i < argc; ++i)
            out += (i > 2 ? " " : "") + std::string(argv[i]);
        writeStr(1, out + "\n");
    } else if (mode == "lines") {
        const int n = std::atoi(arg);
        std::string out;
        for (int i = 1; i <= n; ++i)
            out += "line " + std::to_string(i) + "\n";
        writeStr(1, out);
    } else if (mode == "stderr") {
        writeStr(2, std::string(arg) + "\n");
    } else if (mode == "mixed") {
        writeStr(1, "out 1\n");
        pauseMs(30);
        writeStr(2, "err 1\n");
        pauseMs(30);
        writeStr(1, "out 2\n");
    } else if (mode == "exit") {
        return std::atoi(arg);
    } else if (mode == "crash") {
        const int sig = std::atoi(arg);
        ::signal(sig, SIG_DFL);
        ::kill(::getpid(), sig);
        hangForever();
    } else if (mode == "sleep") {
        pauseMs(std::atoi(arg));
    } else if (mode == "hang") {
        hangForever();
    } else if (mode == "ignoreterm") {
        struct sigaction report = {};
        report.sa_handler = reportSigterm;
        sigemptyset(&report.sa_mask);
        report.sa_flags = SA_RESTART;
        ::sigaction(SIGTERM, &report, nullptr);
        writeStr(1, "ready\n");
        hangForever();
    } else if (mode == "grandchild") {
        const bool ignoreTerm = std::strcmp(arg, "ignoreterm") == 0;
        const pid_t pid = ::fork();
        if (pid == 0) {
            if (ignoreTerm)
                ::signal(SIGTERM, SIG_IGN);
            hangForever();
        }
        writeStr(1, std::to_string(pid) + "\n");
        int status = 0;
        ::waitpid(pid, &status, 0);
    } else if (mode == "partial") {
        writeStr(1, "par");
        pauseMs(40);
        writeStr(1, "tial\n");
        writeStr(1, "caf\xc3");
        pauseMs(40);
        writeStr(1, "\xa9\n");
        writeStr(1, "crlf\r");
        pauseMs(40);
        writeStr(1, "\nlone\rend");
    } else if (mode == "binary") {
        char bytes[256];
        for (int i = 0; i < 256; ++i)
            bytes[i] = char(i);
        writeAll(1, bytes, sizeof bytes);
    } else if (mode == "flood") {
        long long left = std::atoll(arg);
        const std::string line(63, 'x');
        const std::string chunk = [&] {
            std::string c;
            for (int i = 0; i < 1024; ++i)
                c += line + "\n";
            return c;
        }();
        while (left > 0) {
            const size_t n =
                size_t(left < (long long)chunk.size() ? left : (long long)chunk.size());
            writeAll(1, chunk.data(), n);
            left -= (long long)n;
        }
    } else if (mode == "pwd") {
        char buf[4096];
        if (::getcwd(buf, sizeof buf))
            writeStr(1, std::string(buf) + "\n");
    } else if (mode == "env") {
        const char *v = std::getenv(arg);
        writeStr(1, std::string(v ? v : "") + "\n");
    } else if (mode == "memory") {
        const size_t bytes = size_t(std::atoll(arg)) << 20;
        auto *block = static_cast<volatile char *>(std::malloc(bytes));
        if (!block)
            return 4;
        for (size_t i = 0; i < bytes; i += 4096)
            block[i] = char(i); // resident, not only reserved
        writeStr(1, "ready\n");
        if (argc > 3) {
            pauseMs(std::atoi(argv[3]));
            std::free(const_cast<char *>(block)); // LeakSanitizer would fail the exit
            return 0;
        }
        hangForever();
    } else if (mode == "burn") {
        // CPU time, not wall time: the amount is exact however busy the
        // machine is.
        const long long wantNs = std::atoll(arg) * 1000000LL;
        volatile unsigned long long spin = 0;
        for (;;) {
            timespec used{};
            ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &used);
            if (used.tv_sec * 1000000000LL + used.tv_nsec >= wantNs)
                break;
            for (int i = 0; i < 100000; ++i)
                spin = spin + 1;
        }
    } else {
        writeStr(2, "testchild: unknown mode " + mode + "\n");
        return 2;
    }
    return 0;
}
