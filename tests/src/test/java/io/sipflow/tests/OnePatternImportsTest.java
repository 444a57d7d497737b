package io.sipflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The op pattern's boundary: {@code nn} and {@code physics} main code reach the kernels only through autodiff's public
 * API. From {@code io.sipflow.autodiff.backend} they may name the backend itself (to choose one, or to read its
 * transfer count), never a kernel class: what bypasses {@code Backend} can never run on the device.
 */
class OnePatternImportsTest {
    private static final Set<String> ALLOWED = Set.of("Backend", "Backends", "Transfers");

    @Test
    void nnAndPhysicsImportNoKernelClasses() throws IOException {
        Path root = Path.of(System.getProperty("user.dir")).getParent(); // surefire runs in tests/
        List<String> offenders;
        try (Stream<Path> files = Stream.concat(Files.walk(root.resolve("nn/src/main/java")),
                Files.walk(root.resolve("physics/src/main/java")))) {
            offenders = files.filter(p -> p.toString().endsWith(".java")).flatMap(OnePatternImportsTest::backendImports)
                    .filter(line -> !ALLOWED.contains(line.substring(line.lastIndexOf('.') + 1).replace(";", "")))
                    .collect(Collectors.toList());
        }
        assertTrue(Files.isDirectory(root.resolve("nn/src/main/java")), "source tree not found under " + root);
        assertEquals(List.of(), offenders, "kernel classes imported by nn/physics main code");
    }

    private static Stream<String> backendImports(Path file) {
        try {
            return Files.readAllLines(file).stream().map(String::trim)
                    .filter(l -> l.startsWith("import io.sipflow.autodiff.backend."))
                    .map(l -> file.getFileName() + ": " + l);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
