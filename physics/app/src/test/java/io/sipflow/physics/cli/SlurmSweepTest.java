package io.sipflow.physics.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real thing on a real Slurm (a one-node cluster: {@code .ci/start-slurm.sh}): a 2-run sweep submitted with
 * {@code --executor slurm} is one 2-task array job; one task is cancelled with {@code scancel} once it has a
 * checkpoint, the collecting job then names it as missing, the resubmitted array skips the finished task and resumes
 * the cancelled one from its checkpoint, and the collected sweep.csv equals an in-process run's (every column but the
 * timings). Without a cluster the test is skipped, saying why; under CI=true (where .ci/run starts one) it fails.
 */
class SlurmSweepTest {
    /**
     * 600 steps: after its first checkpoint (step 10) the cancelled run has 590 steps left, over 0.5 s at the fastest
     * (about 1 ms a step); scancel's SIGTERM reaches a task within about 0.06 s on the one-node cluster.
     */
    private static final List<String> SWEEP = List.of("sweep", "--methods", "sip,gd", "--option", "xi=10", "--steps", "600",
            "--test-every", "200", "--checkpoint-every", "10", "--threads", "1");

    @TempDir
    Path tmp;

    @Test
    void aCancelledTaskResumesOnResubmissionAndTheCollectedCsvEqualsALocalRun() throws Exception {
        requireCluster();
        Path local = tmp.resolve("local");
        CliErrorPathTest.Run reference = CliErrorPathTest.run(with(SWEEP, "--out", local.toString()));
        assertTrue(reference.code() == 0 || reference.code() == 3, reference.err());

        Path dir = tmp.resolve("slurm");
        CliErrorPathTest.Run submitted = CliErrorPathTest.run(with(SWEEP, "--out", dir.toString(), "--executor", "slurm"));
        assertEquals(0, submitted.code(), submitted.err());
        String array = group("array job ([0-9]+)", submitted.out());
        String collector = group("and job ([0-9]+)", submitted.out());

        Path cancelled = dir.resolve("xi_10/sip"); // task 0
        waitFor(() -> Files.exists(cancelled.resolve("checkpoint.npz")), 120, "task 0's first checkpoint", dir);
        String scancel = command("scancel", array + "_0");
        waitFor(() -> command("squeue", "-h", "-j", array + "," + collector).isBlank(), 120,
                "the array and the collecting job to end", dir);

        String cancelledLog = Files.readString(dir.resolve("logs/slurm-" + array + "_0.out"));
        assertTrue(cancelledLog.contains("stopped by a signal after step"), scancel + cancelledLog);
        assertFalse(Files.exists(cancelled.resolve("run.json")), "the cancelled run did not finish:\n" + cancelledLog);
        String collected = Files.readString(dir.resolve("logs/collect-" + collector + ".out"));
        assertTrue(collected.contains("1 of 2 runs are missing from sweep.csv"), collected);
        assertTrue(collected.contains("xi_10/sip: not finished"), collected);
        assertTrue(collected.contains("sbatch --array=0 " + dir.resolve("tasks.sh")), collected);
        assertFalse(Files.exists(dir.resolve(RunFiles.MANIFEST)), "no manifest while a run is missing");

        // resubmitted as a whole: the finished task is skipped, the cancelled one resumes
        String again = group("([0-9]+)", command("sbatch", "--parsable", "--wait", "--array=0-1",
                dir.resolve("tasks.sh").toString()));
        String resumedLog = Files.readString(dir.resolve("logs/slurm-" + again + "_0.out"));
        assertTrue(resumedLog.contains("resuming " + cancelled + " from its checkpoint")
                && resumedLog.contains("resuming at step "), resumedLog);
        assertTrue(Files.readString(dir.resolve("logs/slurm-" + again + "_1.out")).contains("holds a finished run"));

        CliErrorPathTest.Run collect = CliErrorPathTest.run("sweep", "--collect", dir.toString());
        assertEquals(reference.code(), collect.code(), collect.err());
        assertEquals(withoutTimings(local.resolve("sweep.csv")), withoutTimings(dir.resolve("sweep.csv")));
        assertTrue(Files.exists(dir.resolve(RunFiles.MANIFEST)));
    }

    /** Skips (saying why) when no Slurm node is up; under CI=true fails instead. */
    static void requireCluster() {
        String why = clusterMissing();
        if (why == null) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI=true but no Slurm cluster answers (.ci/run starts one with .ci/start-slurm.sh): " + why);
        }
        System.out.println("SlurmSweepTest skipped: " + why);
        Assumptions.abort(why);
    }

    /** Why no Slurm node can run jobs here, or null when one is up. */
    static String clusterMissing() {
        try {
            String states = command("sinfo", "-h", "-N", "-o", "%T");
            return states.lines().anyMatch(s -> s.matches("(idle|mixed|allocated).*")) ? null
                    : "no Slurm node is up (sinfo says: " + states.strip() + "); start one with .ci/start-slurm.sh";
        } catch (IOException e) {
            return e.getMessage() + " (a one-node cluster: sudo .ci/start-slurm.sh)";
        }
    }

    /** Runs a Slurm command; its output, or an IOException with it when it fails. */
    static String command(String... cmd) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException(cmd[0] + " cannot be run: Slurm is not installed here", e);
        }
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws IOException;
    }

    private static void waitFor(Condition c, int seconds, String what, Path dir) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!c.holds()) {
            if (System.nanoTime() > deadline) {
                fail("waited " + seconds + " s for " + what + "; " + command("squeue") + logs(dir));
            }
            Thread.sleep(5);
        }
    }

    private static String logs(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        if (Files.isDirectory(dir.resolve("logs"))) {
            try (var s = Files.list(dir.resolve("logs"))) {
                for (Path p : s.sorted().toList()) {
                    sb.append("\n--- ").append(p).append('\n').append(Files.readString(p));
                }
            }
        }
        return sb.toString();
    }

    private static String group(String regex, String text) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex + " not in: " + text);
        return m.group(1);
    }

    private static String[] with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    /** The CSV without its timing columns (median_step_ms, wall_seconds), which differ between any two runs. */
    static List<String> withoutTimings(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<String> header = List.of(lines.get(0).split(",", -1));
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            String[] cells = line.split(",", -1);
            List<String> kept = new ArrayList<>();
            for (int i = 0; i < cells.length; i++) {
                String column = i < header.size() ? header.get(i) : "";
                if (!column.equals("median_step_ms") && !column.equals("wall_seconds")) {
                    kept.add(cells[i]);
                }
            }
            out.add(String.join(",", kept));
        }
        return out;
    }
}
