package io.sipflow.physics.train;

import io.sipflow.nn.Module;
import io.sipflow.nn.Optimizer;
import io.sipflow.physics.problem.Problem;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Not a test: one training step of a method on the seed preset (heat, 64×64, batch 128), printing the heap the plan
 * gives it; run under a chosen -Xmx to find the smallest heap the step fits in.
 * <pre>
 * java -cp ... io.sipflow.physics.train.SeedStep [method=adahessian] [steps=1]
 * </pre>
 */
public final class SeedStep {
    private SeedStep() {
    }

    public static void main(String[] args) {
        Method method = Method.parse(args.length > 0 ? args[0] : "adahessian");
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        TrainConfig config = TrainConfig.seedPreset().method(method).build();
        Problem problem = Problems.create(config);
        Module net = problem.newNetwork(config.seed());
        Optimizer opt = method.newOptimizer(config, net);
        System.out.printf(Locale.ROOT, "%s on the seed preset: heap plan %d MB, max heap %d MB%n", method.id(),
                TrainingMemory.heapBytes(config) >> 20, Runtime.getRuntime().maxMemory() >> 20);
        SplittableRandom data = new SplittableRandom(config.seed());
        for (int s = 0; s < steps; s++) {
            long t0 = System.nanoTime();
            double loss = method.update(new Method.Input(problem, net, problem.sample(config.batch(), data)), opt)
                    .loss().item();
            System.out.printf(Locale.ROOT, "step %d: loss %.6g, %.1f s%n", s, loss, (System.nanoTime() - t0) / 1e9);
        }
        System.out.println("steps done");
    }
}
