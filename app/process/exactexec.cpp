#include "app/process/exactexec.h"

#include "app/core/rawtext.h"

#include <unistd.h>

extern char **environ;

namespace procdeck {

bool ExactExec::needed(const QString &program, const QStringList &arguments)
{
    return RawText::hasEscapes(program) || RawText::hasEscapes(arguments);
}

ExactExec::ExactExec(const QString &program, const QStringList &arguments,
                     const QProcessEnvironment &environment)
    : m_path(RawText::encode(program))
{
    m_words << m_path;
    for (const QString &a : arguments)
        m_words << RawText::encode(a);
    for (const QByteArray &w : std::as_const(m_words))
        m_argv.push_back(const_cast<char *>(w.constData()));
    m_argv.push_back(nullptr);
    if (environment.isEmpty())
        return;
    // QProcessEnvironment hands its values out as decoded text only: a
    // variable whose value is no UTF-8 reaches such a stage re-encoded.
    // (QProcess's own path passes it on as it was.)
    for (const QString &pair : environment.toStringList())
        m_environment << RawText::encode(pair);
    for (const QByteArray &e : std::as_const(m_environment))
        m_envp.push_back(const_cast<char *>(e.constData()));
    m_envp.push_back(nullptr);
}

void ExactExec::exec() const
{
    ::execve(m_path.constData(), m_argv.data(), m_envp.empty() ? environ : m_envp.data());
}

} // namespace procdeck
