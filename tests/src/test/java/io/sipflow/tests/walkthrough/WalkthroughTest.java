package io.sipflow.tests.walkthrough;

import io.sipflow.tests.jshell.JShellSession;
import io.sipflow.tests.jshell.LibraryClassPath;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every page of docs/walkthrough/ runs as written: its ```java blocks, in order, in one fresh jshell with the library
 * on the class path (the JVM options of {@code ./sipflow jshell}); each stated output ({@code // → …}) holds; its
 * ```java test files compile and pass; and every picture it shows is one it made.
 *
 * <p>The pictures go to a temporary folder. To regenerate the committed ones:
 * {@code mvn -B -ntp -pl tests -am test -Dtest=WalkthroughTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dwalkthrough.pictures=update}. {@code -Dwalkthrough.chapter=03} runs the pages whose name starts so.
 */
class WalkthroughTest {
    /** A guard against a hanging page, not a speed test: each page is meant to run in well under it. */
    private static final Duration SNIPPET_LIMIT = Duration.ofMinutes(2);
    private static final Path PAGES = repositoryRoot().resolve("docs/walkthrough");

    @TempDir
    static Path scratch;

    @TestFactory
    Stream<DynamicTest> everyPageRunsAsWritten() throws IOException {
        String only = System.getProperty("walkthrough.chapter", "");
        return pages().stream()
                .filter(p -> p.getFileName().toString().startsWith(only))
                .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> runPage(Chapter.read(p))));
    }

    @Test
    void thereAreSevenNumberedPages() throws IOException {
        List<Path> pages = pages();
        assertEquals(7, pages.size(), "pages: " + pages);
        for (int i = 0; i < pages.size(); i++) {
            assertTrue(pages.get(i).getFileName().toString().startsWith(String.format("%02d-", i + 1)), pages.toString());
        }
    }

    /** README.md's taste of the API runs as written too, with its stated outputs. */
    @Test
    void theReadmeTasteRunsAsWritten() throws Exception {
        Chapter readme = Chapter.read(repositoryRoot().resolve("README.md"));
        assertFalse(readme.jshellBlocks().isEmpty(), "README.md has no ```java block");
        runBlocks(readme, scratch.resolve("readme"));
    }

    private static List<Path> pages() throws IOException {
        try (Stream<Path> files = Files.list(PAGES)) {
            return files.filter(f -> f.getFileName().toString().matches("\\d\\d-.*\\.md")).sorted().toList();
        }
    }

    private static void runPage(Chapter page) throws Exception {
        assertFalse(page.jshellBlocks().isEmpty(), page.name() + " has no ```java block");
        assertFalse(page.pictures().isEmpty(), page.name() + " shows no picture of its own");
        Path pictures = Files.createDirectories(scratch.resolve(page.name()).resolve("pictures"));
        runBlocks(page, pictures);
        checkTestFilesAndPictures(page, pictures);
    }

    /** Every ```java block of {@code page}, in order, in one fresh jshell, each stated output checked. */
    private static void runBlocks(Chapter page, Path pictures) throws IOException {
        Files.createDirectories(pictures);
        try (JShellSession jshell = JShellSession.builder()
                .classPath(LibraryClassPath.entries())
                .remoteVmOptions("--add-modules", "jdk.incubator.vector", "-Djava.awt.headless=true",
                        "-Dsipflow.pictures=" + pictures)
                .snippetTimeout(SNIPPET_LIMIT)
                .start()) {
            long start = System.nanoTime();
            for (Chapter.Block block : page.jshellBlocks()) {
                JShellSession.BlockResult result = jshell.run(block.code());
                result.snippets().forEach(s -> System.out.print(s.printed()));
                result.assertPassed(page.name() + " (the block at line " + block.line() + ")");
                long arrows = block.code().chars().filter(c -> c == JShellSession.STATED.charAt(0)).count();
                assertEquals(arrows, result.stated().size(), page.name() + " line " + block.line()
                        + ": every → in a block must be a checked `// → output` comment");
            }
            // For the reader's information (the walkthrough's README lists each page's run time), not a check.
            System.out.printf("%s: %d blocks ran in %.1f s%n", page.name(), page.jshellBlocks().size(),
                    (System.nanoTime() - start) / 1e9);
        }
    }

    private static void checkTestFilesAndPictures(Chapter page, Path pictures) throws Exception {
        for (Chapter.Block test : page.testFiles()) {
            Path work = Files.createDirectories(scratch.resolve(page.name()).resolve("test-" + test.line()));
            TestFileRunner.Outcome outcome = TestFileRunner.compileAndRun(test.code(),
                    LibraryClassPath.withTestFrameworks(), work);
            assertTrue(outcome.found() > 0, page.name() + " line " + test.line() + ": the test file has no tests");
            assertEquals(0, outcome.failed(), page.name() + " line " + test.line() + ":\n" + outcome.failures());
        }
        List<String> missing = new ArrayList<>();
        for (String picture : page.pictures()) {
            Path made = pictures.resolve(Path.of(picture).getFileName());
            if (!Files.isRegularFile(made) || Files.size(made) == 0) {
                missing.add(picture);
            } else if ("update".equals(System.getProperty("walkthrough.pictures"))) {
                Path committed = PAGES.resolve(picture);
                Files.createDirectories(committed.getParent());
                Files.copy(made, committed, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        assertTrue(missing.isEmpty(), page.name() + " shows pictures its code did not make: " + missing);
    }

    /** The folder holding docs/ (surefire runs in the tests module's folder). */
    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("docs"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no docs/ folder above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
