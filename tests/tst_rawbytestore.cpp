// RawByteStore: every byte kept exactly, in memory up to a limit and in
// compressed blocks on disk past it; reads from any offset; what close()
// leaves behind; how a storage error cuts the stream short.
#include "app/output/rawbytestore.h"
#include "app/output/spillwriter.h"
#include "testsupport.h"

#include <QDir>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace procdeck;
using namespace testsupport;

namespace {

constexpr qint64 kBlock = 4096; // small blocks, so tests cross many of them

// Text that compresses, with stretches of random bytes that do not.
QByteArray mixedBytes(qint64 size, quint32 seed)
{
    QRandomGenerator rng(seed);
    QByteArray out;
    out.reserve(size);
    while (out.size() < size) {
        if (rng.bounded(4) == 0) {
            const int n = int(rng.bounded(1, 9000));
            for (int i = 0; i < n; ++i)
                out.append(char(rng.bounded(256)));
        } else {
            out.append("line " + QByteArray::number(out.size()) + " of some ordinary output\n");
        }
    }
    out.truncate(size);
    return out;
}

} // namespace

class TestRawByteStore : public QObject
{
    Q_OBJECT
private slots:
    void roundTrip_data();
    void roundTrip();
    void readsFromAnyOffset();
    void compressesWhatCompresses();
    void keepsIncompressibleBlocksAsTheyAre();
    void reserveNeverCrossesTheLimitOrABlock();
    void commitOfFewerBytesThanReserved();
    void closeWritesTheOpenBlockAndFreesTheDescriptor();
    void appendAfterCloseCarriesOn();
    void spillFileIsRemovedWithTheStore();
    void storageErrorCutsTheStreamShort_data();
    void storageErrorCutsTheStreamShort();
    void failedWriteIsReported();
    void blocksOnTheirWayOutAreReadable();
};

void TestRawByteStore::roundTrip_data()
{
    QTest::addColumn<int>("chunk");
    QTest::addColumn<int>("total");
    QTest::newRow("bytes one at a time") << 1 << 20000;
    QTest::newRow("odd chunks") << 7 << 50000;
    QTest::newRow("a block less one") << int(kBlock - 1) << 100000;
    QTest::newRow("exactly a block") << int(kBlock) << 100000;
    QTest::newRow("a block and one") << int(kBlock + 1) << 100000;
    QTest::newRow("several blocks at once") << int(3 * kBlock + 5) << 200000;
    QTest::newRow("under the memory limit") << 100 << 9000;
}

void TestRawByteStore::roundTrip()
{
    QFETCH(int, chunk);
    QFETCH(int, total);
    const QByteArray expected = mixedBytes(total, quint32(chunk));
    RawByteStore store(10000, kBlock);
    for (qint64 at = 0; at < total; at += chunk)
        store.append(expected.constData() + at, qMin<qint64>(chunk, total - at));
    QCOMPARE(store.size(), qint64(total));
    QCOMPARE(store.spilled(), total > 10000);
    QCOMPARE(store.readAll(), expected); // while the last block is still open
    store.close();
    QCOMPARE(store.readAll(), expected);
    QVERIFY(store.errorText().isEmpty());
}

void TestRawByteStore::readsFromAnyOffset()
{
    const QByteArray expected = mixedBytes(150000, 7);
    RawByteStore store(10000, kBlock);
    store.append(expected.constData(), expected.size());
    QRandomGenerator rng(42);
    for (int i = 0; i < 300; ++i) {
        const qint64 offset = rng.bounded(qint64(expected.size() + 10));
        const qint64 length = rng.bounded(3 * kBlock);
        QCOMPARE(store.readFrom(offset, length), expected.mid(offset, length));
    }
    QCOMPARE(store.readFrom(expected.size() - 3), expected.right(3));
    QCOMPARE(store.readFrom(expected.size() + 5, 10), QByteArray());
}

void TestRawByteStore::compressesWhatCompresses()
{
    RawByteStore store(64 * 1024);
    QByteArray line = "2026-11-24 12:00:00 INFO building target number 42 of the project\n";
    qint64 total = 0;
    for (int i = 0; i < 40000; ++i) {
        store.append(line.constData(), line.size());
        total += line.size();
    }
    store.close();
    QCOMPARE(store.size(), total);
    QVERIFY(store.spilled());
    QVERIFY2(
        store.bytesOnDisk() * 10 < total,
        qPrintable(QStringLiteral("%1 bytes on disk for %2").arg(store.bytesOnDisk()).arg(total)));
    QCOMPARE(store.readFrom(total - line.size()), line);
}

void TestRawByteStore::keepsIncompressibleBlocksAsTheyAre()
{
    const QByteArray noise = randomBytes(300000, 3);
    RawByteStore store(10000, kBlock);
    store.append(noise.constData(), noise.size());
    store.close();
    QCOMPARE(store.bytesOnDisk(), qint64(noise.size())); // not a byte of overhead
    QCOMPARE(store.readAll(), noise);
}

void TestRawByteStore::reserveNeverCrossesTheLimitOrABlock()
{
    RawByteStore store(10000, kBlock);
    qint64 room = 0;
    char *to = store.reserve(64 * 1024, &room);
    QVERIFY(to);
    QCOMPARE(room, qint64(10000)); // up to the memory limit, no further
    memset(to, 'a', size_t(room));
    store.commit(room);
    QVERIFY(!store.spilled());
    to = store.reserve(64 * 1024, &room);
    QVERIFY(store.spilled());
    // 10000 bytes went out as two whole blocks; 1808 open the third.
    QCOMPARE(room, kBlock - (10000 - 2 * kBlock));
    store.commit(0);
    QCOMPARE(store.size(), qint64(10000));
    QCOMPARE(store.readAll(), QByteArray(10000, 'a'));
}

void TestRawByteStore::commitOfFewerBytesThanReserved()
{
    RawByteStore store(1 << 20);
    qint64 room = 0;
    char *to = store.reserve(1000, &room);
    QCOMPARE(room, qint64(1000));
    memcpy(to, "abc", 3);
    store.commit(3); // a short read
    QCOMPARE(store.size(), qint64(3));
    QCOMPARE(store.readAll(), QByteArray("abc"));
}

void TestRawByteStore::closeWritesTheOpenBlockAndFreesTheDescriptor()
{
    // The writer may still be closing an earlier test's files.
    SpillWriter::instance().waitUntilIdle();
    const int before = openDescriptors();
    const QByteArray expected = mixedBytes(30000, 11);
    RawByteStore store(10000, kBlock);
    store.append(expected.constData(), expected.size());
    QCOMPARE(openDescriptors(), before + 1); // the spill file, while the job writes
    const qint64 onDisk = store.bytesOnDisk();
    store.close();
    SpillWriter::instance().waitUntilIdle(); // the writer closes it after the last block
    QCOMPARE(openDescriptors(), before);
    QVERIFY(store.bytesOnDisk() > onDisk); // the unfinished block went out too
    QCOMPARE(store.readAll(), expected);
    QCOMPARE(openDescriptors(), before); // reading opens and closes
}

void TestRawByteStore::appendAfterCloseCarriesOn()
{
    const QByteArray first = mixedBytes(25000, 5);
    const QByteArray second = mixedBytes(9000, 6);
    RawByteStore store(10000, kBlock);
    store.append(first.constData(), first.size());
    store.close();
    store.append(second.constData(), second.size());
    store.close();
    QCOMPARE(store.readAll(), first + second);
    QCOMPARE(store.readFrom(first.size() - 10, 20), (first + second).mid(first.size() - 10, 20));
}

void TestRawByteStore::spillFileIsRemovedWithTheStore()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QByteArray oldTmp = qgetenv("TMPDIR");
    qputenv("TMPDIR", QFile::encodeName(dir.path()));
    {
        RawByteStore store(100, kBlock);
        store.append(QByteArray(5000, 'x').constData(), 5000);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);
    }
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 0);
    qputenv("TMPDIR", oldTmp);
}

void TestRawByteStore::storageErrorCutsTheStreamShort_data()
{
    QTest::addColumn<QByteArray>("tmpdir");
    QTest::addColumn<QString>("message");
    QTest::newRow("no such folder") << QByteArray("/nonexistent/procdeck-test")
                                    << QStringLiteral("/nonexistent/procdeck-test (TMPDIR) does "
                                                      "not exist");
    // A file where a folder should be: no file can be made in it, not even
    // by root.
    QTest::newRow("not a folder") << QByteArray("/proc/self/stat")
                                  << QStringLiteral("could not spill");
}

void TestRawByteStore::storageErrorCutsTheStreamShort()
{
    QFETCH(QByteArray, tmpdir);
    QFETCH(QString, message);
    const QByteArray oldTmp = qgetenv("TMPDIR");
    qputenv("TMPDIR", tmpdir);
    RawByteStore store(1000, kBlock);
    const QByteArray data = mixedBytes(5000, 9);
    store.append(data.constData(), data.size());
    store.append("more", 4);
    qputenv("TMPDIR", oldTmp);
    QVERIFY2(store.errorText().contains(message), qPrintable(store.errorText()));
    // What fitted in memory is kept, exactly; nothing after it.
    QCOMPARE(store.size(), qint64(1000));
    QCOMPARE(store.readAll(), data.left(1000));
    qint64 room = -1;
    QVERIFY(!store.reserve(100, &room));
    QCOMPARE(room, qint64(0));
}

void TestRawByteStore::failedWriteIsReported()
{
    // A file size limit makes the writer's write fail (EFBIG), as a full
    // disk would: the store says so and takes nothing more.
    const QByteArray noise = randomBytes(600 * 1024, 8);
    FileSizeLimit small(200 * 1024);
    RawByteStore store(1000, kBlock);
    store.append(noise.constData(), noise.size());
    SpillWriter::instance().waitUntilIdle();
    QVERIFY2(store.errorText().startsWith(QStringLiteral("could not write output to disk: ")),
             qPrintable(store.errorText()));
    qint64 room = -1;
    QVERIFY(!store.reserve(100, &room));
    QCOMPARE(room, qint64(0));
    // What was written before the limit reads back exactly.
    QCOMPARE(store.readFrom(0, 100 * 1024), noise.left(100 * 1024));
}

void TestRawByteStore::blocksOnTheirWayOutAreReadable()
{
    // Read back at once, while the writer may still be at it, then after.
    const QByteArray expected = mixedBytes(2 << 20, 12);
    RawByteStore store(64 * 1024);
    store.append(expected.constData(), expected.size());
    QCOMPARE(store.readAll(), expected);
    SpillWriter::instance().waitUntilIdle();
    QCOMPARE(store.backlog(), qint64(0));
    QCOMPARE(store.readAll(), expected);
}

QTEST_GUILESS_MAIN(TestRawByteStore)
#include "tst_rawbytestore.moc"
