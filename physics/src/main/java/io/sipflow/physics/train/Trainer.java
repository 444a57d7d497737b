package io.sipflow.physics.train;

import io.sipflow.autodiff.AnomalyException;
import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.BatchNorm2d;
import io.sipflow.nn.Module;
import io.sipflow.nn.NonFiniteException;
import io.sipflow.nn.Optimizer;
import io.sipflow.nn.Training;
import io.sipflow.physics.problem.Problem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The seed's training loop for any {@link Problem}: a fresh batch every step, one {@link TrainingStep}, a test
 * on a fixed held-out batch every {@code testEvery} steps.
 * <pre>
 * Trainer t = new Trainer(config);
 * t.run(listener);                 // or: t.step() … t.test()
 * </pre>
 * A step that meets a NaN or an infinity changes nothing; {@link #run} then stops and {@link #divergence()} says
 * at which step and where. {@link TrainerState} saves and restores everything a run needs to continue exactly.
 */
public final class Trainer {
    /** Told about every step, every test evaluation and every time a checkpoint is due. */
    public interface Listener {
        void onStep(StepMetrics m);

        default void onTest(TestMetrics m) {
        }

        /** After step {@code step}, when the config's checkpoint interval says so. */
        default void onCheckpointDue(int step) {
        }
    }

    /** Where a run stopped on a non-finite value: the step that was not applied, and what went non-finite. */
    public record Divergence(int step, String what) {
    }

    private final TrainConfig config;
    private final Problem problem;
    private final Module net;
    private final Optimizer optimizer;
    private final SplittableRandom data;
    private final Problem.Batch testBatch;
    final List<StepMetrics> steps = new ArrayList<>();
    final List<TestMetrics> tests = new ArrayList<>();
    private Divergence divergence;

    public Trainer(TrainConfig config) {
        this.config = config;
        this.problem = Problems.create(config);
        this.net = problem.newNetwork(config.seed());
        this.optimizer = TrainingStep.newOptimizer(config, net);
        this.data = new SplittableRandom(config.seed()).split();
        this.testBatch = problem.sample(config.testBatch(), new SplittableRandom(config.testSeed()));
    }

    /**
     * Trains until {@code config.steps()} steps are done, testing at step 0, every {@code testEvery} steps and at
     * the end; stops early at a non-finite value. A restored trainer continues where its checkpoint was.
     */
    public void run(Listener listener) {
        if (tests.isEmpty()) {
            listener.onTest(test());
        }
        while (steps.size() < config.steps()) {
            StepMetrics m;
            try {
                m = step();
            } catch (NonFiniteException e) {
                divergence = new Divergence(steps.size(), e.what());
                return;
            } catch (AnomalyException e) {
                divergence = new Divergence(steps.size(), e.getMessage());
                return;
            }
            listener.onStep(m);
            int done = steps.size();
            if (done % config.testEvery() == 0 || done == config.steps()) {
                listener.onTest(test());
            }
            if (config.checkpointEvery() > 0 && done % config.checkpointEvery() == 0 && done < config.steps()) {
                listener.onCheckpointDue(done);
            }
        }
    }

    /** One update on a fresh batch; throws {@link NonFiniteException} (changing nothing but the data stream). */
    public StepMetrics step() {
        long t0 = System.nanoTime();
        Problem.Batch batch = problem.sample(config.batch(), data);
        Training.Step<TrainingStep.Outputs> s = TrainingStep.run(problem, config.method(), net, optimizer, batch);
        Tensor x = s.aux().x();
        Tensor y = s.aux().y();
        Map.Entry<String, Tensor> headline = problem.metrics(x, batch).entrySet().iterator().next();
        double yL2 = Autodiff.noGrad(() -> Problem.l2(y.sub(batch.yTarget())).mean().item());
        double ms = (System.nanoTime() - t0) / 1e6;
        StepMetrics m = new StepMetrics(steps.size(), s.loss().item(), BatchStats.of(headline.getValue()), yL2, ms);
        steps.add(m);
        return m;
    }

    /** Error on the held-out batch now, labelled with the number of updates made so far. */
    public TestMetrics test() {
        TestMetrics m = evaluate(problem, net, testBatch, steps.size());
        tests.add(m);
        return m;
    }

    /**
     * Test metrics of {@code net} on {@code batch}. The network is left as it was: batch norm normalises with the
     * batch's statistics (as in training, the seed's convention) but its running statistics are not updated.
     */
    public static TestMetrics evaluate(Problem problem, Module net, Problem.Batch batch, int step) {
        try (BatchNorm2d.StatisticsFrozen frozen = BatchNorm2d.statisticsFrozen()) {
            return Autodiff.noGrad(() -> {
                Tensor x = problem.predict(net, batch.yTarget());
                LinkedHashMap<String, Tensor> metrics = problem.metrics(x, batch);
                String first = metrics.keySet().iterator().next();
                BatchStats headline = BatchStats.of(metrics.get(first));
                LinkedHashMap<String, Double> means = new LinkedHashMap<>();
                for (Map.Entry<String, Tensor> e : metrics.entrySet()) {
                    means.put(e.getKey(), e.getKey().equals(first) ? headline.mean() : e.getValue().mean().item());
                }
                return new TestMetrics(step, first, headline, means);
            });
        }
    }

    /** Advances the data stream past {@code batches} training batches (resume). */
    void skipBatches(int batches) {
        for (int i = 0; i < batches; i++) {
            problem.skip(config.batch(), data);
        }
    }

    public TrainConfig config() {
        return config;
    }

    public Problem problem() {
        return problem;
    }

    public Module network() {
        return net;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public Problem.Batch testBatch() {
        return testBatch;
    }

    /** Null while the run is healthy. */
    public Divergence divergence() {
        return divergence;
    }

    public List<StepMetrics> stepHistory() {
        return List.copyOf(steps);
    }

    public List<TestMetrics> testHistory() {
        return List.copyOf(tests);
    }
}
