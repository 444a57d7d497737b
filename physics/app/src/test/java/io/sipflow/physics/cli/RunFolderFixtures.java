package io.sipflow.physics.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The folders {@code RunSafetyTest}'s table starts from: a project (README, notes, src/, .git/), finished and
 * interrupted runs, checkpoints mixed from two runs, a locked folder, symbolic links. Each returns the folder
 * the row's {D} stands for; {@link #snapshot} records every file's bytes (and every link's target).
 */
final class RunFolderFixtures {
    static final String[] TINY = {"--resolution", "16", "--batch", "4", "--test-batch", "4", "--threads", "1",
            "--steps", "2", "--test-every", "1"};

    private final Path tmp;
    /** A lock held for the row, released after it. */
    AutoCloseable held;

    RunFolderFixtures(Path tmp) {
        this.tmp = tmp;
    }

    /** Builds fixture {@code name} under tmp and returns its folder. */
    Path build(String name) throws Exception {
        Path d = tmp.resolve("d");
        switch (name) {
            case "new" -> { }
            case "project" -> project(d);
            case "run+project" -> {
                train(d, "--problem", "heat");
                project(d);
            }
            case "compare+foreign" -> {
                run("compare", "--methods", "sip,gd", "--out", d.toString());
                Files.writeString(d.resolve("README.md"), "my comparison\n");
                Files.writeString(d.resolve("sip/notes.txt"), "looked good\n");
            }
            case "compare" -> run("compare", "--methods", "sip,gd", "--out", d.toString());
            case "interrupted-compare" -> {
                run("compare", "--methods", "sip,gd", "--out", d.toString());
                for (String f : new String[] {"comparison.csv", "comparison.png", RunFiles.MANIFEST, "gd/run.json",
                        "gd/" + RunFiles.MANIFEST}) {
                    Files.delete(d.resolve(f));
                }
            }
            case "finished" -> train(d);
            case "interrupted", "interrupted+notes" -> {
                train(d);
                for (String f : new String[] {"run.json", "model.npz", "metrics.csv", "test.csv", "examples.png",
                        "curves.png", RunFiles.MANIFEST}) {
                    Files.deleteIfExists(d.resolve(f));
                }
                Files.writeString(d.resolve(RunLock.FILE), "host elsewhere, process 1\n"); // left by a kill -9
                Files.write(d.resolve("checkpoint.npz.123456.tmp"), new byte[] {1, 2});
                if (name.endsWith("notes")) {
                    Files.writeString(d.resolve("notes.txt"), "mine\n");
                }
            }
            case "npz-of-another-run", "npz-of-another-problem" -> {
                train(d);
                Path other = tmp.resolve("other");
                train(other, "--problem", name.endsWith("problem") ? "poisson" : "heat");
                Files.copy(other.resolve("checkpoint.npz"), d.resolve("checkpoint.npz"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            case "old-results-beside-new-checkpoint" -> {
                Path old = tmp.resolve("old");
                train(old);
                train(d);
                Files.delete(d.resolve(RunFiles.MANIFEST));
                Files.copy(old.resolve("run.json"), d.resolve("run.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            case "no-run-id" -> {
                train(d);
                Map<String, Object> json = Json.read(Files.readString(d.resolve("checkpoint.json")));
                json.remove(TrainingRun.RUN_ID);
                Files.writeString(d.resolve("checkpoint.json"), Json.write(json));
            }
            case "stale-temporary" -> {
                train(d);
                Files.write(d.resolve("checkpoint.npz.999.tmp"), new byte[] {1});
            }
            case "locked" -> held = RunLock.acquire(d, "--out", d);
            case "symlink" -> {
                Files.createDirectories(tmp.resolve("real"));
                Files.createSymbolicLink(d, tmp.resolve("real"));
            }
            case "dangling" -> Files.createSymbolicLink(d, tmp.resolve("missing"));
            default -> throw new IllegalArgumentException("no fixture " + name);
        }
        return d;
    }

    private static void project(Path d) throws IOException {
        Files.createDirectories(d.resolve("src/main"));
        Files.createDirectories(d.resolve(".git/objects/ab"));
        Files.writeString(d.resolve("README.md"), "# my project\n");
        Files.writeString(d.resolve("notes.txt"), "ideas\n");
        Files.writeString(d.resolve("src/main/Main.java"), "class Main {}\n");
        Files.writeString(d.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        Files.write(d.resolve(".git/objects/ab/cdef"), new byte[] {0x78, 0x01, 0, 0, (byte) 0xff});
    }

    private static void train(Path d, String... more) {
        String[] args = Stream.concat(Stream.of("train", "--out", d.toString()), Stream.concat(Arrays.stream(more),
                Arrays.stream(TINY))).toArray(String[]::new);
        CliErrorPathTest.Run r = CliErrorPathTest.run(args);
        assertEquals(0, r.code(), "fixture: " + r.err());
    }

    private static void run(String... args) {
        String[] all = Stream.concat(Arrays.stream(args), Arrays.stream(TINY)).toArray(String[]::new);
        CliErrorPathTest.Run r = CliErrorPathTest.run(all);
        assertEquals(0, r.code(), "fixture: " + r.err());
    }

    /** Every entry under {@code root} by relative path: a file's bytes, "dir", or "-> target" for a link. */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    all.put(rel, "-> " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    all.put(rel, "dir");
                } else {
                    all.put(rel, Arrays.toString(Files.readAllBytes(p)));
                }
            }
        }
        return all;
    }
}
