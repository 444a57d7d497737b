package io.sipflow.nn.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's /usr/bin/python3 with numpy, for interoperability tests (skipped where it is absent, except under CI=true). */
final class SystemNumpy {
    static final Path PYTHON = Path.of("/usr/bin/python3");

    private SystemNumpy() {
    }

    /** Whether numpy can be run; under CI=true (where .ci/run installs it) its absence is a failure, not a skip. */
    static boolean available() {
        boolean ok;
        try {
            ok = Files.isExecutable(PYTHON) && run("import numpy") != null;
        } catch (IOException | IllegalStateException e) {
            ok = false;
        }
        if (!ok && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true but /usr/bin/python3 with numpy is missing (.ci/run installs python3-numpy)");
        }
        return ok;
    }

    /** Runs {@code script} with {@code args} as sys.argv[1:]; returns stdout, throws on a non-zero exit. */
    static String run(String script, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), "-c", script));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("python timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("python failed (" + p.exitValue() + "): " + out);
        }
        return out;
    }
}
