package io.sipflow.physics.cli;

import io.sipflow.autodiff.Threads;
import io.sipflow.autodiff.backend.FastPath;
import io.sipflow.autodiff.backend.KernelCounts;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The short heat, Poisson and sin training runs whose result files are pinned by {@link GoldenDigestTest}, and the
 * SHA-256 digests of what they write: {@code model.npz}, {@code test.csv}, and {@code metrics.csv} without its
 * {@code step_ms} timing column. The heat run is the large one: 32×32 fields, batch 8, so the weight gradient's
 * first level spans two chunks of images, every convolution runs its vector tiles and tails, and work is split
 * over threads. {@link #main} runs them in another JVM (flags chosen by the caller) and prints the digests and the
 * kernels that ran, one per line, for {@link GoldenDigestAcrossJvmsTest}.
 */
final class GoldenRuns {
    /** The runs by name, each a {@code train} command line without {@code --out} and {@code --threads}. */
    static final Map<String, List<String>> RUNS = runs();

    private GoldenRuns() {
    }

    private static Map<String, List<String>> runs() {
        Map<String, List<String>> runs = new LinkedHashMap<>();
        runs.put("heat", List.of("train", "--problem", "heat", "--resolution", "32", "--batch", "8", "--steps", "3",
                "--test-batch", "8", "--test-every", "3", "--seed", "7"));
        runs.put("poisson", List.of("train", "--problem", "poisson", "--resolution", "16", "--batch", "8",
                "--steps", "3", "--test-batch", "8", "--test-every", "3", "--seed", "7"));
        runs.put("sin", List.of("train", "--problem", "sin", "--batch", "64", "--steps", "20", "--test-batch", "64",
                "--test-every", "10", "--seed", "7"));
        return runs;
    }

    /**
     * Runs every golden run in this JVM at {@code threads} threads into folders under {@code root} and returns the
     * digests by "run/file" (e.g. "heat/model.npz"). The thread count is restored afterwards.
     */
    static Map<String, String> digests(Path root, int threads) throws IOException {
        int before = Threads.count();
        Map<String, String> digests = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, List<String>> run : RUNS.entrySet()) {
                Path out = root.resolve(run.getKey());
                List<String> args = new ArrayList<>(run.getValue());
                args.addAll(List.of("--threads", Integer.toString(threads), "--out", out.toString()));
                StringWriter log = new StringWriter();
                CommandLine cl = SipflowCli.commandLine();
                cl.setOut(new PrintWriter(log, true));
                cl.setErr(new PrintWriter(log, true));
                int code = cl.execute(args.toArray(new String[0]));
                if (code != 0) {
                    throw new IllegalStateException("golden run " + run.getKey() + " exited " + code + ":\n" + log);
                }
                digests.put(run.getKey() + "/model.npz", sha256(Files.readAllBytes(out.resolve("model.npz"))));
                digests.put(run.getKey() + "/test.csv", sha256(Files.readAllBytes(out.resolve("test.csv"))));
                digests.put(run.getKey() + "/metrics.csv", sha256(withoutTimings(out.resolve("metrics.csv"))));
            }
        } finally {
            Threads.set(before);
        }
        return digests;
    }

    /** metrics.csv without its step_ms column (wall-clock time, the one value that may differ between runs). */
    static byte[] withoutTimings(Path metrics) throws IOException {
        List<String> lines = Files.readAllLines(metrics);
        int column = List.of(lines.get(0).split(",", -1)).indexOf("step_ms");
        if (column < 0) {
            throw new IllegalStateException(metrics + " has no step_ms column: " + lines.get(0));
        }
        StringBuilder kept = new StringBuilder();
        for (String line : lines) {
            List<String> cells = new ArrayList<>(List.of(line.split(",", -1)));
            cells.remove(column);
            kept.append(String.join(",", cells)).append('\n');
        }
        return kept.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * In a child JVM: {@code GoldenRuns <out folder> <threads>} runs the golden runs and prints
     * "digest &lt;run/file&gt; &lt;sha256&gt;", "kernel &lt;name&gt;\t&lt;count&gt;" and "kernels &lt;description&gt;" lines.
     */
    public static void main(String[] args) throws IOException {
        KernelCounts.reset();
        Map<String, String> digests = digests(Path.of(args[0]), Integer.parseInt(args[1]));
        digests.forEach((file, digest) -> System.out.println("digest " + file + " " + digest));
        KernelCounts.snapshot().forEach((kernel, count) -> System.out.println("kernel " + kernel + "\t" + count));
        System.out.println("kernels " + FastPath.describe());
        System.exit(0);
    }
}
