package io.sipflow.tests.walkthrough;

import io.sipflow.tests.jshell.JShellSession;
import io.sipflow.tests.jshell.LibraryClassPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./sipflow jshell}: the launcher starts the jshell beside its java with the jar, the Vector API module and
 * the walkthrough's imports (docs/walkthrough/sipflow.jsh); and those imports resolve without clashes, so the
 * names the pages use (Tensor, Module, HeatProblem, Charts, ...) mean the library's.
 */
class JshellCommandTest {
    @TempDir
    Path tmp;

    @Test
    void theLauncherStartsJshellWithTheJarTheModuleAndTheImports() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("repo"));
        Files.copy(WalkthroughTest.repositoryRoot().resolve("sipflow"), root.resolve("sipflow"));
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        executable(bin.resolve("mvn"), "#!/bin/sh\nexit 0\n");
        executable(bin.resolve("java"), "#!/bin/sh\necho 'java should not run' >&2\nexit 9\n");
        executable(bin.resolve("jshell"), "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("sipflow").toString(), "jshell", "-q");
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("SIPFLOW_JAVA", bin.resolve("java").toString());
        pb.redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
        assertEquals(0, pb.start().waitFor(), Files.readString(tmp.resolve("err")));
        List<String> args = Files.readAllLines(tmp.resolve("out"));
        int cp = args.indexOf("--class-path");
        assertTrue(cp >= 0 && args.get(cp + 1).endsWith(".jar") && args.get(cp + 1).startsWith(root.toString()),
                args.toString());
        assertTrue(args.contains("-R--add-modules") && args.contains("-Rjdk.incubator.vector"), args.toString());
        assertTrue(args.contains(root.resolve("docs/walkthrough/sipflow.jsh").toString()), args.toString());
        assertEquals("-q", args.get(args.size() - 1), "the caller's jshell options come last");
    }

    @Test
    void theStartupImportsResolveToTheLibrary() throws IOException {
        String imports = Files.readString(WalkthroughTest.repositoryRoot().resolve("docs/walkthrough/sipflow.jsh"));
        try (JShellSession jshell = JShellSession.builder().classPath(LibraryClassPath.entries()).local().start()) {
            jshell.run(imports).assertPassed("sipflow.jsh");
            jshell.run("""
                    Module.class.getName();          // → io.sipflow.nn.Module
                    Tensor.class.getName();          // → io.sipflow.autodiff.Tensor
                    HeatProblem.class.getName();     // → io.sipflow.physics.problem.HeatProblem
                    Charts.class.getName();          // → io.sipflow.physics.plot.Charts
                    Method.SIP.name();               // → SIP
                    Backends.current().name();       // → cpu
                    """).assertPassed("names after sipflow.jsh");
        }
    }

    private static void executable(Path p, String text) throws IOException {
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
