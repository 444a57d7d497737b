package io.sipflow.physics.cli;

import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.io.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs that go wrong say so: divergence, anomalies, empty runs, replaced results, evaluation without side effects;
 * and the table of output folders ({@link #outputFoldersAreSafe}): sipflow never deletes what it did not write,
 * never mixes two runs, runs one at a time per folder, and finds path problems before training.
 */
class RunSafetyTest {
    private static final String[] TINY = {"--resolution", "16", "--batch", "4", "--test-batch", "4", "--threads", "1"};

    @TempDir
    Path tmp;

    private static CliErrorPathTest.Run run(String[] tiny, String... args) {
        String[] all = new String[args.length + tiny.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(tiny, 0, all, args.length, tiny.length);
        return CliErrorPathTest.run(all);
    }

    /**
     * One row per case: the fixture {D} starts as (see {@link RunFolderFixtures}), the command, its exit code, a
     * part of its message; then paths under {D} that must exist afterwards, paths that must not, and foreign paths
     * that must be unchanged byte for byte. A refused command (exit 2) must leave the whole temporary folder as it
     * found it: nothing written, nothing deleted.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // 1. never delete what sipflow did not write
            "project | train --out {D}/. | 2 | --out {D}/. holds .git/, which sipflow did not write | - | - | -",
            "project | compare --out {D} | 2 | --out {D} holds .git/, which sipflow did not write | - | - | -",
            "project | sweep --out {D} --steps 1 | 2 | --out {D} holds .git/, which sipflow did not write | - | - | -",
            "project | train --overwrite --out {D} | 2 | --out {D} holds .git/, which sipflow did not write | - | - | -",
            "run+project | train --overwrite --out {D} --steps 3 | 0 | - | run.json sipflow-manifest.txt | .sipflow.lock"
                    + " | README.md notes.txt src/main/Main.java .git/HEAD .git/objects/ab/cdef",
            "compare+foreign | compare --overwrite --methods sip --steps 2 --out {D} | 0 | - | sip/run.json comparison.csv"
                    + " | gd .sipflow.lock sip/.sipflow.lock | README.md sip/notes.txt",
            "interrupted | train --out {D} | 2 | --out {D} holds a run that has not finished (checkpoint.json);"
                    + " pass --resume {D} | - | - | -",
            "interrupted-compare | compare --out {D} | 2 | --out {D} holds a run that has not finished"
                    + " (compare.json); pass --resume {D} | - | - | -",
            "interrupted | train --overwrite --steps 2 --out {D} | 0 | - | run.json | checkpoint.npz.123456.tmp .sipflow.lock | -",
            "interrupted+notes | train --overwrite --out {D} | 2 | --out {D} holds notes.txt, which sipflow did not"
                    + " write | - | - | -",
            // 2. a resume never mixes runs
            "npz-of-another-run | train --resume {D} | 2 | {D}/checkpoint.npz is from another run than checkpoint.json"
                    + " beside it (run id | - | - | -",
            "npz-of-another-problem | train --resume {D} | 2 | {D}/checkpoint.npz is from another run than"
                    + " checkpoint.json beside it (problem poisson vs heat) | - | - | -",
            "old-results-beside-new-checkpoint | train --resume {D} | 2 | {D}/run.json holds the results of another"
                    + " run | - | - | -",
            "no-run-id | train --resume {D} | 2 | {D}/checkpoint.json names no run id | - | - | -",
            "finished | train --resume {D} --method gd | 2 | --method gd differs from the method sip | - | - | -",
            "finished | train --resume {D} --method sip --steps 3 | 0 | - | run.json | - | -",
            "compare | compare --resume {D} --methods gd | 2 | --methods gd differs from the methods sip,gd | - | - | -",
            // 3. one run per folder
            "locked | train --out {D} | 2 | --out {D} is in use by another sipflow run (host {HOST}, process {PID})"
                    + " | - | - | -",
            // 5. paths
            "symlink | train --steps 2 --out {D} | 0 | - | run.json | - | -",
            "dangling | train --out {D} | 2 | --out {D} is a symbolic link to {T}/missing, which does not exist"
                    + " | - | - | -",
            "stale-temporary | train --resume {D} --steps 3 | 0 | - | run.json | checkpoint.npz.999.tmp | -",
            "new | train --steps 2 --out {D}/{240} | 0 | - | {240}/run.json | - | -"})
    void outputFoldersAreSafe(String fixture, String args, int code, String message, String exists, String absent,
                              String kept) throws Exception {
        RunFolderFixtures f = new RunFolderFixtures(tmp);
        Path d = f.build(fixture);
        try {
            Map<String, String> before = RunFolderFixtures.snapshot(tmp);
            List<String> argv = new java.util.ArrayList<>();
            for (String a : args.trim().split(" +")) {
                argv.add(fill(a, d));
            }
            // the fixtures' settings (not --steps: rows give it); a resume takes its settings from the folder
            argv.addAll(List.of(RunFolderFixtures.TINY).subList(argv.contains("--resume") ? 6 : 0, 8));
            CliErrorPathTest.Run r = CliErrorPathTest.run(argv.toArray(new String[0]));
            assertEquals(code, r.code(), r.out() + r.err());
            if (message != null) {
                assertTrue(r.err().contains(fill(message, d)), "expected '" + fill(message, d) + "' in:\n" + r.err());
            }
            if (code != 0) {
                assertEquals(before, RunFolderFixtures.snapshot(tmp), "a refused run changes nothing");
            }
            for (String p : words(exists)) {
                assertTrue(Files.exists(d.resolve(fill(p, d))), p + " exists");
            }
            for (String p : words(absent)) {
                assertFalse(Files.exists(d.resolve(fill(p, d)), java.nio.file.LinkOption.NOFOLLOW_LINKS), p + " is gone");
            }
            Map<String, String> after = RunFolderFixtures.snapshot(tmp);
            for (String p : words(kept)) {
                String rel = tmp.relativize(d.resolve(p)).toString();
                assertEquals(before.get(rel), after.get(rel), p + " unchanged");
            }
            if (fixture.equals("symlink")) {
                assertTrue(Files.isSymbolicLink(d) && Files.exists(tmp.resolve("real/run.json")), "the link is followed");
            }
        } finally {
            if (f.held != null) {
                f.held.close();
            }
        }
    }

    /**
     * A second run on a folder that another process is training into fails at once, naming the folder and that
     * process; once the first is killed (kill -9), the operating system has released its lock and a new run may
     * take the folder.
     */
    @Test
    void aSecondRunOnAFolderInUseFailsAtOnceAndAKilledRunsLockIsReleased() throws Exception {
        Path dir = tmp.resolve("busy");
        List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--add-modules",
                "jdk.incubator.vector", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                SipflowCli.class.getName(), "train", "--resolution", "8", "--batch", "4", "--test-batch", "4",
                "--steps", "1000000", "--threads", "1", "--out", dir.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("log").toFile()).start();
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (p.isAlive() && !Files.exists(dir.resolve("checkpoint.json")) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(p.isAlive(), "the first run ended early:\n" + Files.readString(tmp.resolve("log")));
            CliErrorPathTest.Run second = run(TINY, "train", "--overwrite", "--out", dir.toString());
            assertEquals(2, second.code(), second.err());
            assertTrue(second.err().contains("--out " + dir + " is in use by another sipflow run (host " + RunLock.host()
                    + ", process " + p.pid() + ")"), second.err());
        } finally {
            p.destroyForcibly(); // SIGKILL: no clean-up code runs
            p.waitFor();
        }
        assertTrue(Files.exists(dir.resolve(RunLock.FILE)), "a killed run leaves its lock file, but not its lock");
        CliErrorPathTest.Run after = run(TINY, "train", "--overwrite", "--steps", "2", "--out", dir.toString());
        assertEquals(0, after.code(), after.err());
        assertFalse(Files.exists(dir.resolve(RunLock.FILE)), "released and removed at the end of the run");
    }

    private static List<String> words(String s) {
        return s == null ? List.of() : List.of(s.trim().split(" +"));
    }

    private String fill(String s, Path d) {
        return s.replace("{D}", d.toString()).replace("{T}", tmp.toString()).replace("{240}", "r".repeat(240))
                .replace("{HOST}", RunLock.host()).replace("{PID}", String.valueOf(ProcessHandle.current().pid()));
    }

    /** The example: lr 1e30 once exited 0 with a finite test x_l2 and a model.npz full of NaN. */
    @Test
    void aDivergingRunStopsWritesTheLastGoodStateAndExitsNonZero() throws IOException {
        Path dir = tmp.resolve("d");
        CliErrorPathTest.Run r = run(TINY, "train", "--steps", "20", "--lr", "1e30", "--out", dir.toString());
        assertEquals(TrainingRun.DIVERGED, r.code(), r.err());
        List<String> lines = r.err().lines().filter(l -> l.contains("diverged")).toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("sip: diverged at step ") && lines.get(0).contains("non-finite values in the loss"),
                lines.get(0));
        Map<String, Object> json = Json.read(Files.readString(dir.resolve("run.json")));
        assertEquals("diverged", json.get("status"));
        long step = (Long) json.get("diverged_at_step");
        assertEquals(step, Files.readAllLines(dir.resolve("metrics.csv")).size() - 1, "metrics up to the last good step");
        for (String f : List.of("model.npz", "checkpoint.npz")) {
            for (Map.Entry<String, Tensor> e : Npz.read(dir.resolve(f)).entrySet()) {
                for (int i = 0; i < e.getValue().size(); i++) {
                    assertTrue(Double.isFinite(e.getValue().getFlat(i)), f + " " + e.getKey() + " is finite");
                }
            }
        }
    }

    @Test
    void compareFinishesTheOtherMethodsAndMarksTheDivergedOne() throws IOException {
        Path dir = tmp.resolve("c");
        CliErrorPathTest.Run r = run(TINY, "compare", "--methods", "sgd,sip", "--lr", "10", "--steps", "10",
                "--out", dir.toString());
        assertEquals(TrainingRun.DIVERGED, r.code(), r.err());
        List<String> csv = Files.readAllLines(dir.resolve("comparison.csv"));
        assertTrue(csv.get(1).startsWith("sgd,") && csv.get(1).matches(".*,diverged at step \\d+"), csv.get(1));
        // SIP finishes all 10 steps, but at --lr 10 its final x_l2 is far above its best: unstable (Stability)
        assertTrue(csv.get(2).matches("sip,.*,unstable: final x_l2 \\S+ is over 10x its best \\S+"), csv.get(2));
        assertTrue(Files.size(dir.resolve("comparison.png")) > 0 && Files.exists(dir.resolve("sip/model.npz")));
    }

    @Test
    void anomalyModeNamesTheOpThatWentNonFinite() throws IOException {
        Path dir = tmp.resolve("a");
        CliErrorPathTest.Run r = run(TINY, "train", "--steps", "20", "--lr", "1e30", "--detect-anomaly", "--out",
                dir.toString());
        assertEquals(TrainingRun.DIVERGED, r.code(), r.err());
        assertTrue(r.err().matches("(?s).*diverged at step \\d+: non-finite values in the (forward pass|VJP) of '\\w+'"
                + " produced .* in .*\\(\\d+(, \\d+)*,?\\) float(32|64).*"), r.err());
    }

    /** --steps 0 used to write "median_step_ms": NaN, which no JSON reader accepts. */
    @Test
    void runJsonIsValidJsonEvenWithoutSteps() throws IOException {
        Path dir = tmp.resolve("z");
        assertEquals(0, run(TINY, "train", "--steps", "0", "--out", dir.toString()).code());
        String text = Files.readString(dir.resolve("run.json"));
        assertFalse(text.contains("NaN") || text.contains("Infinity"), text);
        Map<String, Object> json = Json.read(text);
        assertNull(json.get("median_step_ms"));
        assertEquals("finished", json.get("status"));
        assertEquals(1e-7, (Double) json.get("adam_epsilon"), 0.0);
        assertTrue(String.valueOf(json.get("network")).startsWith("UNet[in=1, out=1, levels=4, filters=16"), text);
    }

    /** --overwrite replaces the earlier run's own files and nothing else; the manifest is written last. */
    @Test
    void overwriteReplacesOnlyTheEarlierRunsOwnFiles() throws IOException {
        Path dir = tmp.resolve("o");
        assertEquals(0, run(TINY, "train", "--steps", "2", "--out", dir.toString()).code());
        List<String> manifest = Files.readAllLines(dir.resolve(RunFiles.MANIFEST));
        assertTrue(manifest.get(0).startsWith(RunFiles.MANIFEST_HEADER), manifest.toString());
        assertTrue(manifest.containsAll(List.of("run.json", "model.npz", "checkpoint.npz", "checkpoint.json")),
                manifest.toString());
        Files.writeString(dir.resolve("note.txt"), "from the first run");
        CliErrorPathTest.Run again = run(TINY, "train", "--steps", "3", "--out", dir.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("pass --overwrite"), again.err());
        assertEquals(0, run(TINY, "train", "--steps", "3", "--overwrite", "--out", dir.toString()).code());
        assertEquals("from the first run", Files.readString(dir.resolve("note.txt")), "a file sipflow did not write stays");
        assertEquals(4, Files.readAllLines(dir.resolve("metrics.csv")).size());
        try (var siblings = Files.list(tmp)) {
            assertEquals(List.of("o"), siblings.map(p -> p.getFileName().toString()).toList(), "nothing beside DIR");
        }
        try (var inside = Files.list(dir)) {
            assertEquals(List.of("checkpoint.json", "checkpoint.npz", "curves.png", "examples.png", "metrics.csv", "model.npz",
                    "note.txt", "run.json", RunFiles.MANIFEST, "test.csv"),
                    inside.map(p -> p.getFileName().toString()).sorted().toList(), "no lock or temporary file left");
        }
    }

    /**
     * Evaluating never changes the model (batch-norm statistics included), and with the run.json beside it scores
     * exactly what training's last test did: same batch, batch statistics, no running-statistic update.
     */
    @Test
    void evaluateHasNoSideEffectsAndReproducesTheFinalTest() throws IOException {
        Path dir = tmp.resolve("e");
        assertEquals(0, run(TINY, "train", "--steps", "6", "--test-every", "3", "--out", dir.toString()).code());
        Map<String, Tensor> before = Npz.read(dir.resolve("model.npz"));
        CliErrorPathTest.Run e = CliErrorPathTest.run("evaluate", "--model", dir.resolve("model.npz").toString(),
                "--out", tmp.resolve("ev").toString(), "--threads", "1");
        assertEquals(0, e.code(), e.err());
        List<String> test = Files.readAllLines(dir.resolve("test.csv"));
        String[] last = test.get(test.size() - 1).split(",");
        assertTrue(e.out().contains(String.format(java.util.Locale.ROOT, "x_l2 %.3f ± %.3f",
                Double.parseDouble(last[1]), Double.parseDouble(last[2]))), e.out() + " vs " + test);
        Map<String, Tensor> after = Npz.read(dir.resolve("model.npz"));
        for (String k : before.keySet()) {
            assertArrayEquals(before.get(k).toDoubleArray(), after.get(k).toDoubleArray(), 0.0, k);
        }
    }

    /** compare --resume keeps finished methods and continues an interrupted one from its checkpoint. */
    @Test
    void compareResumesEachMethodWhereItStopped() throws IOException {
        Path dir = tmp.resolve("cr");
        assertEquals(0, run(TINY, "compare", "--steps", "6", "--test-every", "3", "--checkpoint-every", "3", "--out",
                dir.toString()).code());
        String gdTest = Files.readString(dir.resolve("gd/test.csv"));
        List<String> comparison = numbersOnly(dir.resolve("comparison.csv"));
        // as if killed during gd's training right after its step-3 checkpoint
        assertEquals(0, run(TINY, "train", "--method", "gd", "--steps", "3", "--test-every", "3", "--checkpoint-every",
                "3", "--overwrite", "--out", dir.resolve("gd").toString()).code());
        Files.delete(dir.resolve("comparison.csv"));
        CliErrorPathTest.Run r = CliErrorPathTest.run("compare", "--resume", dir.toString(), "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("gd: resuming at step 3 of 6 steps"), r.out());
        assertEquals(gdTest, Files.readString(dir.resolve("gd/test.csv")));
        assertEquals(comparison, numbersOnly(dir.resolve("comparison.csv")));
    }

    /** comparison.csv without the timing column. */
    private static List<String> numbersOnly(Path csv) throws IOException {
        return Files.readAllLines(csv).stream().map(l -> l.replaceAll(",[^,]*(,[^,]*)$", "$1")).toList();
    }
}
