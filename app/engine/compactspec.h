#pragma once

#include "app/core/jobspec.h"

#include <QByteArray>

namespace procdeck {

// A job's spec in as few bytes as it takes, for the job store: only the
// fields that differ from its batch's common spec (the batch's first job),
// strings as Latin-1 when they are ASCII. A queued or finished job of a
// batch of 1,000,000 `true {}` is then a few dozen bytes, not the ~600 of
// a JobSpec and its strings. Lossless: expand() gives the spec back.
class CompactSpec
{
public:
    CompactSpec() = default;
    CompactSpec(const JobSpec &spec, const JobSpec &common);

    JobSpec expand(const JobSpec &common) const;
    qsizetype byteCount() const { return m_bytes.size(); }

private:
    QByteArray m_bytes; // a field mask, then each field not in common
};

} // namespace procdeck
