package io.sipflow.physics.cli;

import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.io.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real thing: a training process is killed with SIGKILL once a checkpoint exists, `train --resume` finishes
 * it, and its model.npz arrays, test.csv and metrics.csv (all but the step_ms timing column) are identical to an
 * uninterrupted run's with the same flags.
 */
class KillAndResumeTest {
    private static final List<String> SETTINGS = List.of("--resolution", "8", "--batch", "4", "--test-batch", "4",
            "--steps", "60", "--test-every", "10", "--checkpoint-every", "5", "--threads", "1");

    @TempDir
    Path tmp;

    @Test
    void aKilledRunResumesToTheSameFilesAsAnUninterruptedOne() throws Exception {
        Path killed = tmp.resolve("killed");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), SipflowCli.class.getName(), "train"));
        cmd.addAll(SETTINGS);
        cmd.addAll(List.of("--out", killed.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("log").toFile()).start();
        long deadline = System.nanoTime() + 40_000_000_000L;
        while (p.isAlive() && !Files.exists(killed.resolve("checkpoint.npz")) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(p.isAlive(), "the run ended before a checkpoint could be killed:\n" + Files.readString(tmp.resolve("log")));
        p.destroyForcibly(); // SIGKILL
        p.waitFor();
        assertFalse(Files.exists(killed.resolve("run.json")), "no results from a killed run");

        CliErrorPathTest.Run resumed = CliErrorPathTest.run("train", "--resume", killed.toString(), "--threads", "1");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("resuming at step "), resumed.out());
        Path whole = tmp.resolve("whole");
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(SETTINGS);
        args.addAll(List.of("--out", whole.toString()));
        assertEquals(0, CliErrorPathTest.run(args.toArray(new String[0])).code());

        assertEquals(Files.readString(whole.resolve("test.csv")), Files.readString(killed.resolve("test.csv")));
        assertEquals(withoutTimings(whole.resolve("metrics.csv")), withoutTimings(killed.resolve("metrics.csv")));
        Map<String, Tensor> a = Npz.read(whole.resolve("model.npz"));
        Map<String, Tensor> b = Npz.read(killed.resolve("model.npz"));
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).toDoubleArray(), b.get(k).toDoubleArray(), 0.0, k);
        }
    }

    private static List<String> withoutTimings(Path csv) throws IOException {
        return GoldenRuns.withoutTimingColumns(csv);
    }
}
