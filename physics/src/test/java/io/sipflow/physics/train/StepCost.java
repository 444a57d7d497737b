package io.sipflow.physics.train;

import io.sipflow.nn.Module;
import io.sipflow.nn.Optimizer;
import io.sipflow.physics.problem.Problem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Not a test: the wall time of one training step of each method at a problem's default size, the methods taking
 * turns step by step in one JVM (so a change in the machine's load hits all of them alike), as medians and as
 * ratios to GD's (Adam) step.
 * <pre>
 * java -cp ... io.sipflow.physics.train.StepCost [problem=poisson] [steps=8] [methods=sip,gd,sgd,adahessian,hessian-free]
 * </pre>
 */
public final class StepCost {
    private StepCost() {
    }

    public static void main(String[] args) {
        String problemId = args.length > 0 ? args[0] : "poisson";
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        String[] ids = (args.length > 2 ? args[2] : "sip,gd,sgd,adahessian,hessian-free").split(",");
        List<Method> methods = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        List<Module> nets = new ArrayList<>();
        List<Optimizer> optimizers = new ArrayList<>();
        TrainConfig any = null;
        for (String id : ids) {
            Method m = Method.parse(id);
            TrainConfig c = Problems.withSuggestions(TrainConfig.builder().problem(problemId).method(m), Map.of())
                    .build();
            any = c;
            Problem p = Problems.create(c);
            Module net = p.newNetwork(c.seed());
            methods.add(m);
            problems.add(p);
            nets.add(net);
            optimizers.add(m.newOptimizer(c, net));
        }
        SplittableRandom data = new SplittableRandom(1);
        double[][] ms = new double[methods.size()][steps];
        for (int s = -2; s < steps; s++) { // two warm-up rounds
            Problem.Batch batch = problems.get(0).sample(any.batch(), data);
            for (int i = 0; i < methods.size(); i++) {
                long t0 = System.nanoTime();
                methods.get(i).update(new Method.Input(problems.get(i), nets.get(i), batch), optimizers.get(i));
                if (s >= 0) {
                    ms[i][s] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        int gd = methods.indexOf(Method.GD);
        double gdMedian = gd < 0 ? Double.NaN : median(ms[gd]);
        System.out.printf(Locale.ROOT, "%s, batch %d, %d steps per method after 2 warm-up rounds, taking turns%n",
                problems.get(0).describe(), any.batch(), steps);
        System.out.printf(Locale.ROOT, "%-14s %12s %12s%n", "method", "median ms", "x GD step");
        for (int i = 0; i < methods.size(); i++) {
            double med = median(ms[i]);
            System.out.printf(Locale.ROOT, "%-14s %12.1f %12.2f%n", methods.get(i).id(), med, med / gdMedian);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }
}
