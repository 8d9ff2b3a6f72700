# ctest's install_layout: `cmake --install` into a scratch prefix, then
# check that every file is where freedesktop menus and the command look
# for it, that the installed command runs a batch, and that it finds the
# window's program in libexec/.
#   cmake -DBUILD_DIR=... -DPREFIX=... -P check-install.cmake
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}"
    RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cmake --install failed: ${rc}")
endif()
include(GNUInstallDirs)
foreach(path
        "${CMAKE_INSTALL_BINDIR}/procdeck"
        "${CMAKE_INSTALL_LIBEXECDIR}/procdeck/procdeck-gui"
        "${CMAKE_INSTALL_DATADIR}/applications/procdeck.desktop"
        "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps/procdeck.svg")
    if(NOT EXISTS "${PREFIX}/${path}")
        message(FATAL_ERROR "not installed: ${path}")
    endif()
endforeach()

execute_process(COMMAND "${PREFIX}/${CMAKE_INSTALL_BINDIR}/procdeck" run -k echo ::: a b
    OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT out STREQUAL "a\nb\n")
    message(FATAL_ERROR "installed procdeck run: exit ${rc}, output '${out}'")
endif()

# Without `run`, procdeck becomes procdeck-gui; with a platform that does
# not exist, Qt in procdeck-gui refuses to start, which shows it was found.
execute_process(COMMAND "${CMAKE_COMMAND}" -E env QT_QPA_PLATFORM=no-such-platform
        "${PREFIX}/${CMAKE_INSTALL_BINDIR}/procdeck"
    ERROR_VARIABLE err RESULT_VARIABLE rc OUTPUT_QUIET TIMEOUT 60)
if(err MATCHES "cannot start the window" OR NOT err MATCHES "no-such-platform")
    message(FATAL_ERROR "installed procdeck did not start procdeck-gui: ${err}")
endif()
