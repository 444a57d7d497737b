package io.sipflow.physics.cli;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.Backends;
import io.sipflow.autodiff.backend.FastPath;
import io.sipflow.autodiff.backend.Parallel;
import io.sipflow.nn.Adam;
import io.sipflow.nn.UNet;
import io.sipflow.physics.train.HeatTraining;
import io.sipflow.physics.train.Method;
import io.sipflow.physics.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code sipflow bench}: the same measurements as {@code shared/bench/torch_sip_step.py}, one line each, so
 * {@code bench/compare-with-torch.sh} can put them side by side:
 * <pre>
 * sipflow sip_step median_ms=… min_ms=… max_ms=… n=20      (predict, SIP loss, gradients, Adam)
 * sipflow gd_step  …                                       (predict, loss through the physics, gradients, Adam)
 * sipflow forward  …                                       (prediction only, no graph)
 * sipflow conv_forward … gflops=…   and the other layer kinds (see {@link LayerBench})
 * sipflow efficiency step_gflops=… peak_share=…% outside_conv_share=…%   (see {@link BenchEfficiency})
 * sipflow memory peak_heap_mb=… vm_hwm_mb=…
 * </pre>
 * Same workload as the reference: fixed x_gt ~ U[0,1) of (batch, res, res) in FLOAT64, y* = D(x_gt), the seed's
 * U-Net (FLOAT32 inside the prediction), Adam(lr 1e-3, eps 1e-7). Timings only; nothing is asserted.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time one SIP step, one GD step and one forward pass of the seed's experiment, then each",
                "layer kind; prints lines like the PyTorch reference (shared/bench/torch_sip_step.py)."})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "128", description = "examples per step (default 128)")
    int batch;

    @Option(names = "--resolution", paramLabel = "R", defaultValue = "64", description = "grid size R×R (default 64)")
    int resolution;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "20", description = "timed repetitions (default 20)")
    int steps;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "3", description = "untimed repetitions first (default 3)")
    int warmup;

    @Option(names = "--no-layers", description = "skip the per-layer-kind lines")
    boolean noLayers;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        if (batch < 1 || resolution < 8 || resolution % 8 != 0 || steps < 1 || warmup < 0) {
            throw new IllegalArgumentException("bench: need --batch >= 1, --resolution a multiple of 8, --steps >= 1"
                    + " and --warmup >= 0; got batch " + batch + ", resolution " + resolution + ", steps " + steps
                    + ", warmup " + warmup);
        }
        if (common.threads == null) {
            common.threads = 2; // the reference runs at 2 threads
        }
        common.apply();
        PrintWriter out = spec.commandLine().getOut();
        UNet net = Trainer.newNetwork(0);
        Adam adam = new Adam(net.parameters(), 1e-3);
        Tensor xGt = Tensor.rand(new SplittableRandom(0), batch, resolution, resolution);
        Tensor yTarget = HeatTraining.observe(xGt);
        out.printf("sipflow backend=%s kernels=%s threads=%d batch=%d res=%d params=%d loadavg=%.2f%n",
                Backends.current().name(), FastPath.describe(), Parallel.threads(), batch, resolution,
                net.parameterCount(), BenchTiming.loadAverage());
        out.flush();
        double peak = BenchEfficiency.probePeak(out);
        double sipMs = line(out, "sip_step", () -> step(net, adam, Method.SIP, yTarget, xGt));
        line(out, "gd_step", () -> step(net, adam, Method.GD, yTarget, xGt));
        line(out, "forward", () -> Autodiff.noGrad(() -> HeatTraining.predict(net::forward, yTarget)));
        LayerBench layers = new LayerBench(batch, resolution, warmup, steps);
        if (!noLayers) {
            layers.run(out);
        }
        BenchEfficiency.print(out, peak, sipMs, layers);
        out.printf("sipflow memory peak_heap_mb=%.0f vm_hwm_mb=%.0f loadavg=%.2f%n", BenchTiming.peakHeapMb(),
                BenchTiming.procStatusMb("VmHWM"), BenchTiming.loadAverage());
        out.flush();
        return 0;
    }

    /** Runs the command on its own ({@code java -cp sipflow.jar io.sipflow.physics.cli.BenchCommand ...}). */
    public static void main(String[] args) {
        System.exit(SipflowCli.commandLine().getSubcommands().containsKey("bench")
                ? SipflowCli.commandLine().execute(prepend("bench", args))
                : new picocli.CommandLine(new BenchCommand()).execute(args));
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    /** One training step as the trainer takes it (without drawing new data, as the reference). */
    private static void step(UNet net, Adam adam, Method method, Tensor yTarget, Tensor xGt) {
        Tensor prediction = HeatTraining.predict(net::forward, yTarget);
        HeatTraining.StepResult r = HeatTraining.loss(method, prediction, yTarget, xGt);
        Gradients g = Autodiff.grad(r.loss(), net.parameterValues(), Autodiff.Disconnected.ZERO,
                Autodiff.AfterBackward.FREE_GRAPH);
        adam.step(g);
    }

    private double line(PrintWriter out, String name, BenchTiming.Body body) {
        BenchTiming.Stats s = BenchTiming.measure(body, warmup, steps);
        out.println("sipflow " + name + " " + s.format());
        out.flush();
        return s.medianMs();
    }
}
