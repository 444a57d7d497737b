package io.sipflow.physics.cli;

import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.Threads;
import io.sipflow.nn.Module;
import io.sipflow.nn.Optimizer;
import io.sipflow.physics.problem.Problem;
import io.sipflow.physics.train.Method;
import io.sipflow.physics.train.Problems;
import io.sipflow.physics.train.TrainConfig;
import io.sipflow.physics.train.TrainingStep;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sipflow bench --sweep} / {@code --compare-torch}: the SIP step at four sizes, from the smallest problems
 * researchers iterate on to the seed's, one line each:
 * <pre>
 * sipflow size_sweep batch=8 res=16 median_ms=… min_ms=… n=… torch_ms=… ratio=… loadavg=…
 * </pre>
 * With {@code --compare-torch} the PyTorch reference ({@code bench/torch_sip_step.py}, at the same thread count)
 * runs just before sipflow at each size, so both see the same machine; {@code ratio} is sipflow's median over
 * torch's (below 1, sipflow is faster). Without it {@code torch_ms} and {@code ratio} read {@code -}. The fixed
 * cost per op and per step shows at the small sizes, the arithmetic at the large ones. Timings only.
 */
final class BenchSizeSweep {
    /** (batch, resolution): batch 8 at 16², the main job's default 32 at 32², the seed's 128 at 64², 32 at 128². */
    static final List<int[]> SIZES = List.of(new int[] {8, 16}, new int[] {32, 32}, new int[] {128, 64},
            new int[] {32, 128});
    /** Pixels per step of the seed (128 × 64²): smaller sizes repeat more so that each size is timed as long. */
    private static final long SEED_PIXELS = 128L * 64 * 64;
    private static final int MOST_STEPS = 100;
    private static final Pattern TORCH_SIP = Pattern.compile("^torch sip_step median_ms=([0-9.]+)");

    /** The sizes run (a test replaces them with smaller ones). */
    List<int[]> sizes = SIZES;

    @Option(names = "--sweep", description = "also time the SIP step at 8x16², 32x32², 128x64² and 32x128²")
    boolean sweep;

    @Option(names = "--compare-torch", description = "time the sweep's sizes in the PyTorch reference too, just "
            + "before sipflow at each size, and print the ratio (needs python3 with torch; implies --sweep)")
    boolean compareTorch;

    @Option(names = "--torch-script", paramLabel = "FILE", defaultValue = "bench/torch_sip_step.py",
            description = "the PyTorch reference for --compare-torch (default bench/torch_sip_step.py)")
    Path torchScript;

    @Option(names = "--python", paramLabel = "PROGRAM", defaultValue = "/usr/bin/python3",
            description = "the Python that runs the reference (default /usr/bin/python3)")
    String python;

    /** {@return whether the sweep runs (asked for by --sweep or --compare-torch)} */
    boolean enabled() {
        return sweep || compareTorch;
    }

    /** The configs of the sweep's SIP steps (for the heap plan), empty when the sweep does not run. */
    List<TrainConfig> configs() {
        List<TrainConfig> configs = new ArrayList<>();
        if (enabled()) {
            for (int[] size : sizes) {
                configs.add(config(size[0], size[1]));
            }
        }
        return configs;
    }

    /**
     * Prints one line per size if the sweep was asked for; nothing otherwise.
     *
     * @throws IllegalArgumentException if --compare-torch was given and the reference script is missing, or the
     *         reference fails or prints no sip_step line (its exit status and output are in the message)
     */
    void run(PrintWriter out, int warmup, int steps) {
        if (!enabled()) {
            return;
        }
        if (compareTorch && !Files.isRegularFile(torchScript)) {
            throw new IllegalArgumentException("bench --compare-torch: the PyTorch reference " + torchScript
                    + " is not a file (run from the project folder, or give --torch-script FILE)");
        }
        for (int[] size : sizes) {
            int batch = size[0];
            int res = size[1];
            int n = stepsFor(batch, res, steps);
            double torchMs = compareTorch ? torchSipMs(batch, res, warmup, n) : Double.NaN;
            BenchTiming.Stats s = sipStep(batch, res, warmup, n);
            out.printf("sipflow size_sweep batch=%d res=%d median_ms=%.1f min_ms=%.1f n=%d torch_ms=%s ratio=%s "
                            + "loadavg=%.2f%n", batch, res, s.medianMs(), s.minMs(), s.n(),
                    Double.isNaN(torchMs) ? "-" : String.format("%.1f", torchMs),
                    Double.isNaN(torchMs) ? "-" : String.format("%.2f", s.medianMs() / torchMs),
                    BenchTiming.loadAverage());
            out.flush();
        }
    }

    /** Timed repetitions at one size: {@code steps} scaled up by how much smaller than the seed it is, at most 100. */
    static int stepsFor(int batch, int res, int steps) {
        long pixels = (long) batch * res * res;
        return (int) Math.max(steps, Math.min(MOST_STEPS, steps * SEED_PIXELS / pixels));
    }

    private static TrainConfig config(int batch, int res) {
        return TrainConfig.builder().method(Method.SIP).steps(1).batch(batch).resolution(res).testBatch(1).build();
    }

    /** The bench's SIP step (same data, network and optimizer as {@link BenchCommand}) at one size. */
    private static BenchTiming.Stats sipStep(int batch, int res, int warmup, int steps) {
        TrainConfig config = config(batch, res);
        Problem problem = Problems.create(config);
        Module net = problem.newNetwork(0);
        Optimizer adam = TrainingStep.newOptimizer(config, net);
        Tensor xGt = Tensor.rand(new SplittableRandom(0), batch, res, res);
        Problem.Batch data = new Problem.Batch(xGt, problem.physics(xGt));
        return BenchTiming.measure(() -> TrainingStep.run(problem, Method.SIP, net, adam, data), warmup, steps);
    }

    /** Runs the reference's SIP step at one size and the same thread count; its median in ms. */
    private double torchSipMs(int batch, int res, int warmup, int steps) {
        List<String> command = List.of(python, torchScript.toString(), "--threads", String.valueOf(Threads.count()),
                "--batch", String.valueOf(batch), "--res", String.valueOf(res), "--steps", String.valueOf(steps),
                "--warmup", String.valueOf(warmup), "--measure", "sip_step");
        StringBuilder output = new StringBuilder();
        double median = Double.NaN;
        int status;
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    output.append(line).append('\n');
                    Matcher m = TORCH_SIP.matcher(line);
                    if (m.find()) {
                        median = Double.parseDouble(m.group(1));
                    }
                }
            }
            status = p.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("bench --compare-torch: cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("bench --compare-torch: interrupted while the reference ran", e);
        }
        if (status != 0 || Double.isNaN(median)) {
            throw new IllegalArgumentException("bench --compare-torch: " + String.join(" ", command) + " exited with "
                    + status + (Double.isNaN(median) ? " and printed no 'torch sip_step median_ms=' line" : "")
                    + "; its output:\n" + output);
        }
        return median;
    }
}
