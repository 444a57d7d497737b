package io.sipflow.physics.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One run per folder: an operating-system lock ({@link FileChannel#tryLock}) on {@value #FILE} inside the folder,
 * which holds the host name and process id of the run that has it. A second run fails at once, naming the folder
 * and that host and process. The operating system releases the lock when the process ends however it ends; the
 * file itself is removed on {@link #close}, and a file left by a killed run is simply locked again (its host and
 * pid tell a stale lock apart on a network file system that does not honour locks).
 */
final class RunLock implements AutoCloseable {
    static final String FILE = ".sipflow.lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates {@code dir} if needed and locks it for this process. Throws IllegalArgumentException naming
     * {@code shown} (the user's path) and the other run's host and pid when another run holds it.
     */
    static RunLock acquire(Path dir, String flag, Object shown) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        for (int attempt = 0; ; attempt++) {
            Object before = fileKey(file);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameProcess) {
                lock = null;
            }
            if (lock == null) {
                String holder = read(channel);
                channel.close();
                throw new IllegalArgumentException(flag + " " + shown + " is in use by another sipflow run ("
                        + (holder.isEmpty() ? "it has not yet said which" : holder) + "); wait for it to end, or"
                        + " choose another folder");
            }
            // The file we locked may have been removed by a run that just ended (and another made in its place):
            // then lock the file now under the name. (Compared by file key, never by opening the file again: closing
            // any descriptor of a file drops this process's POSIX locks on it.)
            Object after = fileKey(file);
            if ((after == null || before != null && !before.equals(after)) && attempt < 10) {
                lock.release();
                channel.close();
                continue;
            }
            byte[] me = ("host " + host() + ", process " + ProcessHandle.current().pid() + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(me), 0);
            channel.force(true);
            return new RunLock(file, channel, lock);
        }
    }

    /** Removes a lock file no one holds (a leftover of a killed run in a folder being cleared). */
    static void deleteIfFree(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                Files.deleteIfExists(file);
                lock.release();
            }
        } catch (OverlappingFileLockException | NoSuchFileException heldHereOrGone) {
            // held by this process, or already gone: leave it
        }
    }

    /** Removes the lock file, then releases the lock (so a run waiting on the old file sees it is gone). */
    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(file);
        } finally {
            lock.release();
            channel.close();
        }
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(512);
        channel.read(b, 0);
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).lines().findFirst().orElse("").trim();
    }

    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException gone) {
            return null;
        }
    }

    /** This machine's name, without a network lookup. */
    static String host() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException | RuntimeException e) {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException unknown) {
                return "unknown host";
            }
        }
    }
}
