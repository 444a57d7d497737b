package io.sipflow.physics.cli.exec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tasks.sh: words reach the JVM as written, an unknown task index is refused, folders stay inside. */
class TaskScriptTest {
    @TempDir
    Path tmp;

    @Test
    void wordsSurviveBash() throws Exception {
        String tricky = "it's a \"name\" with $HOME, `ticks`, * and \\ back";
        assertEquals(tricky, bash("printf %s " + TaskScript.quote(tricky)));
    }

    @Test
    void aTaskIndexOutsideTheArrayIsRefused() throws Exception {
        Path dir = tmp.resolve("runs dir");
        Files.createDirectories(dir);
        RunTask t = new RunTask("xi_10/sip", List.of("-Xmx64m"), List.of("--steps", "3"), List.of("--threads", "1"));
        String text = TaskScript.text(dir, new JavaLaunch("/no/java", List.of("/a b/x.jar"), "Main"), List.of(t, t),
                "job", 1, 0, "sweep");
        Path script = dir.resolve(TaskScript.NAME);
        Files.writeString(script, text);
        assertTrue(text.contains("#SBATCH --output=" + dir.resolve("logs") + "/slurm-%A_%a.out"), text);
        assertTrue(!text.contains("--mem") && TaskScript.text(dir, new JavaLaunch("/no/java", List.of("x.jar"), "Main"),
                List.of(t), "job", 1, 1536, "sweep").contains("#SBATCH --mem=1536M\n"), text);
        String out = bash("bash " + TaskScript.quote(script.toString()) + " 2; echo \"exit $?\"");
        assertTrue(out.contains("no task '2' here; give 0 to 1") && out.endsWith("exit 2"), out);
    }

    @Test
    void aFolderOutsideTheRunsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RunTask("../elsewhere", List.of(), List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new RunTask("/tmp/x", List.of(), List.of(), List.of()));
    }

    @Test
    void sbatchIsLookedUpOnThePathBeforeAnythingIsWritten() {
        assertTrue(SlurmExecutor.findProgram("bash", "/nonexistent:/bin:/usr/bin"));
        assertTrue(SlurmExecutor.findProgram("/bin/sh", null));
        assertTrue(!SlurmExecutor.findProgram("bash", "/nonexistent") && !SlurmExecutor.findProgram("bash", null));
        assertTrue(!SlurmExecutor.findProgram("/nonexistent/sbatch", "/bin"));
    }

    private static String bash(String line) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", line).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.strip();
    }
}
