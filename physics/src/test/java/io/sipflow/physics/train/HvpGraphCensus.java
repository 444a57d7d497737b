package io.sipflow.physics.train;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Graph;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.Module;
import io.sipflow.physics.problem.Problem;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Not a test: prints, op by op, the bytes an HVP of one step's loss keeps in its forward graph and in its recorded
 * backward graph (the seed preset's network at a given batch and grid), to see what the double backward holds.
 * <pre>
 * java -cp ... io.sipflow.physics.train.HvpGraphCensus [method=gd] [batch=8] [resolution=64]
 * </pre>
 */
public final class HvpGraphCensus {
    private HvpGraphCensus() {
    }

    public static void main(String[] args) {
        Method method = Method.parse(args.length > 0 ? args[0] : "gd");
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int resolution = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        TrainConfig config = TrainConfig.seedPreset().method(Method.GD).batch(batch).resolution(resolution)
                .testBatch(batch).build();
        Problem problem = Problems.create(config);
        Module net = problem.newNetwork(0);
        Problem.Batch data = problem.sample(batch, new SplittableRandom(0));
        Tensor loss = method.loss(new Method.Input(problem, net, data)).value();
        Set<Tensor> forward = Collections.newSetFromMap(new IdentityHashMap<>());
        forward.addAll(Graph.topologicalOrder(loss));
        List<Tensor> params = net.parameterValues();
        List<Tensor> g = Autodiff.grad(loss, params, Autodiff.Differentiable.YES).asList();
        Tensor gv = null;
        for (Tensor gi : g) {
            if (gi.requiresGrad()) {
                gv = gv == null ? gi.sum() : gv.add(gi.sum());
            }
        }
        Map<String, long[]> fwd = new TreeMap<>();
        Map<String, long[]> bwd = new TreeMap<>();
        for (Tensor t : Graph.topologicalOrder(gv)) {
            if (t.node() == null) {
                continue;
            }
            long bytes = (long) t.size() * (t.dtype() == DType.FLOAT32 ? 4 : 8);
            long[] slot = (forward.contains(t) ? fwd : bwd).computeIfAbsent(t.node().op(), k -> new long[2]);
            slot[0] += bytes;
            slot[1]++;
        }
        print("forward graph", fwd);
        print("recorded backward graph", bwd);
    }

    private static void print(String title, Map<String, long[]> m) {
        long total = 0;
        for (long[] v : m.values()) {
            total += v[0];
        }
        System.out.printf(Locale.ROOT, "%s: %.1f MB%n", title, total / 1e6);
        m.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).forEach(e ->
                System.out.printf(Locale.ROOT, "  %-36s %9.1f MB  %5d tensors%n", e.getKey(), e.getValue()[0] / 1e6,
                        e.getValue()[1]));
    }
}
