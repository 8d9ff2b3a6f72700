#pragma once

#include "app/core/expected.h"

#include <QString>

namespace procdeck {

class ExportSelection;

// Writes GNU parallel's --results DIR layout: one folder per job,
// DIR/1/<value 1>/2/<value 2>/... holding `seq`, `stdout`, `stderr` and
// (procdeck's addition) `exitval`, byte for byte as the job wrote them. A
// job without input values goes to DIR/<seq>/. The tree is built in a
// temporary folder beside DIR and moved into place only when all of it is
// written, so an error leaves nothing half-written behind.
class ResultsFolderWriter
{
public:
    static Expected<void> write(const QString &dir, const ExportSelection &jobs);
    // A value as a folder name: "/" becomes "\_", "\" becomes "\\", and "",
    // "." and ".." get a leading "\" so that no value escapes its folder;
    // past 255 bytes it is split into nested folders.
    static QString folderName(const QString &value);
};

} // namespace procdeck
