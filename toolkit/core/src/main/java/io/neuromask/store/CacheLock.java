package io.neuromask.store;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock on one cache path, held across processes and threads: an OS lock
 * ({@link FileChannel#lock()}) on {@code .locks/<path with / as %2F>.lock} under the cache, plus an in-process
 * lock (the OS lock is per process, so two threads of one JVM would not exclude each other).
 *
 * <p>Lock files are empty and stay in {@code .locks/} after release, as in other shared caches (Hugging Face's hub
 * cache keeps its {@code .locks/} the same way). Deleting one is unsafe: a process waiting on the deleted file
 * would get its lock while a third locks a new file of the same name. Nor can the holder read its lock file back
 * through another descriptor: POSIX releases a process's lock when any of its descriptors of that file closes.
 * A lock file left by a killed process blocks nobody: the OS releases a dead process's locks.
 */
final class CacheLock implements AutoCloseable {

    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final ReentrantLock local;
    private final FileChannel channel;
    private final FileLock lock;

    private CacheLock(ReentrantLock local, FileChannel channel, FileLock lock) {
        this.local = local;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of {@code path} under {@code cache}. */
    static Path lockFile(Path cache, String path) {
        return cache.resolve(".locks").resolve(path.replace("%", "%25").replace("/", "%2F") + ".lock");
    }

    /**
     * Waits for and takes the lock of {@code path} (a manifest path) in {@code cache}; says once on {@code log}
     * when another process holds it. The same thread may take the same lock again (it is then not re-locked).
     *
     * @throws IOException when the lock file cannot be made, or the wait is interrupted
     */
    static CacheLock acquire(Path cache, String path, PrintStream log) throws IOException {
        Path file = lockFile(cache, path);
        ReentrantLock local = IN_PROCESS.computeIfAbsent(file, k -> new ReentrantLock());
        try {
            local.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the cache lock of " + path);
        }
        if (local.getHoldCount() > 1) {
            return new CacheLock(local, null, null);
        }
        try {
            Files.createDirectories(file.getParent());
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                FileLock l = ch.tryLock();
                if (l == null) {
                    log.println("neuromask: another process is fetching " + path + " into " + cache
                            + "; waiting for it (lock " + file + ")");
                    l = ch.lock();
                }
                return new CacheLock(local, ch, l);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (lock != null) {
                lock.release();
                channel.close();
            }
        } finally {
            local.unlock();
        }
    }
}
