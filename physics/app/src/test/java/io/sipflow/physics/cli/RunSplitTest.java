package io.sipflow.physics.cli;

import io.sipflow.physics.cli.exec.TaskScript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runs of a comparison or sweep as tasks on this machine: {@code --jobs 2} (each run a {@code train} process
 * started from {@code tasks.sh}) gives the same comparison.csv as the runs in one process, {@code --collect} names a
 * missing run and collects it once it is finished, and the executor options refuse what makes no sense.
 */
class RunSplitTest {
    private static final List<String> SMALL = List.of("--problem", "sin", "--steps", "20", "--test-every", "10",
            "--threads", "1");

    @TempDir
    Path tmp;

    @Test
    void twoJobsWriteTheSameComparisonAsOneProcess() throws Exception {
        Path one = tmp.resolve("one");
        Path two = tmp.resolve("two");
        CliErrorPathTest.Run a = CliErrorPathTest.run(args("compare", "--methods", "sip", "--seeds", "2", "--out",
                one.toString()));
        assertEquals(0, a.code(), a.err());
        CliErrorPathTest.Run b = CliErrorPathTest.run(args("compare", "--methods", "sip", "--seeds", "2", "--out",
                two.toString(), "--jobs", "2"));
        assertEquals(0, b.code(), b.err() + b.out());
        assertTrue(b.out().contains("task 1 (sip/seed_1): done"), b.out());
        assertEquals(SlurmSweepTest.withoutTimings(one.resolve("comparison.csv")),
                SlurmSweepTest.withoutTimings(two.resolve("comparison.csv")));
        assertTrue(Files.readString(two.resolve("logs/task-0.out")).contains("training into " + two.resolve("sip/seed_0")));
        assertEquals(List.of("sip/seed_0", "sip/seed_1"), Files.readAllLines(two.resolve(RunCollection.RUNS)));
        List<String> manifest = Files.readAllLines(two.resolve(RunFiles.MANIFEST));
        assertTrue(manifest.containsAll(List.of(TaskScript.NAME, "logs/", RunCollection.RUNS, "sip/")), manifest.toString());

        // the task script skips a finished run
        Process p = new ProcessBuilder("bash", two.resolve(TaskScript.NAME).toString(), "1").redirectErrorStream(true)
                .start();
        String skipped = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), skipped);
        assertTrue(skipped.contains("holds a finished run; nothing to do"), skipped);

        // an interrupted comparison continues as tasks too: the finished run is skipped, the other one resumes
        Files.delete(two.resolve("sip/seed_1/run.json"));
        Files.delete(two.resolve("sip/seed_1/" + RunFiles.MANIFEST));
        CliErrorPathTest.Run resumed = CliErrorPathTest.run("compare", "--resume", two.toString(), "--jobs", "2",
                "--threads", "1");
        assertEquals(0, resumed.code(), resumed.err() + resumed.out());
        assertTrue(Files.readString(two.resolve("logs/task-1.out")).contains("resuming " + two.resolve("sip/seed_1")));
        assertEquals(SlurmSweepTest.withoutTimings(one.resolve("comparison.csv")),
                SlurmSweepTest.withoutTimings(two.resolve("comparison.csv")));

        // --overwrite replaces the tasks' logs and script, and keeps what sipflow did not write
        Files.writeString(two.resolve("logs/notes.txt"), "mine");
        CliErrorPathTest.Run c = CliErrorPathTest.run(args("compare", "--methods", "sip", "--out", two.toString(),
                "--overwrite"));
        assertEquals(0, c.code(), c.err());
        assertFalse(Files.exists(two.resolve(TaskScript.NAME)));
        assertFalse(Files.exists(two.resolve("logs/task-0.out")));
        assertEquals("mine", Files.readString(two.resolve("logs/notes.txt")));
    }

    @Test
    void collectNamesAMissingRunAndCollectsItOnceItHasFinished() throws Exception {
        Path dir = tmp.resolve("sweep");
        CliErrorPathTest.Run whole = CliErrorPathTest.run(args("sweep", "--methods", "sip,gd", "--option", "xi=10", "--out",
                dir.toString()));
        assertTrue(whole.code() == 0 || whole.code() == 3, whole.err());
        List<String> complete = SlurmSweepTest.withoutTimings(dir.resolve("sweep.csv"));
        Path gd = dir.resolve("xi_10/gd");
        Files.delete(gd.resolve("run.json")); // as if it had stopped at its checkpoint
        Files.delete(gd.resolve(RunFiles.MANIFEST));

        CliErrorPathTest.Run partial = CliErrorPathTest.run("sweep", "--collect", dir.toString());
        assertEquals(RunCollection.INCOMPLETE, partial.code(), partial.err());
        assertTrue(partial.err().contains("1 of 2 runs are missing from sweep.csv:\n  xi_10/gd: not finished"),
                partial.err());
        assertTrue(partial.err().contains("sipflow train --resume " + gd), partial.err());
        assertFalse(Files.readString(dir.resolve("sweep.csv")).contains("10.0,gd,"));
        assertFalse(Files.exists(dir.resolve(RunFiles.MANIFEST)));

        assertEquals(whole.code(), CliErrorPathTest.run("train", "--resume", gd.toString(), "--threads", "1").code());
        CliErrorPathTest.Run collected = CliErrorPathTest.run("sweep", "--collect", dir.toString());
        assertEquals(whole.code(), collected.code(), collected.err());
        assertEquals(complete, SlurmSweepTest.withoutTimings(dir.resolve("sweep.csv")));
        assertTrue(Files.exists(dir.resolve(RunFiles.MANIFEST)));
    }

    @Test
    void executorOptionsThatMakeNoSenseAreUsageErrors() {
        String out = tmp.resolve("x").toString();
        assertRefused("--jobs must be at least 1, got 0", args("sweep", "--jobs", "0", "--out", out));
        assertRefused("--jobs 2 is for --executor local", args("compare", "--executor", "slurm", "--jobs", "2",
                "--out", out));
        assertRefused("drop --steps", "sweep", "--collect", out, "--steps", "5");
        assertRefused("holds no comparison or sweep to collect", "compare", "--collect", tmp.toString());
    }

    private static void assertRefused(String message, String... args) {
        CliErrorPathTest.Run r = CliErrorPathTest.run(args);
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(message), r.err());
    }

    private static String[] args(String... first) {
        List<String> all = new java.util.ArrayList<>(List.of(first));
        all.addAll(SMALL);
        return all.toArray(new String[0]);
    }
}
