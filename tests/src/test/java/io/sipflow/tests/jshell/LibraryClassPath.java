package io.sipflow.tests.jshell;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The class path a reader's {@code jshell} would have: the library and what it needs at run time, without the test
 * frameworks (JUnit, jqwik, ArchUnit, ...) and without this module's own test classes, so a page that leans on
 * them fails here as it would for the reader.
 *
 * <p>With {@code -Dsipflow.jar=PATH} (an existing jar) that jar alone is the class path, exactly as in the README;
 * without it the entries come from this test JVM's class path, which Maven builds from the same modules.
 */
public final class LibraryClassPath {
    /** Path fragments of test-only artifacts in a Maven repository. */
    private static final List<String> TEST_ONLY = List.of(
            "/org/junit/", "/net/jqwik/", "/org/opentest4j/", "/org/apiguardian/", "/org/assertj/",
            "/com/tngtech/archunit/", "/org/pitest/", "/surefire", "/test-classes");

    private LibraryClassPath() {
    }

    public static List<Path> entries() {
        String jar = System.getProperty("sipflow.jar", "");
        if (!jar.isBlank()) {
            Path path = Path.of(jar);
            if (!Files.isRegularFile(path)) {
                throw new IllegalStateException("-Dsipflow.jar=" + jar + " is not a file");
            }
            return List.of(path);
        }
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.isBlank())
                .filter(e -> TEST_ONLY.stream().noneMatch(e.replace(File.separatorChar, '/')::contains))
                .map(Path::of)
                .toList();
    }

    /** The whole test class path (test frameworks included), for compiling a page's whole test files. */
    public static List<Path> withTestFrameworks() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.isBlank())
                .map(Path::of)
                .toList();
    }
}
