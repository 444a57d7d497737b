package io.sipflow.physics.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A run's output folder, made safe:
 * <ul>
 *   <li>{@link #check} before any work: an empty path, a file, a place that cannot be written, or a folder that
 *       already holds results (without {@code --overwrite}) is refused with the path and the reason;</li>
 *   <li>results are written into a hidden sibling folder ({@link #stage}) and {@link #commit committed} by
 *       renaming: the folder holds the complete previous run or the complete new one, never a mix. Between the
 *       two renames of a replacement the previous run is under {@code .NAME.sipflow-old-*}; the next
 *       {@link #check} of the folder moves it back if the new one never arrived.</li>
 * </ul>
 */
final class OutputFolder {
    /** Files that mark a folder as holding results. */
    static final List<String> RESULTS = List.of("run.json", "model.npz", "metrics.csv", "test.csv", "comparison.csv");
    private static final String NEW = ".sipflow-new-";
    private static final String OLD = ".sipflow-old-";
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private OutputFolder() {
    }

    /**
     * Checks that results can go to {@code out} (given by {@code flag}); returns it absolute. Throws
     * IllegalArgumentException with the user's path and the reason. {@code resultsAllowed}: the folder may already
     * hold results (--overwrite or --resume).
     */
    static Path check(Path out, String flag, boolean resultsAllowed, List<String> resultFiles) {
        if (out.toString().isEmpty()) {
            throw new IllegalArgumentException(flag + " is empty; give a folder, e.g. " + flag + " runs/mine");
        }
        Path dir = out.toAbsolutePath().normalize();
        if (dir.getParent() == null) {
            throw new IllegalArgumentException(flag + " " + out + ": results need a folder below the root");
        }
        recover(dir);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(flag + " " + out + " is a file, not a folder");
        }
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new IllegalArgumentException(flag + " " + out + " cannot be created: " + existing + " is a file");
        }
        probeWritable(out, flag, existing);
        if (!resultsAllowed) {
            for (String f : resultFiles) {
                if (Files.exists(dir.resolve(f))) {
                    throw new IllegalArgumentException(flag + " " + out + " already holds the results of an earlier run ("
                            + f + "); pass --overwrite to replace them, --resume " + out + " to continue that run,"
                            + " or choose another folder");
                }
            }
        }
        return dir;
    }

    /** Creates and deletes a file where the results will go, so a read-only place fails now, not after training. */
    private static void probeWritable(Path out, String flag, Path existing) {
        try {
            Path probe = Files.createTempFile(existing, ".sipflow-probe-", "");
            Files.delete(probe);
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException(flag + " " + out + " is not writable: permission denied in " + existing);
        } catch (FileSystemException e) {
            String reason = e.getReason() != null ? e.getReason().toLowerCase(java.util.Locale.ROOT)
                    : e instanceof java.nio.file.NoSuchFileException ? "files cannot be created there"
                    : e.getClass().getSimpleName();
            throw new IllegalArgumentException(flag + " " + out + " is not writable: " + reason + " (in " + existing
                    + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException(flag + " " + out + " is not writable: " + e.getMessage());
        }
    }

    /** A fresh hidden folder beside {@code dir} to write a run's files into before {@link #commit}. */
    static Path stage(Path dir) throws IOException {
        Files.createDirectories(dir.getParent());
        return Files.createDirectory(sibling(dir, NEW));
    }

    /** Puts {@code staged} in place of {@code dir} (two renames if {@code dir} exists), then deletes the old one. */
    static void commit(Path staged, Path dir) throws IOException {
        if (Files.exists(dir)) {
            Path old = sibling(dir, OLD);
            Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
            Files.move(staged, dir, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(old);
        } else {
            Files.move(staged, dir, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Removes a staged folder that will not be committed. */
    static void discard(Path staged) {
        try {
            deleteTree(staged);
        } catch (IOException ignored) {
            // a hidden leftover; the next check of the folder removes it
        }
    }

    private static Path sibling(Path dir, String kind) {
        return dir.resolveSibling("." + dir.getFileName() + kind + Long.toUnsignedString(RANDOM.nextLong(), 36));
    }

    /** After a kill between the two renames of {@link #commit}: the previous run goes back; stale stages go. */
    private static void recover(Path dir) {
        Path parent = dir.getParent();
        if (!Files.isDirectory(parent)) {
            return;
        }
        List<Path> olds = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(parent, "." + dir.getFileName() + ".sipflow-*")) {
            for (Path p : s) {
                if (p.getFileName().toString().startsWith("." + dir.getFileName() + OLD)) {
                    olds.add(p);
                } else if (p.getFileName().toString().startsWith("." + dir.getFileName() + NEW)) {
                    deleteTree(p);
                }
            }
            if (!olds.isEmpty() && !Files.exists(dir)) {
                Files.move(olds.remove(0), dir, StandardCopyOption.ATOMIC_MOVE);
            }
            for (Path p : olds) {
                deleteTree(p);
            }
        } catch (IOException ignored) {
            // best effort: the checks that follow report what matters
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
