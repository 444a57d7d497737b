package io.sipflow.tests.walkthrough;

import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** Compiles a page's whole test file and runs it on the JUnit Platform (jqwik included), as a reader's build would. */
final class TestFileRunner {
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern CLASS = Pattern.compile("^(?:public\\s+)?(?:final\\s+)?class\\s+(\\w+)",
            Pattern.MULTILINE);

    private TestFileRunner() {
    }

    /** What the run found: tests that ran and failed, and the failures written out. */
    record Outcome(long found, long succeeded, long failed, String failures) {
    }

    static Outcome compileAndRun(String source, List<Path> classPath, Path workDir) throws Exception {
        Matcher cls = CLASS.matcher(source);
        if (!cls.find()) {
            throw new AssertionError("the test block declares no top-level class");
        }
        Matcher pkg = PACKAGE.matcher(source);
        String packageName = pkg.find() ? pkg.group(1) : "";
        String className = (packageName.isEmpty() ? "" : packageName + ".") + cls.group(1);
        Path src = workDir.resolve("src").resolve(className.replace('.', File.separatorChar) + ".java");
        Path classes = Files.createDirectories(workDir.resolve("classes"));
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        compile(src, classPath, classes);

        URL[] urls = new URL[] {classes.toUri().toURL()};
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(urls, TestFileRunner.class.getClassLoader())) {
            Thread.currentThread().setContextClassLoader(loader);
            Class<?> testClass = loader.loadClass(className);
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(testClass)).build();
            Launcher launcher = LauncherFactory.create();
            SummaryGeneratingListener listener = new SummaryGeneratingListener();
            launcher.execute(request, listener);
            TestExecutionSummary summary = listener.getSummary();
            StringWriter failures = new StringWriter();
            summary.printFailuresTo(new PrintWriter(failures), 20);
            return new Outcome(summary.getTestsFoundCount(), summary.getTestsSucceededCount(),
                    summary.getTotalFailureCount(), failures.toString());
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private static void compile(Path src, List<Path> classPath, Path classes) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            String cp = classPath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
            List<String> options = List.of("--release", "17", "-proc:none", "-parameters", "-cp", cp,
                    "-d", classes.toString());
            boolean ok = compiler.getTask(null, files, diagnostics, options, null,
                    files.getJavaFileObjects(src.toFile())).call();
            if (!ok) {
                String errors = diagnostics.getDiagnostics().stream()
                        .map(d -> "line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
                        .collect(Collectors.joining("\n"));
                throw new AssertionError("the test block does not compile:\n" + errors);
            }
        }
    }
}
