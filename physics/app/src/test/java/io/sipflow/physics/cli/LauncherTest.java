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
        pb.redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
        Process p = pb.start();
        assertEquals(7, p.waitFor(), "Java's exit code");
        String out = Files.readString(tmp.resolve("out"), StandardCharsets.ISO_8859_1);
        String err = Files.readString(tmp.resolve("err"), StandardCharsets.ISO_8859_1);
        assertEquals("sipflow 0.1.0\n", out);
        assertTrue(err.contains("sipflow: building") && err.contains("a real problem"), err);
        assertFalse(err.contains("Using incubator modules"), err);
        assertFalse((out + err).contains("\u001b"), "raw colour codes: " + err);
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
