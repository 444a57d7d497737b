package io.sipflow.physics.train;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.Module;
import io.sipflow.physics.problem.Problem;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Not a test: the live heap (after a full collection) at each stage of one Hessian-vector product of a step's loss on
 * the seed preset's network: before, after the forward pass, after the recorded backward pass, after the product.
 * Run with {@code -Xlog:gc} to see the occupancy during the second backward pass.
 * <pre>
 * java -cp ... io.sipflow.physics.train.HvpStages [method=sip] [batch=128] [resolution=64] [forward|reverse]
 * </pre>
 */
public final class HvpStages {
    private HvpStages() {
    }

    private static long live() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
    }

    public static void main(String[] args) {
        Method method = Method.parse(args.length > 0 ? args[0] : "sip");
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int resolution = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        boolean reverse = args.length > 3 && args[3].equals("reverse");
        TrainConfig config = TrainConfig.seedPreset().method(method).batch(batch).resolution(resolution)
                .testBatch(Math.min(batch, TrainConfig.seedPreset().build().testBatch())).build();
        Problem problem = Problems.create(config);
        Module net = problem.newNetwork(config.seed());
        Problem.Batch data = problem.sample(batch, new SplittableRandom(config.seed()));
        List<Tensor> params = net.parameterValues();
        List<Tensor> v = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(1);
        for (Tensor p : params) {
            v.add(Tensor.randn(rng, p.shape().dims()).to(p.dtype()));
        }
        long start = live();
        long t0 = System.nanoTime();
        Tensor loss = method.loss(new Method.Input(problem, net, data)).value();
        long forward = live();
        long t1 = System.nanoTime();
        List<Tensor> g = Autodiff.grad(loss, params, Autodiff.Differentiable.YES).asList();
        long t2 = System.nanoTime();
        long backward = live();
        Tensor gv = null;
        for (int k = 0; k < params.size(); k++) {
            int i = reverse ? params.size() - 1 - k : k;
            Tensor term = g.get(i).mul(v.get(i)).sum();
            gv = gv == null ? term : gv.add(term);
        }
        g = null;
        loss = null;
        System.out.printf(Locale.ROOT, "%s (⟨g, v⟩ summed in %s parameter order) batch %d at %dx%d: live MB before %d, after forward %d (+%d), after recorded"
                        + " backward %d (+%d); step heap plan %d MB%n", method.id(), reverse ? "reverse" : "forward", batch, resolution, resolution,
                start, forward, forward - start, backward, backward - forward, TrainingMemory.heapBytes(
                        config.toBuilder().method(Method.SIP).build()) >> 20);
        System.out.println("second pass starts");
        long t3 = System.nanoTime();
        List<Tensor> hv = Autodiff.grad(gv, params, Autodiff.Disconnected.ZERO, Autodiff.AfterBackward.FREE_GRAPH)
                .asList();
        long t4 = System.nanoTime();
        System.out.println("second pass ends");
        double vhv = 0;
        for (int i = 0; i < params.size(); i++) {
            vhv += v.get(i).mul(hv.get(i)).sum().item();
        }
        System.out.printf(Locale.ROOT, "vHv %.9g; live after %d MB; forward %.2f s, recorded backward %.2f s, second"
                + " pass %.2f s%n", vhv, live(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t4 - t3) / 1e9);
    }
}
