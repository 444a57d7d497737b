package io.sipflow.physics.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ./sipflow launcher, run for real with stand-ins for mvn and java on the PATH: no raw colour codes from the
 * first build, no "Using incubator modules" line on every call, Java's exit code and output passed through; and
 * a run that cannot fit stops in HeapPlan with exit 3 and one line.
 */
class LauncherTest {
    @TempDir
    Path tmp;

    private static void executable(Path p, String text) throws IOException {
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void theLauncherStripsColourCodesAndTheIncubatorWarning() throws Exception {
        Path root = tmp.resolve("repo");
        Files.createDirectories(root);
        Files.copy(Path.of("..", "..", "sipflow"), root.resolve("sipflow"));
        Files.setPosixFilePermissions(root.resolve("sipflow"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path bin = tmp.resolve("bin");
        Files.createDirectories(bin);
        executable(bin.resolve("mvn"), "#!/bin/sh\nprintf '\\033[0m\\033[0m'\nprintf '\\033[0m' >&2\n");
        executable(bin.resolve("java"), "#!/bin/sh\necho 'WARNING: Using incubator modules: jdk.incubator.vector' >&2\n"
                + "echo 'sipflow 0.1.0'\necho 'a real problem' >&2\nexit 7\n");
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("sipflow").toString(), "--version");
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("SIPFLOW_JAVA", bin.resolve("java").toString()); // else a Temurin 25, where installed
        // Output goes to files, not pipes: when a child exits, the JDK's process reaper drains whatever its pipes hold
        // at that moment and closes them, so a line the stderr filter (the launcher's grandchild) writes a moment
        // later would be lost to the test, though not to a user. The real JVM waits for the filter before it exits
        // (SignalStopTest); this stand-in does not, so the test waits for the filter's last line, bounded.
        Path outFile = tmp.resolve("launcher.out");
        Path errFile = tmp.resolve("launcher.err");
        pb.redirectOutput(outFile.toFile()).redirectError(errFile.toFile());
        Process p = pb.start();
        int exit = p.waitFor();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!Files.readString(errFile, StandardCharsets.ISO_8859_1).contains("a real problem")
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        String out = Files.readString(outFile, StandardCharsets.ISO_8859_1);
        String err = Files.readString(errFile, StandardCharsets.ISO_8859_1);
        assertEquals(7, exit, "Java's exit code");
        assertEquals("sipflow 0.1.0\n", out);
        assertTrue(err.contains("sipflow: building") && err.contains("a real problem"), err);
        assertFalse(err.contains("Using incubator modules"), err);
        assertFalse((out + err).contains("\u001b"), "raw colour codes: " + err);
    }

    /** ln -s .../sipflow ~/bin/sipflow: the launcher finds its project through the link, not beside the link. */
    @Test
    void theLauncherWorksWhenCalledThroughASymbolicLink() throws Exception {
        Path root = tmp.resolve("repo");
        Files.createDirectories(root.resolve("physics/app/target"));
        Files.copy(Path.of("..", "..", "sipflow"), root.resolve("sipflow"));
        Files.setPosixFilePermissions(root.resolve("sipflow"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(root.resolve("physics/app/target/sipflow.jar"), "built"); // up to date: nothing to build
        Path bin = tmp.resolve("bin");
        Files.createDirectories(bin);
        Files.createSymbolicLink(bin.resolve("sipflow"), root.resolve("sipflow"));
        executable(bin.resolve("java"), "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        ProcessBuilder pb = new ProcessBuilder(bin.resolve("sipflow").toString(), "--version");
        pb.environment().put("SIPFLOW_JAVA", bin.resolve("java").toString());
        pb.redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
        assertEquals(0, pb.start().waitFor(), Files.readString(tmp.resolve("err")));
        List<String> args = Files.readAllLines(tmp.resolve("out"));
        assertTrue(args.contains(root.resolve("physics/app/target/sipflow.jar").toString()), "the jar in the project: " + args);
        assertFalse(Files.readString(tmp.resolve("err")).contains("building"), Files.readString(tmp.resolve("err")));
    }

    /** SIPFLOW_JAVA naming nothing runnable: one line from the launcher, exit 2, before anything else. */
    @Test
    void aSipflowJavaThatIsNotThereGetsOneLine() throws Exception {
        Path root = tmp.resolve("repo");
        Files.createDirectories(root.resolve("physics/app/target"));
        Files.copy(Path.of("..", "..", "sipflow"), root.resolve("sipflow"));
        Files.writeString(root.resolve("physics/app/target/sipflow.jar"), "built");
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("sipflow").toString(), "train");
        pb.environment().put("SIPFLOW_JAVA", tmp.resolve("no/such/java").toString());
        pb.redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
        assertEquals(2, pb.start().waitFor());
        List<String> err = Files.readAllLines(tmp.resolve("err"));
        assertEquals(List.of("sipflow: SIPFLOW_JAVA=" + tmp.resolve("no/such/java") + " is not a program that can be"
                + " run; point it at a JDK 17+'s bin/java, or unset it"), err);
        assertEquals("", Files.readString(tmp.resolve("out")));
    }

    @Test
    void heapPlanStopsARunThatCannotFitWithExitThreeAndOneLine() throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HeapPlan.class.getName(), "train", "--batch", "100000000");
        Process p = new ProcessBuilder(cmd).redirectError(tmp.resolve("err").toFile())
                .redirectOutput(tmp.resolve("out").toFile()).start();
        assertEquals(HeapPlan.DOES_NOT_FIT, p.waitFor());
        List<String> err = Files.readAllLines(tmp.resolve("err")).stream()
                .filter(l -> !l.contains("incubator")).toList();
        assertEquals(1, err.size(), String.join("\n", err));
        assertTrue(err.get(0).startsWith("sipflow train: error: batch 100000000 at 32x32 needs tensors"), err.get(0));
        assertEquals("", Files.readString(tmp.resolve("out")));
    }
}
