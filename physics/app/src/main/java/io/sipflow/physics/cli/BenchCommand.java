package io.sipflow.physics.cli;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.Threads;
import io.sipflow.autodiff.backend.Backends;
import io.sipflow.autodiff.backend.Transfers;
import io.sipflow.nn.Module;
import io.sipflow.nn.Optimizer;
import io.sipflow.physics.problem.Problem;
import io.sipflow.physics.train.Problems;
import io.sipflow.physics.train.Method;
import io.sipflow.physics.train.TrainConfig;
import io.sipflow.physics.train.Trainer;
import io.sipflow.physics.train.TrainingStep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code sipflow bench}: the same measurements as {@code bench/torch_sip_step.py}, one line each, so
 * {@code bench/compare-with-torch.sh} can put them side by side:
 * <pre>
 * sipflow sip_step median_ms=… min_ms=… max_ms=… n=20      (predict, SIP loss, gradients, Adam)
 * sipflow gd_step  …                                       (predict, loss through the physics, gradients, Adam)
 * sipflow allocation sip_step bytes_per_step=… …           (heap allocated per warm SIP step, {@link BenchAllocation})
 * sipflow forward  …                                       (prediction only, no graph)
 * sipflow conv_forward … gflops=…   and the other layer kinds (see {@link LayerBench})
 * sipflow efficiency step_gflops=… peak_share=…% outside_conv_share=…%   (see {@link BenchEfficiency})
 * sipflow memory peak_heap_mb=… vm_hwm_mb=…
 * sipflow size_sweep batch=8 res=16 median_ms=… torch_ms=… ratio=…   (with --sweep or --compare-torch: {@link BenchSizeSweep})
 * </pre>
 * Same workload as the reference: fixed x_gt ~ U[0,1) of (batch, res, res) in FLOAT64, y* = D(x_gt), the seed's
 * U-Net (FLOAT32 inside the prediction), Adam(lr 1e-3, eps 1e-7). Timings only; nothing is asserted.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time a SIP step, a GD step, a forward pass and each layer kind.",
                "The seed's experiment; one line each, like the PyTorch reference (bench/torch_sip_step.py)."})
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

    @Mixin
    BenchSizeSweep sizeSweep;

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
        TrainConfig config = config(Method.SIP);
        Problem problem = Problems.create(config);
        Module net = problem.newNetwork(0);
        Optimizer adam = TrainingStep.newOptimizer(config, net);
        Tensor xGt = Tensor.rand(new SplittableRandom(0), batch, resolution, resolution);
        Problem.Batch data = new Problem.Batch(xGt, problem.physics(xGt));
        out.printf("sipflow backend=%s kernels=%s threads=%d batch=%d res=%d params=%d loadavg=%.2f%n",
                Backends.current().name(), Backends.current().kernels(), Threads.count(), batch, resolution,
                net.parameterCount(), BenchTiming.loadAverage());
        out.flush();
        double peak = BenchEfficiency.probePeak(out);
        double sipMs = line(out, "sip_step", () -> TrainingStep.run(problem, Method.SIP, net, adam, data));
        Transfers before = Backends.current().transfers(); // counted by the backend over one more (warm) SIP step
        TrainingStep.run(problem, Method.SIP, net, adam, data);
        out.println("sipflow transfers_per_step " + Backends.current().transfers().since(before));
        out.flush();
        BenchAllocation.print(out, "sip_step", 3, () -> TrainingStep.run(problem, Method.SIP, net, adam, data));
        line(out, "gd_step", () -> TrainingStep.run(problem, Method.GD, net, adam, data));
        line(out, "forward", () -> Autodiff.noGrad(() -> problem.predict(net, data.yTarget())));
        BenchAllocation.print(out, "evaluate", 3, () -> Trainer.evaluate(problem, net, data, 0));
        LayerBench layers = new LayerBench(batch, resolution, warmup, steps);
        if (!noLayers) {
            layers.run(out);
        }
        BenchEfficiency.print(out, peak, sipMs, layers);
        out.printf("sipflow memory peak_heap_mb=%.0f vm_hwm_mb=%.0f loadavg=%.2f%n", BenchTiming.peakHeapMb(),
                BenchTiming.procStatusMb("VmHWM"), BenchTiming.loadAverage());
        out.flush();
        sizeSweep.run(out, warmup, steps);
        return 0;
    }

    /** The configs whose step the heap must hold: the SIP and GD steps at bench's size, and the sweep's sizes. */
    List<TrainConfig> heapConfigs() {
        List<TrainConfig> configs = new ArrayList<>(List.of(config(Method.SIP), config(Method.GD)));
        configs.addAll(sizeSweep.configs());
        return configs;
    }

    /** The heat run bench times: its batch and grid, Adam lr 1e-3 (one step's config, for the heap plan too). */
    TrainConfig config(Method method) {
        return TrainConfig.builder().method(method).steps(1).batch(batch).resolution(resolution).testBatch(1)
                .build();
    }

    private double line(PrintWriter out, String name, BenchTiming.Body body) {
        BenchTiming.Stats s = BenchTiming.measure(body, warmup, steps);
        out.println("sipflow " + name + " " + s.format());
        out.flush();
        return s.medianMs();
    }
}
