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
 * timing columns ({@code step_ms}, {@code wall_s}). The heat run is the large one: 32×32 fields, batch 8, so the weight gradient's
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

    /** The timing columns of metrics.csv: each step's wall time and their running sum, the values that differ. */
    static final List<String> TIMING_COLUMNS = List.of("step_ms", "wall_s");

    /** metrics.csv without its timing columns ({@link #TIMING_COLUMNS}), one line per entry. */
    static List<String> withoutTimingColumns(Path metrics) throws IOException {
        List<String> lines = Files.readAllLines(metrics);
        List<String> header = List.of(lines.get(0).split(",", -1));
        List<Integer> columns = new ArrayList<>();
        for (String name : TIMING_COLUMNS) {
            int column = header.indexOf(name);
            if (column < 0) {
                throw new IllegalStateException(metrics + " has no " + name + " column: " + lines.get(0));
            }
            columns.add(column);
        }
        List<String> kept = new ArrayList<>();
        for (String line : lines) {
            String[] cells = line.split(",", -1);
            List<String> row = new ArrayList<>();
            for (int i = 0; i < cells.length; i++) {
                if (!columns.contains(i)) {
                    row.add(cells[i]);
                }
            }
            kept.add(String.join(",", row));
        }
        return kept;
    }

    /** metrics.csv without its timing columns, as the bytes the digest is taken of. */
    static byte[] withoutTimings(Path metrics) throws IOException {
        StringBuilder kept = new StringBuilder();
        for (String line : withoutTimingColumns(metrics)) {
            kept.append(line).append('\n');
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
