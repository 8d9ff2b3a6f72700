#pragma once

#include "app/core/jobspec.h"

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
    CompactSpec(CompactSpec &&other) noexcept;
    CompactSpec &operator=(CompactSpec &&other) noexcept;
    CompactSpec(const CompactSpec &) = delete;
    CompactSpec &operator=(const CompactSpec &) = delete;
    ~CompactSpec();

    JobSpec expand(const JobSpec &common) const;
    qsizetype byteCount() const;

private:
    // A field mask, then each field not in common. Up to 23 bytes (most
    // jobs: a value or two) are kept in place, their count in the last
    // byte; longer ones on the heap, the pointer and the size in front and
    // OnHeap in the last byte. So a small job's spec costs no allocation
    // (a heap block would be 48 bytes more).
    static constexpr quint8 OnHeap = 0xff;
    static constexpr qsizetype InPlace = 23;
    bool onHeap() const { return quint8(m_raw[InPlace]) == OnHeap; }
    const char *data() const;
    void release();

    alignas(8) char m_raw[24] = {};
};

} // namespace procdeck
