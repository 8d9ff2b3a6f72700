#include "jobspec.h"

#include "shellquote.h"

namespace procdeck {

QString JobSpec::displayCommand() const
{
    if (usesShell())
        return shellCommand;
    QStringList words{program};
    words += arguments;
    return shellJoin(words);
}

} // namespace procdeck
