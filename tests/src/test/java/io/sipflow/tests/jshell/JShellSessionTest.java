package io.sipflow.tests.jshell;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness finds what a reader would: the first failing snippet, and stated outputs that do not hold. */
class JShellSessionTest {
    private static JShellSession session;

    @BeforeAll
    static void start() {
        session = JShellSession.builder().classPath(LibraryClassPath.entries())
                .remoteVmOptions("--add-modules", "jdk.incubator.vector")
                .snippetTimeout(Duration.ofSeconds(60)).start();
    }

    @AfterAll
    static void stop() {
        session.close();
    }

    @Test
    void runsBlocksInOneStateAndChecksStatedOutputs() {
        var first = session.run("""
                import io.sipflow.autodiff.*;
                Tensor w = Tensor.vector(1, -2, 3).variable();
                Tensor dw = Autodiff.grad(w.square().sum(), w).get(w);   // → [2.0, -4.0, 6.0]
                """).assertPassed("first");
        assertEquals(3, first.snippets().size());
        var second = session.run("""
                // a comment line first
                System.out.println(dw.sum().item());
                // → 4.0
                String s = "quoted"   // → quoted
                """).assertPassed("second");
        assertEquals(2, second.stated().size());
        assertTrue(second.stated().get(0).snippet().source().contains("println"));
        assertTrue(second.stated().get(1).snippet().source().contains("String s"));
    }

    @Test
    void aStatedOutputThatDoesNotHoldFails() {
        var result = session.run("int two = 1 + 1;   // → 3\n");
        assertFalse(result.passed());
        AssertionError e = assertThrows(AssertionError.class, () -> result.assertPassed("page"));
        assertTrue(e.getMessage().contains("`3` not found"), e.getMessage());
    }

    @Test
    void aStatedNumberDoesNotMatchInsideAnotherNumber() {
        assertFalse(session.run("double d = -4.25;   // → 4.2\n").passed());
        assertFalse(session.run("int n = 12;   // → 2\n").passed());
        assertTrue(session.run("int[] a = {2, -4};   // → -4\n").passed());
    }

    @Test
    void aStatedOutputBeforeAnySnippetFails() {
        var result = session.run("// → 1\nint one = 1;\n");
        assertFalse(result.passed());
        assertNull(result.stated().get(0).snippet());
    }

    @Test
    void theFirstSnippetThatDoesNotCompileIsNamedWithItsDiagnostics() {
        var result = session.run("int a = 1;\nint b = a +* 2;\nint c = 3;\n");
        assertNotNull(result.failure());
        assertEquals(2, result.failure().line());
        assertTrue(result.failure().reason().contains("does not compile"), result.failure().reason());
        assertEquals(1, result.snippets().size(), "nothing after the failing snippet runs");
    }

    @Test
    void anUndefinedNameFails() {
        var result = session.run("var y = undefinedData.next();\n");
        assertNotNull(result.failure(), "a name not defined on the page");
    }

    @Test
    void aThrownExceptionIsReportedWithItsClassAndMessage() {
        var result = session.run("""
                System.out.println("before");
                io.sipflow.autodiff.Tensor.vector(1, 2).add(io.sipflow.autodiff.Tensor.vector(1, 2, 3));
                """);
        assertNotNull(result.failure());
        String reason = result.failure().reason();
        assertTrue(reason.contains("IllegalArgumentException") && reason.contains("add"), reason);
    }

    @Test
    void aBlockThatEndsMidStatementFails() {
        var result = session.run("int[] a = {1, 2,\n");
        assertNotNull(result.failure());
        assertTrue(result.failure().reason().contains("middle"), result.failure().reason());
    }

    @Test
    void tokenMatchingRespectsNumberBoundaries() {
        assertTrue(JShellSession.containsToken("Tensor(3) FLOAT64 [2.0, -4.0, 6.0]", "[2.0, -4.0, 6.0]"));
        assertFalse(JShellSession.containsToken("0.125", "0.12"));
        assertTrue(JShellSession.containsToken("x_l2 = 0.12\n", "0.12"));
    }
}
