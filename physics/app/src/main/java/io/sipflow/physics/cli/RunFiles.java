package io.sipflow.physics.cli;

import io.sipflow.physics.cli.exec.TaskScript;
import io.sipflow.physics.train.Method;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The names sipflow writes into an output folder, and the only ones it ever deletes there. A run folder holds
 * {@link #CONTENT} files, the {@link RunLock} file, and while a file is being written its temporary twin in the
 * same folder; {@code compare} and {@code sweep} add per-method folders ({@code sip/}), per-ξ folders
 * ({@code xi_10/}) and per-seed folders ({@code sip/seed_3/}) holding run folders, and when their runs train as
 * tasks, {@code tasks.sh} and a {@code logs/} folder of the tasks' logs. Anything else (a symbolic link included)
 * is foreign.
 */
final class RunFiles {
    /** The list of files a finished run owns, written last. */
    static final String MANIFEST = "sipflow-manifest.txt";
    static final String MANIFEST_HEADER = "# sipflow run ";
    /** What runs, comparisons and sweeps write, in the order an "earlier run" message names them. */
    static final List<String> CONTENT = List.of("run.json", "comparison.csv", "sweep.csv", "model.npz",
            "metrics.csv", "test.csv", "examples.png", "curves.png", TrainOptions.CHECKPOINT_JSON,
            TrainOptions.CHECKPOINT_NPZ, CompareCommand.COMPARE_JSON, SweepCommand.SWEEP_JSON, "comparison.png",
            WallTimeChart.FILE, "sweep.png", RunCollection.RUNS, TaskScript.NAME, MANIFEST);
    /** The tasks' logs of a comparison or sweep run by an executor: {@code logs/task-3.out}, {@code logs/slurm-12_3.out}. */
    static final String LOGS = TaskScript.LOGS;
    private static final Pattern LOG_FILE = Pattern.compile("(task-[0-9]+|slurm-[0-9]+_[0-9]+|collect-[0-9]+)\\.out");
    /** Npz's temporary ({@code model.npz.123.tmp}), AtomicFiles' ({@code .run-k3j9.json}), the write probe's. */
    private static final Pattern TEMPORARY = Pattern.compile(
            "(?<npz>[a-z]+\\.npz)\\.\\d+\\.tmp|\\.(?<base>[a-z_-]+)-[0-9a-z]+(?<ext>\\.[a-z]+)|\\.sipflow-probe-[0-9a-z]+");
    private static final Pattern XI_FOLDER = Pattern.compile("xi_[0-9.eE+-]+");
    /** A seed's run folder inside a method's ({@code compare --seeds}): {@code sip/seed_3/}. */
    private static final Pattern SEED_FOLDER = Pattern.compile("seed_-?[0-9]+");

    private RunFiles() {
    }

    /** What a folder holds: one foreign entry and one earlier run's file (relative paths, or null), its manifest. */
    record Contents(String foreign, String earlierRun, boolean hasManifest) {
    }

    static boolean isTemporary(String name) {
        var m = TEMPORARY.matcher(name);
        if (!m.matches()) {
            return false;
        }
        return m.group("npz") != null ? CONTENT.contains(m.group("npz"))
                : m.group("base") == null || CONTENT.contains(m.group("base") + m.group("ext"));
    }

    /** A folder compare or sweep makes: a method's id, xi_&lt;ξ&gt;, or seed_&lt;S&gt;. */
    static boolean isRunFolder(String name) {
        for (Method m : Method.values()) {
            if (m.id().equals(name)) {
                return true;
            }
        }
        return XI_FOLDER.matcher(name).matches() || SEED_FOLDER.matcher(name).matches();
    }

    /** Reads {@code dir} and its run folders. */
    static Contents inspect(Path dir) {
        String foreign = null;
        String earlier = null;
        int earlierRank = Integer.MAX_VALUE;
        for (Path p : entries(dir)) {
            String name = p.getFileName().toString();
            boolean file = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
            if (file && CONTENT.contains(name)) {
                if (CONTENT.indexOf(name) < earlierRank) {
                    earlierRank = CONTENT.indexOf(name);
                    earlier = name;
                }
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && name.equals(LOGS)) {
                String log = foreignLog(p);
                foreign = foreign != null || log == null ? foreign : name + "/" + log;
                earlier = earlier != null ? earlier : name + "/";
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && isRunFolder(name)) {
                Contents sub = inspect(p);
                foreign = foreign != null || sub.foreign() == null ? foreign : name + "/" + sub.foreign();
                earlier = earlier != null || sub.earlierRun() == null ? earlier : name + "/" + sub.earlierRun();
            } else if (!(file && (isTemporary(name) || name.equals(RunLock.FILE))) && foreign == null) {
                foreign = name + (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "/" : "");
            }
        }
        return new Contents(foreign, earlier, manifest(dir) != null);
    }

    /**
     * Removes the earlier run in {@code dir}: the files and run folders its manifest lists, or, when it has none
     * (a run that never finished), the entries only sipflow writes; then the manifest, last. Foreign files stay.
     */
    static void removeEarlierRun(Path dir) throws IOException {
        List<String> owned = manifest(dir);
        if (owned == null) {
            for (Path p : entries(dir)) {
                removeIfOwn(dir, p.getFileName().toString(), p);
            }
            return;
        }
        for (String line : owned) {
            Path p = dir.resolve(line).normalize();
            if (p.startsWith(dir) && !p.equals(dir)) {
                removeIfOwn(dir, line, p);
            }
        }
        removeTemporaries(dir);
        Files.deleteIfExists(dir.resolve(MANIFEST));
    }

    /** Removes the temporary files of writes that never finished (a killed run's) from {@code dir}. */
    static void removeTemporaries(Path dir) throws IOException {
        for (Path p : entries(dir)) {
            if (isTemporary(p.getFileName().toString()) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The first entry of a logs folder that is not a task's log, or null. */
    private static String foreignLog(Path logs) {
        for (Path p : entries(logs)) {
            if (!(Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && LOG_FILE.matcher(p.getFileName().toString())
                    .matches())) {
                return p.getFileName().toString();
            }
        }
        return null;
    }

    private static void removeIfOwn(Path dir, String relative, Path p) throws IOException {
        String name = p.getFileName().toString();
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && name.equals(LOGS) && p.getParent().equals(dir)) {
            for (Path log : entries(p)) {
                if (Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS) && LOG_FILE.matcher(
                        log.getFileName().toString()).matches()) {
                    Files.delete(log);
                }
            }
            if (isEmpty(p)) {
                Files.delete(p);
            }
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            if (isRunFolder(name)) {
                removeEarlierRun(p);
                RunLock.deleteIfFree(p.resolve(RunLock.FILE));
                for (Path q = p; !q.equals(dir) && isEmpty(q); q = q.getParent()) {
                    Files.delete(q);
                }
            }
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !name.equals(MANIFEST)
                && (CONTENT.contains(name) || isTemporary(name))) {
            Files.deleteIfExists(p);
        }
    }

    /** The paths a finished run's manifest lists, or null when {@code dir} has none. */
    static List<String> manifest(Path dir) {
        Path file = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try {
            List<String> lines = Files.readAllLines(file);
            if (lines.isEmpty() || !lines.get(0).startsWith(MANIFEST_HEADER)) {
                return null;
            }
            return lines.stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        }
    }

    /** The entries of {@code dir} by name (so messages do not depend on the file system's order). */
    private static List<Path> entries(Path dir) {
        List<Path> all = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(all::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        all.sort(null);
        return all;
    }
}
