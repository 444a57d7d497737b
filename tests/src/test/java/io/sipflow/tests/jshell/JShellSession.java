package io.sipflow.tests.jshell;

import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One jshell state, fed code blocks in order, as a reader pasting them into {@code jshell} would.
 *
 * <p>Each block is cut into snippets with jshell's own completeness analysis and evaluated one by one; the first
 * snippet that does not compile, leaves an unresolved reference, or throws ends the block with a {@link Failure} that
 * quotes the snippet, its diagnostics or exception, and the block's line. A comment {@code // → text} states an
 * output: it belongs to the last snippet whose code starts before it, and that snippet's value (as jshell shows it, strings
 * unquoted) or what it printed must contain {@code text} as a whole token, e.g.
 * <pre>
 *   Tensor dw = Autodiff.grad(loss, w).get(w);   // → [2.0, -4.0, 6.0]
 *   System.out.println(1 + 1);
 *   // → 2
 * </pre>
 * A stated output before any snippet, or one that does not match, is a failure too: nothing stated goes unchecked.
 *
 * <p>By default the snippets run in a fresh JVM, as in a plain {@code jshell} (the class path given, nothing
 * else); {@link Builder#remoteVmOptions} passes JVM options such as {@code --add-modules jdk.incubator.vector}.
 */
public final class JShellSession implements AutoCloseable {
    /** The marker of a stated output; {@code //→} and {@code // →} both work. */
    public static final String STATED = "→";
    private static final Pattern STATED_COMMENT = Pattern.compile("//\\s*" + STATED + "\\s?(.*)$", Pattern.MULTILINE);

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jshell-snippet-timeout");
        t.setDaemon(true);
        return t;
    });

    private final JShell shell;
    private final Duration timeout;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<SnippetRun> history = new ArrayList<>();
    private int blocksRun;

    /** How to start a session. */
    public static final class Builder {
        private final List<Path> classPath = new ArrayList<>();
        private final List<String> remoteVmOptions = new ArrayList<>();
        private boolean local;
        private Duration timeout;

        private Builder() {
        }

        /** Adds entries (jars or class folders) to the class path of both the compiler and the running code. */
        public Builder classPath(List<Path> entries) {
            classPath.addAll(entries);
            return this;
        }

        /** JVM options of the JVM that runs the snippets (ignored with {@link #local()}). */
        public Builder remoteVmOptions(String... options) {
            remoteVmOptions.addAll(List.of(options));
            return this;
        }

        /** Runs snippets inside this JVM instead of a fresh one: faster to start, but shares static state. */
        public Builder local() {
            local = true;
            return this;
        }

        /** Stops a snippet that runs longer than this and reports it as the failing one. */
        public Builder snippetTimeout(Duration limit) {
            timeout = limit;
            return this;
        }

        public JShellSession start() {
            return new JShellSession(this);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    private JShellSession(Builder b) {
        JShell.Builder jb = JShell.builder()
                .out(new PrintStream(out, true, StandardCharsets.UTF_8))
                .err(new PrintStream(err, true, StandardCharsets.UTF_8));
        if (b.local) {
            jb.executionEngine("local");
        } else if (!b.remoteVmOptions.isEmpty()) {
            jb.remoteVMOptions(b.remoteVmOptions.toArray(String[]::new));
        }
        shell = jb.build();
        timeout = b.timeout;
        for (Path p : b.classPath) {
            shell.addToClasspath(p.toAbsolutePath().toString());
        }
    }

    /** One evaluated snippet: its source, where it starts in its block, its value, and what it printed. */
    public record SnippetRun(int block, int line, String source, String value, String printed, long millis) {
        /** The value and the printed text together, where a stated output is looked for. */
        public String shown() {
            return (value == null ? "" : value) + "\n" + printed;
        }
    }

    /** A stated output and whether it was found in its snippet's value or output. */
    public record StatedOutput(int line, String expected, SnippetRun snippet, boolean matched) {
    }

    /** What a block did: its snippets in order and every stated output with its verdict. */
    public record BlockResult(int block, List<SnippetRun> snippets, List<StatedOutput> stated, Failure failure) {
        public boolean passed() {
            return failure == null && stated.stream().allMatch(StatedOutput::matched);
        }

        /** Throws an {@link AssertionError} naming the first failing snippet or the first unmatched output. */
        public BlockResult assertPassed(String where) {
            if (failure != null) {
                throw new AssertionError(where + ": " + failure.describe());
            }
            for (StatedOutput s : stated) {
                if (!s.matched()) {
                    String got = s.snippet() == null ? "(no snippet before it)" : s.snippet().shown().strip();
                    throw new AssertionError(where + ", block " + block + " line " + s.line() + ": stated output `"
                            + s.expected() + "` not found" + (s.snippet() == null ? " " + got
                            : " in what `" + firstLine(s.snippet().source()) + "` showed:\n" + got));
                }
            }
            return this;
        }
    }

    /** The first snippet of a block that did not run, and why. */
    public record Failure(int block, int line, String source, String reason) {
        public String describe() {
            return "block " + block + " line " + line + ": `" + source.strip() + "`\n" + reason;
        }
    }

    /** Runs every snippet of {@code code} in order, stopping at the first that fails. */
    public BlockResult run(String code) {
        int block = ++blocksRun;
        List<SnippetRun> runs = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();   // per snippet run: the offset of its first code character
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String remaining = code;
        Failure failure = null;
        while (!remaining.isBlank()) {
            int start = code.length() - remaining.length();
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            if (!info.completeness().isComplete()) {
                if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                    break;   // only comments or blank lines left
                }
                failure = new Failure(block, lineOf(code, start), remaining,
                        "the block ends in the middle of a snippet (" + info.completeness() + ")");
                break;
            }
            int codeStart = start + skipBlankAndComments(remaining);
            int line = lineOf(code, codeStart);
            Outcome outcome = eval(block, line, info.source());
            if (outcome.failure() != null) {
                failure = outcome.failure();
                break;
            }
            runs.add(outcome.run());
            starts.add(codeStart);
            remaining = info.remaining();
        }
        List<StatedOutput> stated = statedOutputs(code, runs, starts);
        BlockResult result = new BlockResult(block, List.copyOf(runs), stated, failure);
        history.addAll(runs);
        return result;
    }

    private record Outcome(SnippetRun run, Failure failure) {
    }

    private Outcome eval(int block, int line, String source) {
        out.reset();
        err.reset();
        long t0 = System.nanoTime();
        ScheduledFuture<?> watchdog = timeout == null ? null
                : TIMER.schedule(shell::stop, timeout.toMillis(), TimeUnit.MILLISECONDS);
        List<SnippetEvent> events;
        try {
            events = shell.eval(source);
        } finally {
            if (watchdog != null) {
                watchdog.cancel(false);
            }
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        if (timeout != null && millis >= timeout.toMillis()) {
            return new Outcome(null, new Failure(block, line, source, "stopped after the time limit of " + timeout
                    + (printed().isBlank() ? "" : "\nprinted before it:\n" + printed())));
        }
        String value = null;
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) {
                continue;   // a knock-on update of an earlier snippet, not this one
            }
            String problem = problemOf(e);
            if (problem != null) {
                String printed = printed();
                return new Outcome(null, new Failure(block, line, source, problem
                        + (printed.isBlank() ? "" : "\nprinted before it:\n" + printed)));
            }
            if (e.value() != null) {
                value = unquote(e.value());
            }
        }
        return new Outcome(new SnippetRun(block, line, source, value, printed(), millis), null);
    }

    private String problemOf(SnippetEvent e) {
        Snippet snippet = e.snippet();
        if (e.status() == Snippet.Status.REJECTED) {
            StringBuilder sb = new StringBuilder("does not compile:");
            shell.diagnostics(snippet).forEach(d -> sb.append('\n').append(describe(d, snippet.source())));
            return sb.toString();
        }
        if (e.status() == Snippet.Status.RECOVERABLE_DEFINED || e.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
            StringBuilder sb = new StringBuilder("refers to something not defined on the page:");
            shell.unresolvedDependencies((jdk.jshell.DeclarationSnippet) snippet)
                    .forEach(name -> sb.append(' ').append(name));
            return sb.toString();
        }
        JShellException ex = e.exception();
        if (ex != null) {
            return "throws " + describe(ex);
        }
        return null;
    }

    private static String describe(Diag d, String source) {
        long pos = d.getPosition();
        String at = pos >= 0 && pos <= source.length()
                ? " at `" + firstLine(source.substring((int) pos)) + "`" : "";
        return "  " + (d.isError() ? "error" : "warning") + ": " + d.getMessage(Locale.ROOT) + at;
    }

    private static String describe(JShellException ex) {
        StringBuilder sb = new StringBuilder();
        if (ex instanceof EvalException eval) {
            sb.append(eval.getExceptionClassName()).append(": ").append(Objects.toString(eval.getMessage(), ""));
        } else if (ex instanceof UnresolvedReferenceException unresolved) {
            sb.append("an unresolved reference in ").append(unresolved.getSnippet().source());
        } else {
            sb.append(ex);
        }
        for (StackTraceElement el : ex.getStackTrace()) {
            sb.append("\n    at ").append(el);
        }
        Throwable cause = ex.getCause();
        while (cause != null) {
            String name = cause instanceof EvalException ce ? ce.getExceptionClassName() : cause.getClass().getName();
            sb.append("\n  caused by ").append(name).append(": ").append(cause.getMessage());
            cause = cause.getCause();
        }
        return sb.toString();
    }

    private String printed() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    /** Each {@code // → text} comment, matched against the last snippet whose code starts before it. */
    private static List<StatedOutput> statedOutputs(String code, List<SnippetRun> runs, List<Integer> starts) {
        List<StatedOutput> stated = new ArrayList<>();
        Matcher m = STATED_COMMENT.matcher(code);
        while (m.find()) {
            SnippetRun owner = null;
            for (int i = 0; i < runs.size(); i++) {
                if (starts.get(i) < m.start()) {
                    owner = runs.get(i);
                }
            }
            String expected = m.group(1).strip();
            boolean matched = owner != null && !expected.isEmpty() && containsToken(owner.shown(), expected);
            stated.add(new StatedOutput(lineOf(code, m.start()), expected, owner, matched));
        }
        return stated;
    }

    /**
     * Whether {@code text} contains {@code expected} with no letter, digit, '.' or '-' glued to either side, so
     * that {@code 2} does not match inside {@code -4.2} or {@code 12}.
     */
    static boolean containsToken(String text, String expected) {
        int from = 0;
        while (true) {
            int i = text.indexOf(expected, from);
            if (i < 0) {
                return false;
            }
            int j = i + expected.length();
            boolean leftFree = i == 0 || !glued(text.charAt(i - 1)) || !glued(expected.charAt(0));
            boolean rightFree = j == text.length() || !glued(text.charAt(j)) || !glued(expected.charAt(expected.length() - 1));
            if (leftFree && rightFree) {
                return true;
            }
            from = i + 1;
        }
    }

    private static boolean glued(char c) {
        return Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_';
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static int lineOf(String code, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < code.length(); i++) {
            if (code.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** How many leading characters of {@code s} are white space or comments. */
    private static int skipBlankAndComments(String s) {
        int i = 0;
        while (i < s.length()) {
            if (Character.isWhitespace(s.charAt(i))) {
                i++;
            } else if (s.startsWith("//", i)) {
                int nl = s.indexOf('\n', i);
                i = nl < 0 ? s.length() : nl + 1;
            } else if (s.startsWith("/*", i)) {
                int close = s.indexOf("*/", i + 2);
                i = close < 0 ? s.length() : close + 2;
            } else {
                break;
            }
        }
        return i;
    }

    private static String firstLine(String s) {
        String stripped = s.strip();
        int nl = stripped.indexOf('\n');
        return nl < 0 ? stripped : stripped.substring(0, nl) + " …";
    }

    /** Every snippet run so far, over all blocks. */
    public List<SnippetRun> history() {
        return List.copyOf(history);
    }

    @Override
    public void close() {
        shell.close();
    }
}
