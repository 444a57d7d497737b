package io.sipflow.physics.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A run's output folder, made safe. sipflow never deletes what it did not write:
 * <ul>
 *   <li>{@link #check} before any work: an empty path, a file, a place that cannot be written (found by creating
 *       the folder and a file in it, then removing both), a folder that holds anything sipflow does not write
 *       (a README, src/, .git/: see {@link RunFiles}), or one that already holds a run (without
 *       {@code --overwrite}) is refused with the user's path and the reason;</li>
 *   <li>{@link #prepare}, once the folder's {@link RunLock} is held: {@code --overwrite} removes the files the
 *       earlier run's manifest lists as its own (or, for a run that never finished, the entries only sipflow
 *       writes), and nothing else; a resume removes the manifest, since the results are about to change;</li>
 *   <li>each result file is written by its own atomic rename ({@link AtomicFiles}), and {@link #writeManifest}
 *       comes last, as the mark that the results are complete.</li>
 * </ul>
 * A symbolic link given as the folder is followed, never replaced.
 */
final class OutputFolder {
    /** What the command line asked for the folder. */
    enum Mode {
        /** a new run: the folder must be empty or new */
        NEW,
        /** --overwrite: an earlier run's files may be replaced */
        OVERWRITE,
        /** --resume: continue the run that is there */
        RESUME
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private OutputFolder() {
    }

    /**
     * Checks that results can go to {@code out} (given by {@code flag}); returns it absolute. Throws
     * IllegalArgumentException with the user's path and the reason.
     */
    static Path check(Path out, String flag, Mode mode) {
        if (out.toString().isEmpty()) {
            throw new IllegalArgumentException(flag + " is empty; give a folder, e.g. " + flag + " runs/mine");
        }
        Path dir = out.toAbsolutePath().normalize();
        if (dir.getParent() == null) {
            throw new IllegalArgumentException(flag + " " + out + ": results need a folder below the root");
        }
        if (Files.isSymbolicLink(dir) && !Files.exists(dir)) {
            throw new IllegalArgumentException(flag + " " + out + " is a symbolic link to " + target(dir)
                    + ", which does not exist; create that folder or give another");
        }
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
        probeWritable(out, flag, dir, existing);
        if (mode != Mode.RESUME) {
            refuseForeignOrEarlier(out, flag, dir, mode);
        }
        return dir;
    }

    /** The folder's contents allow {@code mode}: nothing foreign (unless a finished run's), no run without --overwrite. */
    private static void refuseForeignOrEarlier(Path out, String flag, Path dir, Mode mode) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        RunFiles.Contents c = RunFiles.inspect(dir);
        if (c.foreign() != null && !c.hasManifest()) {
            throw new IllegalArgumentException(flag + " " + out + " holds " + c.foreign() + ", which sipflow did not"
                    + " write; sipflow writes only into a new or empty folder or one of its own runs, and never"
                    + " deletes what it did not write. Choose another folder, e.g. " + flag + " "
                    + out.resolve("run"));
        }
        // a checkpoint without results, or a comparison without comparison.csv: a run that was interrupted
        if (mode == Mode.NEW && c.earlierRun() != null && (c.earlierRun().contains("checkpoint.")
                || c.earlierRun().equals(CompareCommand.COMPARE_JSON) || c.earlierRun().equals(SweepCommand.SWEEP_JSON))) {
            throw new IllegalArgumentException(flag + " " + out + " holds a run that has not finished ("
                    + c.earlierRun() + "); pass --resume " + out + " to continue it, --overwrite to replace it, or"
                    + " choose another folder");
        }
        if (mode == Mode.NEW && c.earlierRun() != null) {
            throw new IllegalArgumentException(flag + " " + out + " already holds the results of an earlier run ("
                    + c.earlierRun() + "); pass --overwrite to replace them, --resume " + out + " to continue that"
                    + " run, or choose another folder");
        }
    }

    /**
     * Creates the folder (and any missing parents) and a file in it, then removes both, so a read-only place, a
     * name the file system refuses (too long, say) or a full disk fails now, not after training.
     */
    private static void probeWritable(Path out, String flag, Path dir, Path existing) {
        Path firstCreated = existing.equals(dir) ? null : dir.subpath(0, existing.getNameCount() + 1);
        if (firstCreated != null) {
            firstCreated = dir.getRoot().resolve(firstCreated);
        }
        try {
            Files.createDirectories(dir);
            Path probe = dir.resolve(".sipflow-probe-" + Long.toUnsignedString(RANDOM.nextLong(), 36));
            Files.write(probe, new byte[] {0});
            Files.deleteIfExists(probe);
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException(flag + " " + out + " is not writable: permission denied in "
                    + (Files.isDirectory(dir) ? dir : existing));
        } catch (FileSystemException e) {
            throw new IllegalArgumentException(flag + " " + out + " is not writable: " + reason(e, dir) + " (in "
                    + existing + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException(flag + " " + out + " is not writable: " + e.getMessage());
        } finally {
            if (firstCreated != null) {
                removeEmptyFolders(dir, firstCreated);
            }
        }
    }

    /** The file system's reason, with the offending name when it is too long. */
    private static String reason(FileSystemException e, Path dir) {
        String reason = e.getReason() != null ? e.getReason().toLowerCase(Locale.ROOT)
                : e instanceof java.nio.file.NoSuchFileException ? "files cannot be created there"
                : e.getClass().getSimpleName();
        if (reason.contains("name too long")) {
            for (Path name : dir) {
                int bytes = name.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                if (bytes > 255) {
                    return "the name " + name.toString().substring(0, 16) + "… is " + bytes
                            + " bytes long; this file system allows at most 255";
                }
            }
        }
        return reason;
    }

    /** Removes {@code dir} and its parents up to {@code top} (inclusive) while they are empty. */
    private static void removeEmptyFolders(Path dir, Path top) {
        for (Path p = dir; p != null && p.startsWith(top); p = p.getParent()) {
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                continue; // never made (a name the file system refused, say)
            }
            try {
                Files.delete(p);
            } catch (IOException notEmpty) {
                return;
            }
        }
    }

    private static String target(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "a missing target";
        }
    }

    /**
     * Run under the folder's lock, before the run writes: checks the contents again (another run may have
     * finished meanwhile), then, for {@code --overwrite}, removes what the earlier run owned; for a resume, its
     * manifest. Throws IllegalArgumentException as {@link #check}.
     */
    static Path prepare(Path out, String flag, Path dir, Mode mode) throws IOException {
        if (mode != Mode.RESUME) {
            refuseForeignOrEarlier(out, flag, dir, mode);
        }
        if (mode == Mode.OVERWRITE) {
            RunFiles.removeEarlierRun(dir);
        } else if (mode == Mode.RESUME) {
            Files.deleteIfExists(dir.resolve(RunFiles.MANIFEST));
        }
        return dir;
    }

    /** A step that may refuse with IllegalArgumentException. */
    @FunctionalInterface
    interface Step<T> {
        T run() throws IOException;
    }

    /** Runs {@code step}, turning its refusal into a usage error (exit 2) of {@code cl}. */
    static <T> T usage(picocli.CommandLine cl, Step<T> step) throws IOException {
        try {
            return step.run();
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(cl, e.getMessage());
        }
    }

    /** The manifest, written last: {@code owned} (paths relative to {@code dir}; folders end in '/'). */
    static void writeManifest(Path dir, String runId, List<String> owned) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(RunFiles.MANIFEST_HEADER + runId);
        lines.add("# The files and run folders below are this run's own; --overwrite removes only these.");
        lines.addAll(owned);
        AtomicFiles.writeString(dir.resolve(RunFiles.MANIFEST), String.join("\n", lines) + "\n");
    }
}
