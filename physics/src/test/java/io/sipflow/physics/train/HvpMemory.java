package io.sipflow.physics.train;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.Module;
import io.sipflow.physics.problem.Problem;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Runs Hessian-vector products of one training step's loss (the seed preset, a given method, batch and grid) and
 * prints what TrainingMemory plans for a step and for an HVP. Not a test: run it under a chosen -Xmx to find the
 * smallest heap an HVP fits in (see {@link TrainingMemory#hvpHeapBytes}). After {@code mvn -q test-compile -pl
 * physics -am} and {@code mvn -q dependency:build-classpath -pl physics -Dmdep.outputFile=cp.txt}:
 * <pre>
 * java --add-modules jdk.incubator.vector -Xms1400m -Xmx1400m \
 *      -cp autodiff/target/classes:nn/target/classes:physics/target/classes:physics/target/test-classes:$(cat cp.txt) \
 *      io.sipflow.physics.train.HvpMemory [method=sip] [batch=128] [resolution=64] [products=2]
 * </pre>
 */
public final class HvpMemory {
    private HvpMemory() {
    }

    public static void main(String[] args) {
        Method method = Method.valueOf((args.length > 0 ? args[0] : "sip").toUpperCase(Locale.ROOT));
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int resolution = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int products = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        int testBatch = Math.min(batch, TrainConfig.seedPreset().build().testBatch());
        TrainConfig config = TrainConfig.seedPreset().method(method).batch(batch).resolution(resolution)
                .testBatch(testBatch).build();
        System.out.printf(Locale.ROOT, "%s batch %d at %dx%d: step activations %d MB, step heap plan %d MB; HVP graph"
                        + " %d MB, HVP heap plan %d MB; max heap %d MB%n", method, batch, resolution, resolution,
                TrainingMemory.activationBytes(config, batch) >> 20, TrainingMemory.heapBytes(config) >> 20,
                TrainingMemory.hvpGraphBytes(config, batch) >> 20, TrainingMemory.hvpHeapBytes(config) >> 20,
                Runtime.getRuntime().maxMemory() >> 20);
        Problem problem = Problems.create(config);
        Module net = problem.newNetwork(config.seed());
        Problem.Batch data = problem.sample(batch, new SplittableRandom(config.seed()));
        SplittableRandom rng = new SplittableRandom(1);
        for (int k = 0; k < products; k++) { // for comparison: the step's first-order gradient, as Training takes it
            long start = System.nanoTime();
            Tensor loss = TrainingStep.loss(problem, method, net, data).value();
            Autodiff.grad(loss, net.parameterValues(), Autodiff.Disconnected.ZERO, Autodiff.AfterBackward.FREE_GRAPH);
            System.out.printf(Locale.ROOT, "gradient %d: %.2f s%n", k, (System.nanoTime() - start) / 1e9);
        }
        for (int k = 0; k < products; k++) {
            long start = System.nanoTime();
            Tensor loss = TrainingStep.loss(problem, method, net, data).value();
            List<Tensor> params = net.parameterValues();
            List<Tensor> v = new ArrayList<>();
            for (Tensor p : params) {
                v.add(Tensor.randn(rng, p.shape().dims()).to(p.dtype()));
            }
            List<Tensor> hv = Autodiff.hvp(loss, params, v, Autodiff.AfterBackward.FREE_GRAPH);
            double vHv = 0;
            for (int i = 0; i < params.size(); i++) {
                vHv += v.get(i).mul(hv.get(i)).sum().item();
            }
            System.out.printf(Locale.ROOT, "HVP %d: vᵀHv = %.6g, %.2f s%n", k, vHv, (System.nanoTime() - start) / 1e9);
        }
    }
}
