package io.sipflow.physics.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/library.md's "your own problem through the CLI", for real: its Java block is compiled with javax.tools
 * into a folder of its own (not on this JVM's class path), registered as that page says, and run through the
 * ./sipflow launcher with SIPFLOW_CLASSPATH: help lists it, compare trains it into the usual files,
 * --resume --steps extends the comparison from its checkpoints, and evaluate reads its model back. The page's
 * commands are checked against the text.
 */
class OwnProblemTest {
    private static final Path DOC = Path.of("..", "..", "docs", "library.md");
    /** The page's commands, which the test runs with fewer steps and its own folders. */
    private static final List<String> DOC_COMMANDS = List.of(
            "$ javac -cp physics/app/target/sipflow.jar -d mine-classes Gain.java",
            "$ mkdir -p mine-classes/META-INF/services",
            "$ echo 'mine.Gain$Provider' > mine-classes/META-INF/services/io.sipflow.physics.train.ProblemProvider",
            "$ SIPFLOW_CLASSPATH=mine-classes ./sipflow help train        # lists gain and its --option gain=3",
            "$ SIPFLOW_CLASSPATH=mine-classes ./sipflow compare --problem gain --option gain=5 --out runs/gain",
            "$ SIPFLOW_CLASSPATH=mine-classes ./sipflow compare --resume runs/gain --steps 400");
    private static final List<String> FEW_STEPS = List.of("--steps", "4", "--batch", "4", "--test-batch", "4",
            "--test-every", "2", "--checkpoint-every", "2", "--threads", "1");

    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    @Test
    void aProblemOnSipflowClasspathRunsThroughTheWholePipeline() throws Exception {
        String doc = Files.readString(DOC);
        for (String command : DOC_COMMANDS) {
            assertTrue(doc.contains(command), "docs/library.md no longer shows: " + command);
        }
        Path classes = compileTheDocsProblem(doc);
        assertThrows(ClassNotFoundException.class, () -> Class.forName("mine.Gain"), "a separate class path entry");
        CliErrorPathTest.Run without = CliErrorPathTest.run("train", "--problem", "gain");
        assertEquals(2, without.code());
        assertTrue(without.err().contains("unknown problem 'gain'"), without.err());

        Result help = sipflow(classes, "help", "train");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().contains("gain     undo y = gain * x on 4 x 4 fields (docs/library.md)")
                && help.out().contains("--option gain=3: the physics' gain"), help.out());

        Result bad = sipflow(classes, "compare", "--problem", "gain", "--option", "gain=0", "--out",
                tmp.resolve("bad").toString());
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("--option gain=0.0: problem gain needs gain to be a finite number other than 0"),
                bad.err());
        assertFalse(Files.exists(tmp.resolve("bad")), "nothing written for a refused option");

        Path dir = tmp.resolve("runs/gain");
        List<String> compare = new ArrayList<>(List.of("compare", "--problem", "gain", "--option", "gain=5", "--out",
                dir.toString()));
        compare.addAll(FEW_STEPS);
        Result first = sipflow(classes, compare.toArray(new String[0]));
        assertFinishedOrUnstable(first, dir);
        assertTrue(first.out().contains("sip: 4 steps, gain 5.0, 4x4, batch 4"), first.out());
        assertEquals(List.of("method,final_test_x_l2,median_step_ms,status"),
                Files.readAllLines(dir.resolve("comparison.csv")).subList(0, 1));
        for (String method : List.of("sip", "gd")) {
            Path run = dir.resolve(method);
            for (String file : List.of("metrics.csv", "test.csv", "model.npz", "checkpoint.npz", "checkpoint.json",
                    "curves.png", "examples.png", "run.json")) {
                assertTrue(Files.size(run.resolve(file)) > 0, method + "/" + file);
            }
            assertEquals(1 + 4, Files.readAllLines(run.resolve("metrics.csv")).size());
            String json = Files.readString(run.resolve("run.json"));
            assertTrue(json.contains("\"problem\": \"gain\"") && json.contains("\"option.gain\": 5.0")
                    && json.contains("\"n\": 4"), json);
        }
        List<String> before = withoutTimings(dir.resolve("sip/metrics.csv"));

        Result resumed = sipflow(classes, "compare", "--resume", dir.toString(), "--steps", "8", "--threads", "1");
        assertFinishedOrUnstable(resumed, dir);
        assertTrue(resumed.out().contains("sip: resuming at step 4 of 8 steps, gain 5.0, 4x4, batch 4"), resumed.out());
        List<String> after = withoutTimings(dir.resolve("sip/metrics.csv"));
        assertEquals(1 + 8, after.size());
        assertEquals(before, after.subList(0, before.size()), "the first 4 steps are kept, not trained again");
        List<String> tests = Files.readAllLines(dir.resolve("gd/test.csv"));
        assertTrue(tests.get(tests.size() - 1).startsWith("8,"), tests.toString());

        Result evaluate = sipflow(classes, "evaluate", "--model", dir.resolve("sip/model.npz").toString(), "--out",
                tmp.resolve("eval").toString());
        assertEquals(0, evaluate.code(), evaluate.err());
        assertTrue(evaluate.out().contains("(gain 5.0, 4x4, seed 1): x_l2 "), evaluate.out());
        assertTrue(Files.size(tmp.resolve("eval/examples.png")) > 0);
    }

    /**
     * A few steps can leave a method worse than the estimate x = 0, which the run reports as "unstable" (exit 3);
     * every other outcome is a failure. Each method's run.json says which, and the exit code must agree.
     */
    static void assertFinishedOrUnstable(Result r, Path dir) throws IOException {
        boolean unstable = false;
        for (String method : List.of("sip", "gd")) {
            String json = Files.readString(dir.resolve(method).resolve("run.json"));
            boolean finished = json.contains("\"status\": \"finished\"");
            assertTrue(finished || json.contains("\"status\": \"unstable\""), method + ": " + json);
            unstable |= !finished;
        }
        assertEquals(unstable ? TrainingRun.DIVERGED : 0, r.code(), r.out() + r.err());
    }

    /** The page's {@code package mine;} block, compiled against this module's class path into tmp/mine-classes. */
    private Path compileTheDocsProblem(String doc) throws IOException {
        Matcher m = Pattern.compile("(?s)```java\n(package mine;.*?)```").matcher(doc);
        assertTrue(m.find(), "docs/library.md has no ```java block starting with 'package mine;'");
        Path src = tmp.resolve("src/mine/Gain.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, m.group(1));
        Path classes = tmp.resolve("mine-classes");
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = javac.run(null, null, diagnostics, "-cp", System.getProperty("java.class.path"), "-d",
                classes.toString(), src.toString());
        assertEquals(0, status, diagnostics.toString(StandardCharsets.UTF_8));
        Matcher echo = Pattern.compile("\\$ echo '([^']+)' > mine-classes/(META-INF/services/\\S+)").matcher(doc);
        assertTrue(echo.find(), "the page's services line");
        Path services = classes.resolve(echo.group(2));
        Files.createDirectories(services.getParent());
        Files.writeString(services, echo.group(1) + "\n");
        return classes;
    }

    /**
     * The real launcher in a stand-in project whose sipflow.jar is an empty, up-to-date jar (so nothing is built);
     * the application comes from this module's class path, the problem from {@code classes}, both through
     * SIPFLOW_CLASSPATH.
     */
    private Result sipflow(Path classes, String... args) throws Exception {
        Path root = tmp.resolve("repo");
        Path jar = root.resolve("physics/app/target/sipflow.jar");
        if (!Files.exists(jar)) {
            Files.createDirectories(jar.getParent());
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
            new JarOutputStream(Files.newOutputStream(jar), manifest).close();
            Files.copy(Path.of("..", "..", "sipflow"), root.resolve("sipflow"));
            Files.setPosixFilePermissions(root.resolve("sipflow"), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        List<String> cmd = new ArrayList<>(List.of("bash", root.resolve("sipflow").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().put("SIPFLOW_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        pb.environment().put("SIPFLOW_CLASSPATH", System.getProperty("java.class.path") + ":" + classes);
        pb.environment().remove("SIPFLOW_JAVA_OPTS");
        pb.redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
        int code = pb.start().waitFor();
        return new Result(code, Files.readString(tmp.resolve("out")), Files.readString(tmp.resolve("err")));
    }

    private static List<String> withoutTimings(Path csv) throws IOException {
        return GoldenRuns.withoutTimingColumns(csv);
    }
}
