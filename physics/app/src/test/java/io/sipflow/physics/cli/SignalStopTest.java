package io.sipflow.physics.cli;

import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.io.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signals to the ./sipflow launcher, for real: the launcher (not Java) is started as a process, SIGTERM or SIGKILL
 * goes to its process id mid-training, and afterwards no process of that run is alive: the launcher execs the
 * JVM, so the id is Java's. After SIGTERM the run has checkpointed its last completed step, and --resume finishes
 * it to the same model.npz, test.csv and metrics.csv (but the step_ms timings) as an uninterrupted run.
 *
 * <p>The launcher runs from a copy with a placeholder jar; SIPFLOW_JAVA names a script that swaps "-jar JAR" and
 * "-cp JAR" for this test's class path and execs the real java, so the launcher's own code path is what runs.
 */
class SignalStopTest {
    private static final List<String> SETTINGS = List.of("--resolution", "8", "--batch", "4", "--test-batch", "4",
            "--steps", "300", "--test-every", "50", "--checkpoint-every", "1000", "--threads", "1");
    private static final Pattern STOPPED = Pattern.compile("sip: stopped by a signal after step (\\d+) of 300");

    @TempDir
    Path tmp;

    @Test
    void termCheckpointsTheLastCompletedStepAndLeavesNoProcess() throws Exception {
        Path killed = tmp.resolve("killed");
        Process launcher = startLauncherAndWaitForStep10(killed);
        List<ProcessHandle> run = processesOf(launcher);
        launcher.destroy(); // SIGTERM
        assertTrue(launcher.waitFor(60, TimeUnit.SECONDS), "the run ends after a TERM");
        assertEquals(128 + 15, launcher.exitValue(), "the status of a process ended by SIGTERM");
        assertAllEnd(run);

        String err = Files.readString(tmp.resolve("err"));
        Matcher m = STOPPED.matcher(err);
        assertTrue(m.find(), "one line says where it stopped: " + err + Files.readString(tmp.resolve("log")));
        int stoppedAt = Integer.parseInt(m.group(1));
        assertTrue(stoppedAt >= 11 && stoppedAt < 300, "stopped after step " + stoppedAt + ", past step 10 (0-based)");
        Map<String, Tensor> checkpoint = Npz.read(killed.resolve("checkpoint.npz"));
        assertEquals(stoppedAt, checkpoint.get("step").item(), 0, "the checkpoint holds the last completed step");
        assertEquals(stoppedAt, checkpoint.get("state.train.loss").size(), "and the metrics of every step before it");
        assertFalse(Files.exists(killed.resolve("run.json")), "no results from a stopped run");

        CliErrorPathTest.Run resumed = CliErrorPathTest.run("train", "--resume", killed.toString(), "--threads", "1");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("resuming at step " + stoppedAt + " of 300"), resumed.out());
        Path whole = tmp.resolve("whole");
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(SETTINGS);
        args.addAll(List.of("--out", whole.toString()));
        CliErrorPathTest.Run uninterrupted = CliErrorPathTest.run(args.toArray(new String[0]));
        assertEquals(0, uninterrupted.code(), uninterrupted.err());
        assertSameResults(whole, killed);
    }

    @Test
    void kill9OfTheLauncherLeavesNoProcessRunning() throws Exception {
        Path killed = tmp.resolve("killed9");
        Process launcher = startLauncherAndWaitForStep10(killed);
        List<ProcessHandle> run = processesOf(launcher);
        launcher.destroyForcibly(); // SIGKILL: cannot be caught or forwarded
        assertTrue(launcher.waitFor(30, TimeUnit.SECONDS));
        assertAllEnd(run);
        assertFalse(Files.exists(killed.resolve("run.json")), "no results from a killed run");
    }

    /**
     * The JVM waits for the launcher's stderr filter: its error line is in the file when the exit status is, even
     * with a filter that takes 0.3 s for each line (a cat that sleeps before each).
     */
    @Test
    void noLineFollowsTheExitStatus() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("slow"));
        Files.writeString(bin.resolve("cat"), "#!/usr/bin/env bash\n"
                + "while IFS= read -r line; do sleep 0.3; printf '%s\\n' \"$line\"; done\n");
        Files.setPosixFilePermissions(bin.resolve("cat"), PosixFilePermissions.fromString("rwxr-xr-x"));
        for (int i = 0; i < 2; i++) {
            ProcessBuilder pb = launcher("physics", "poisson", "--in", tmp.resolve("missing.npy").toString(), "--out",
                    tmp.resolve("y.npy").toString());
            pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
            Process p = pb.start();
            assertEquals(1, p.waitFor());
            String err = Files.readString(tmp.resolve("err"));
            assertTrue(err.contains("sipflow physics poisson: error: file not found: "), "run " + i + ": " + err);
            assertFalse(err.contains("incubator"), err);
        }
    }

    /** The launcher's process (Java itself, after exec) and everything it started, recorded before the signal. */
    private static List<ProcessHandle> processesOf(Process launcher) {
        List<ProcessHandle> all = new ArrayList<>(List.of(launcher.toHandle()));
        all.addAll(launcher.descendants().toList());
        return all;
    }

    /** Every recorded process ends within 10 s; one that does not fails the test and is then killed. */
    private static void assertAllEnd(List<ProcessHandle> run) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            for (ProcessHandle p : run) {
                String what = p.info().commandLine().orElse("?");
                while (p.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertFalse(p.isAlive(), "process " + p.pid() + " of the run is still alive: " + what);
            }
        } finally {
            run.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private Process startLauncherAndWaitForStep10(Path out) throws Exception {
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(SETTINGS);
        args.addAll(List.of("--out", out.toString()));
        Process p = launcher(args.toArray(new String[0])).start();
        Path log = tmp.resolve("log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (p.isAlive() && !Files.readString(log).contains("[sip step 10]") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(p.isAlive(), "the run ended before it could be stopped:\n" + Files.readString(log)
                + Files.readString(tmp.resolve("err")));
        assertTrue(Files.readString(log).contains("[sip step 10]"), "no progress within 90 s: " + Files.readString(log));
        return p;
    }

    /** ./sipflow ARGS from a copy of the launcher, stdout to tmp/log and stderr to tmp/err. */
    private ProcessBuilder launcher(String... args) throws IOException {
        Path root = tmp.resolve("repo");
        if (!Files.exists(root)) {
            Files.createDirectories(root.resolve("physics/app/target"));
            Files.copy(Path.of("..", "..", "sipflow"), root.resolve("sipflow"));
            Files.writeString(root.resolve("physics/app/target/sipflow.jar"),
                    "placeholder: the launcher sees a built jar");
        }
        Path java = tmp.resolve("java");
        Files.writeString(java, """
                #!/usr/bin/env bash
                args=()
                while [ $# -gt 0 ]; do
                    case "$1" in
                        -jar) args+=(-cp "$TEST_CLASS_PATH" io.sipflow.physics.cli.SipflowCli); shift 2 ;;
                        -cp) args+=(-cp "$TEST_CLASS_PATH"); shift 2 ;;
                        *) args+=("$1"); shift ;;
                    esac
                done
                exec "$REAL_JAVA" "${args[@]}"
                """);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> cmd = new ArrayList<>(List.of("bash", root.resolve("sipflow").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("SIPFLOW_JAVA", java.toString());
        pb.environment().put("REAL_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        pb.environment().put("TEST_CLASS_PATH", System.getProperty("java.class.path"));
        pb.environment().remove("SIPFLOW_JAVA_OPTS");
        return pb.redirectOutput(tmp.resolve("log").toFile()).redirectError(tmp.resolve("err").toFile());
    }

    private static void assertSameResults(Path whole, Path resumed) throws IOException {
        assertEquals(Files.readString(whole.resolve("test.csv")), Files.readString(resumed.resolve("test.csv")));
        assertEquals(withoutTimings(whole.resolve("metrics.csv")), withoutTimings(resumed.resolve("metrics.csv")));
        Map<String, Tensor> a = Npz.read(whole.resolve("model.npz"));
        Map<String, Tensor> b = Npz.read(resumed.resolve("model.npz"));
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).toDoubleArray(), b.get(k).toDoubleArray(), 0.0, k);
        }
    }

    private static List<String> withoutTimings(Path csv) throws IOException {
        return GoldenRuns.withoutTimingColumns(csv);
    }
}
