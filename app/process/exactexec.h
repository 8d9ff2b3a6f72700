#pragma once

#include <QByteArray>
#include <QByteArrayList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <vector>

namespace procdeck {

// A program's argv (and environment) as exact bytes, ready in the parent
// for an execve in a forked child. QProcess encodes its program and
// arguments with toLocal8Bit, which turns bytes that are no UTF-8 (held
// as RawText escapes) into '?': a stage whose words hold such bytes execs
// itself with these from QProcess's child process modifier instead.
// Everything is prepared here, so that exec() makes no allocation.
class ExactExec
{
public:
    // Whether QProcess alone would pass these words on unchanged.
    static bool needed(const QString &program, const QStringList &arguments);

    // `program` is the path to exec (already resolved through $PATH);
    // `environment` empty means the inherited one, as in QProcess.
    ExactExec(const QString &program, const QStringList &arguments,
              const QProcessEnvironment &environment);
    ExactExec(const ExactExec &) = delete; // argv points into the lists
    ExactExec &operator=(const ExactExec &) = delete;

    // In the child: async-signal-safe. Returns only when execve failed,
    // with errno set; QProcess's own exec then fails the same way and
    // reports it as usual.
    void exec() const;

private:
    QByteArray m_path;
    QByteArrayList m_words;
    QByteArrayList m_environment;
    std::vector<char *> m_argv;
    std::vector<char *> m_envp; // empty: the inherited environment
};

} // namespace procdeck
