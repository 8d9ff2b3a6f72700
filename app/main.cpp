// procdeck: launch batches of commands, watch them run in parallel.
//
// `procdeck run ...` runs a batch headless, for scripts and CI; `procdeck
// history ...` lists, exports and clears past batches; anything else opens
// the window. This program links Qt Core only, so the command
// line never loads Qt Widgets nor needs a display: the window is a program
// of its own, procdeck-gui, which this one becomes with execv() (same
// process, same arguments).
#include "app/cli/historycommand.h"
#include "app/cli/runcommand.h"
#include "app/process/descriptorlimit.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <string>
#include <unistd.h>

namespace {

// procdeck-gui beside this program (the build tree), else where
// `cmake --install` puts it (libexec/procdeck, relative to bin/).
// (Never a bare name: execv would take it from the current folder.)
std::string guiProgram(std::string *lookedAt)
{
    char self[PATH_MAX];
    const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        *lookedAt = "/proc/self/exe (unreadable)";
        return std::string();
    }
    self[n] = '\0';
    std::string dir(self);
    dir.erase(dir.rfind('/') + 1);
    for (const std::string &candidate :
         {dir + "procdeck-gui", dir + PROCDECK_GUI_FROM_BIN "/procdeck-gui"}) {
        if (::access(candidate.c_str(), X_OK) == 0)
            return candidate;
        *lookedAt += (lookedAt->empty() ? "" : " and ") + candidate;
    }
    return std::string();
}

// What `procdeck --help` says: the window's Qt would need a display to
// say anything, and a script asking for help or the version has none.
const char kUsage[] =
    "Usage: procdeck                      open the window\n"
    "       procdeck run [OPTIONS] ...    run a batch headless, GNU parallel style\n"
    "                                     (procdeck run --help)\n"
    "       procdeck history [COMMAND]    list, export or clear past batches\n"
    "                                     (procdeck history --help)\n"
    "       procdeck --version | --help\n";

} // namespace

int main(int argc, char *argv[])
{
    if (argc == 2 && (std::strcmp(argv[1], "--version") == 0 || std::strcmp(argv[1], "-V") == 0)) {
        std::printf("procdeck %s\n", PROCDECK_VERSION);
        return 0;
    }
    if (argc == 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    procdeck::raiseOpenFileLimit();
    if (argc > 1 && std::strcmp(argv[1], "run") == 0)
        return procdeck::runCommand(argc, argv);
    if (argc > 1 && std::strcmp(argv[1], "history") == 0)
        return procdeck::historyCommand(argc, argv);
    std::string lookedAt;
    const std::string gui = guiProgram(&lookedAt);
    if (gui.empty()) {
        std::fprintf(stderr, "procdeck: cannot start the window: no procdeck-gui at %s\n",
                     lookedAt.c_str());
        return 255;
    }
    ::execv(gui.c_str(), argv);
    std::fprintf(stderr, "procdeck: cannot start the window %s: %s\n", gui.c_str(),
                 std::strerror(errno));
    return 255;
}
