package io.sipflow.tests;

import io.sipflow.tests.jshell.JShellSession;
import io.sipflow.tests.jshell.LibraryClassPath;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example each central type's Javadoc opens with compiles, runs and shows what it says.
 *
 * <p>For every type in {@link #CENTRAL_TYPES} the test reads the type's own source file, takes the first
 * {@code <pre>{@code ...}</pre>} block of the comment directly above the type's declaration (it must start within
 * the comment's first {@value #OPENING_LINES} lines: the comment opens with it), and runs it in a jshell of its
 * own with the library on the class path and {@link #IMPORTS} already typed. Every {@code // → value} comment in
 * the example is a stated result that must show (see {@link JShellSession}); an example states at least one.
 *
 * <p>The jshells run in this JVM (jshell's local execution engine): a fresh JVM per example took twice as long
 * (about 5 s each on 2 busy cores), and the examples change no global setting (backend, precision, threads).
 */
class ApiExamplesTest {
    /** Type name → source file, relative to the repository root. */
    static final List<String[]> CENTRAL_TYPES = List.of(
            new String[] {"Tensor", "autodiff/src/main/java/io/sipflow/autodiff/Tensor.java"},
            new String[] {"Autodiff", "autodiff/src/main/java/io/sipflow/autodiff/Autodiff.java"},
            new String[] {"GradCheck", "autodiff/src/main/java/io/sipflow/autodiff/GradCheck.java"},
            new String[] {"Solve", "autodiff/src/main/java/io/sipflow/autodiff/Solve.java"},
            new String[] {"Backend", "autodiff/src/main/java/io/sipflow/autodiff/backend/Backend.java"},
            new String[] {"Module", "nn/src/main/java/io/sipflow/nn/Module.java"},
            new String[] {"Adam", "nn/src/main/java/io/sipflow/nn/Adam.java"},
            new String[] {"Problem", "physics/src/main/java/io/sipflow/physics/problem/Problem.java"},
            new String[] {"Trainer", "physics/src/main/java/io/sipflow/physics/train/Trainer.java"});

    /**
     * What a reader has typed before an example: the library's packages (nn's {@code Module} by name, since
     * {@code java.lang.Module} would make it ambiguous) and {@code java.util}.
     */
    static final String IMPORTS = """
            import io.sipflow.autodiff.*;
            import io.sipflow.autodiff.backend.*;
            import io.sipflow.nn.*;
            import io.sipflow.nn.Module;
            import io.sipflow.physics.*;
            import io.sipflow.physics.problem.*;
            import io.sipflow.physics.train.*;
            import java.util.*;
            """;

    /** The example must start within this many lines of the type's comment. */
    static final int OPENING_LINES = 6;

    private static final Pattern STATED = Pattern.compile("//\\s*" + JShellSession.STATED);

    @TestFactory
    Stream<DynamicTest> everyCentralTypeOpensWithAnExampleThatRuns() {
        Path root = repositoryRoot();
        return CENTRAL_TYPES.stream().map(t -> DynamicTest.dynamicTest(t[0], () -> {
            String source = Files.readString(root.resolve(t[1]));
            String example = openingExample(t[0], source);
            assertTrue(STATED.matcher(example).find(), t[0] + "'s example states no result (a `// → value` comment)");
            try (JShellSession session = JShellSession.builder().classPath(LibraryClassPath.entries())
                    .local()
                    .snippetTimeout(Duration.ofSeconds(120)).start()) {
                session.run(IMPORTS).assertPassed("imports before " + t[0] + "'s example");
                session.run(example).assertPassed(t[0] + "'s example (" + t[1] + ")");
            }
        }));
    }

    /**
     * The code of the first {@code <pre>{@code ...}</pre>} block in the Javadoc directly above the declaration of
     * type {@code name} in {@code source}, with the comment's leading {@code *} removed.
     *
     * @throws AssertionError naming the type when it has no comment, no such block, or the block does not open
     *         the comment
     */
    static String openingExample(String name, String source) {
        Matcher declaration = Pattern.compile("(?m)^public\\s+(?:final\\s+|abstract\\s+)*(?:class|interface|record|enum)\\s+"
                + Pattern.quote(name) + "\\b").matcher(source);
        if (!declaration.find()) {
            throw new AssertionError(name + ": no public top-level declaration of " + name + " in its source file");
        }
        String before = source.substring(0, declaration.start());
        int open = before.lastIndexOf("/**");
        int close = before.lastIndexOf("*/");
        if (open < 0 || close < open || !before.substring(close + 2).isBlank()) {
            throw new AssertionError(name + ": no Javadoc comment directly above the declaration");
        }
        String comment = before.substring(open, close);
        int start = comment.indexOf("<pre>{@code");
        if (start < 0) {
            throw new AssertionError(name + ": its Javadoc has no <pre>{@code ...}</pre> example");
        }
        long linesBefore = comment.substring(0, start).chars().filter(c -> c == '\n').count();
        if (linesBefore >= OPENING_LINES) {
            throw new AssertionError(name + ": the example starts on line " + (linesBefore + 1)
                    + " of its Javadoc; the comment should open with it (within " + OPENING_LINES + " lines)");
        }
        int end = comment.indexOf("}</pre>", start);
        if (end < 0) {
            throw new AssertionError(name + ": the example's <pre>{@code is not closed by }</pre>");
        }
        String body = comment.substring(start + "<pre>{@code".length(), end);
        StringBuilder code = new StringBuilder();
        for (String line : body.split("\n", -1)) {
            code.append(line.replaceFirst("^\\s*\\* ?", "")).append('\n');
        }
        return code.toString().strip() + "\n";
    }

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("autodiff/src/main/java"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no repository root (with autodiff/src/main/java) above "
                    + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    @Test
    void theExampleIsTakenFromTheTypesOwnOpeningComment() throws IOException {
        String source = """
                package p;

                /**
                 * A thing.
                 * <pre>{@code
                 * int two = 1 + 1;   // → 2
                 * }</pre>
                 * More text.
                 */
                public final class Thing {
                    /**
                     * <pre>{@code
                     * int three = 3;
                     * }</pre>
                     */
                    public void member() {
                    }
                }
                """;
        assertEquals("int two = 1 + 1;   // → 2\n", openingExample("Thing", source));
    }

    @Test
    void aTypeWithoutAnExampleOrWithALateOneIsNamed() {
        String none = "/** Just words. */\npublic interface Plain {\n}\n";
        AssertionError missing = assertThrows(AssertionError.class, () -> openingExample("Plain", none));
        assertTrue(missing.getMessage().startsWith("Plain: its Javadoc has no"), missing.getMessage());

        String late = "/**\n * a\n *\n * b\n *\n * c\n *\n * <pre>{@code\n * int x = 1;\n * }</pre>\n */\n"
                + "public record Late(int x) {\n}\n";
        AssertionError buried = assertThrows(AssertionError.class, () -> openingExample("Late", late));
        assertTrue(buried.getMessage().contains("should open with it"), buried.getMessage());

        String detached = "/** <pre>{@code int x = 1; // → 1 }</pre> */\nclass Other {\n}\n\npublic class Far {\n}\n";
        assertThrows(AssertionError.class, () -> openingExample("Far", detached));
        assertFalse(CENTRAL_TYPES.isEmpty());
    }
}
