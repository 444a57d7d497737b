package io.sipflow.physics.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file completely or not at all: into a temporary file beside the target, then one rename. A run that
 * fails half-way therefore leaves the previous results whole.
 */
public final class AtomicFiles {
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private AtomicFiles() {
    }

    /** Something that writes a file's content to a path it is given. */
    @FunctionalInterface
    public interface PathWriter {
        void writeTo(Path temporary) throws IOException;
    }

    /** Writes {@code target} through {@code writer} (which receives a temporary path in the same folder). */
    public static void write(Path target, PathWriter writer) throws IOException {
        try {
            writeVia(target, writer);
        } catch (IOException e) {
            // name the user's file and the reason, never the temporary file it went through
            // (a FileSystemException's message holds the temporary file's name; its reason and kind do not)
            String reason = e instanceof java.nio.file.FileSystemException f
                    ? f.getReason() != null ? f.getReason() : e.getClass().getSimpleName()
                    : e.getClass().getSimpleName() + (e.getMessage() != null ? " " + e.getMessage() : "");
            throw new IOException("cannot write " + target + ": " + reason, e);
        }
    }

    private static void writeVia(Path target, PathWriter writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String name = target.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String suffix = dot > 0 ? name.substring(dot) : ".tmp"; // keep the extension: some writers insist on it
        // createFile (not createTempFile, which makes owner-only files) so the result gets the usual permissions.
        String base = dot > 0 ? name.substring(0, dot) : name;
        Path tmp = Files.createFile(dir.resolve("." + base + "-" + Long.toUnsignedString(RANDOM.nextLong(), 36) + suffix));
        try {
            writer.writeTo(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void writeBytes(Path target, byte[] bytes) throws IOException {
        write(target, tmp -> Files.write(tmp, bytes));
    }

    public static void writeString(Path target, String text) throws IOException {
        writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Streams into {@code target}. */
    public static void writeStream(Path target, StreamWriter writer) throws IOException {
        write(target, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.writeTo(out);
            }
        });
    }

    @FunctionalInterface
    public interface StreamWriter {
        void writeTo(OutputStream out) throws IOException;
    }
}
