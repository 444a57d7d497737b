package io.sipflow.nn.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's /usr/bin/python3 with numpy, for interoperability tests (skipped where it is absent). */
final class SystemNumpy {
    static final Path PYTHON = Path.of("/usr/bin/python3");

    private SystemNumpy() {
    }

    static boolean available() {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        try {
            run("import numpy");
            return true;
        } catch (IOException | IllegalStateException e) {
            return false;
        }
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
