#pragma once

#include <QString>
#include <QtGlobal>

#include <optional>
#include <utility>

namespace procdeck {

// Why something failed: a message for a person, naming the problem.
struct Error
{
    QString message;
};

inline Error fail(QString message)
{
    return Error{std::move(message)};
}

// A value, or the Error that says why there is none: procdeck's one way
// for a call to fail (std::expected, before C++23). Test it, then take the
// value; error() is empty on success.
//
//     Expected<CommandTemplate> t = CommandTemplate::parse(text, 1);
//     if (!t)
//         return fail(t.error());
template <typename T> class [[nodiscard]] Expected
{
public:
    Expected(T value)
        : m_value(std::move(value))
    {}
    Expected(Error error)
        : m_error(std::move(error.message))
    {}

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    const QString &error() const { return m_error; }

    // Only on success (checked in debug builds).
    T &value() &
    {
        Q_ASSERT(ok());
        return *m_value;
    }
    const T &value() const &
    {
        Q_ASSERT(ok());
        return *m_value;
    }
    // From a temporary: the value itself, so nothing dangles.
    T value() &&
    {
        Q_ASSERT(ok());
        return std::move(*m_value);
    }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }
    // `*f()` would dangle once the temporary is gone: take f().value().
    void operator*() && = delete;
    void operator*() const && = delete;
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }

private:
    std::optional<T> m_value;
    QString m_error;
};

// Success with nothing to return (`return {};`), or an Error.
template <> class [[nodiscard]] Expected<void>
{
public:
    Expected() = default;
    Expected(Error error)
        : m_failed(true)
        , m_error(std::move(error.message))
    {}

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const QString &error() const { return m_error; }

private:
    bool m_failed = false;
    QString m_error;
};

} // namespace procdeck
