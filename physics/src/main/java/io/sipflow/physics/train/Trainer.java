package io.sipflow.physics.train;

import io.sipflow.autodiff.AnomalyException;
import io.sipflow.autodiff.BufferScope;
import io.sipflow.autodiff.Solve;
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
import java.util.function.BooleanSupplier;

/**
 * The seed's training loop for any {@link Problem}: a fresh batch every step, one {@link TrainingStep}, a test
 * on a fixed held-out batch every {@code testEvery} steps.
 * <pre>{@code
 * TrainConfig config = TrainConfig.builder().problem("sin").option("xi", 1).option("angle", 0)
 *         .method(Method.SIP).steps(40).batch(16).testBatch(64).testEvery(20).build();
 * Trainer trainer = new Trainer(config);
 * List<TestMetrics> tests = new ArrayList<>();
 * trainer.run(new Trainer.Listener() {
 *     public void onStep(StepMetrics m) { }
 *     public void onTest(TestMetrics m) { tests.add(m); }
 * });
 * int testCount = tests.size();                            // → 3
 * int stepCount = trainer.stepHistory().size();            // → 40
 * boolean learned = tests.get(2).headline().mean() < tests.get(0).headline().mean() / 10;   // → true
 * }</pre>
 * Tests run at steps 0, 20 and 40; the sin problem's headline metric is y_l2 = ½‖P(x) − y*‖². One can also drive
 * the loop by hand with {@link #step()} and {@link #test()}.
 *
 * <p>A step that meets a NaN or an infinity changes nothing; {@link #run} then stops and {@link #divergence()}
 * says at which step and where. {@link TrainerState} saves and restores everything a run needs to continue
 * exactly.
 */
public final class Trainer {
    /** Told about every step, every test evaluation and every time a checkpoint is due. */
    public interface Listener {
        /**
         * Called after every training step.
         *
         * @param m the step's loss, headline statistics, y_l2 and wall time
         */
        void onStep(StepMetrics m);

        /**
         * Called after every test evaluation (at step 0, every {@code testEvery} steps and at the end); does nothing by
         * default.
         *
         * @param m the held-out batch's metrics
         */
        default void onTest(TestMetrics m) {
        }

        /**
         * After step {@code step}, when the config's checkpoint interval says so; does nothing by default.
         *
         * @param step the number of steps done
         */
        default void onCheckpointDue(int step) {
        }
    }

    /**
     * Where a run stopped: on a non-finite value, or on a physics solve that did not converge
     * ({@link Solve.NotConverged}); either way that step's update was not applied.
     *
     * @param step the step that was not applied (steps count from 0)
     * @param what what went wrong, e.g. "non-finite values in the gradient of inc.conv1.weight (…)"
     * @param solverIterations the iterations the solver made before it gave up, or -1 when it was not the solver
     * @param solverResidual the worst relative residual ‖r‖/‖b‖ the solver reached, or NaN when it was not the
     *        solver
     */
    public record Divergence(int step, String what, int solverIterations, double solverResidual) {
        /**
         * A stop on a non-finite value (no solver involved).
         *
         * @param step the step that was not applied
         * @param what what went non-finite
         */
        public Divergence(int step, String what) {
            this(step, what, -1, Double.NaN);
        }

        /** {@return whether a physics solve that did not converge stopped the run} */
        public boolean solverFailed() {
            return solverIterations >= 0;
        }
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
    private boolean stoppedByTimeBudget;
    /** The summed step time of the first {@code timedSteps} steps, kept so the budget check is O(1) a step. */
    private double timedMs;
    private int timedSteps;

    /**
     * A trainer at step 0: the problem and network built from {@code config}, the optimizer its method uses, the
     * data stream split off the seed and the test batch drawn from the test seed.
     *
     * @param config the run's settings
     * @throws IllegalArgumentException for an unknown problem or a missing problem option
     */
    public Trainer(TrainConfig config) {
        this(config, Problems.create(config));
    }

    /**
     * A trainer at step 0 for a problem built by the caller (one not in {@link Problems}, or one with other solver
     * settings); everything else as {@link #Trainer(TrainConfig)}.
     *
     * @param config the run's settings
     * @param problem the problem to train on; its id must be {@code config.problem()}
     * @throws IllegalArgumentException if the problem's id is not the config's
     */
    public Trainer(TrainConfig config, Problem problem) {
        if (!problem.id().equals(config.problem())) {
            throw new IllegalArgumentException("Trainer: the problem's id '" + problem.id()
                    + "' is not the config's problem '" + config.problem() + "'");
        }
        this.config = config;
        this.problem = problem;
        this.net = problem.newNetwork(config.seed());
        this.optimizer = TrainingStep.newOptimizer(config, net);
        this.data = new SplittableRandom(config.seed()).split();
        this.testBatch = problem.sample(config.testBatch(), new SplittableRandom(config.testSeed()));
    }

    /**
     * Trains until {@code config.steps()} steps are done or, with a time budget, until the steps' summed wall time
     * reaches it ({@link #stoppedByTimeBudget()}); tests at step 0, every {@code testEvery} steps and at the end;
     * stops early at a non-finite value or a physics solve that does not converge. A restored trainer continues
     * where its checkpoint was, its budget counting the restored steps' time.
     *
     * @param listener told about every step, test and due checkpoint
     */
    public void run(Listener listener) {
        run(listener, () -> false);
    }

    /**
     * As {@link #run(Listener)}, but returns early, between two steps, once {@code stopRequested} says so (a
     * signal asked the run to end): every step made is complete and can be checkpointed.
     *
     * @param listener      told about every step, test and due checkpoint
     * @param stopRequested asked before each step; true ends the run there
     */
    public void run(Listener listener, BooleanSupplier stopRequested) {
        if (tests.isEmpty()) {
            listener.onTest(test());
        }
        while (steps.size() < config.steps() && !stopRequested.getAsBoolean()) {
            if (budgetUsed()) {
                stoppedByTimeBudget = true;
                if (tests.get(tests.size() - 1).step() != steps.size()) {
                    listener.onTest(test()); // the run's end: every run ends with a test of its last weights
                }
                return;
            }
            StepMetrics m;
            try {
                m = step();
            } catch (NonFiniteException e) {
                divergence = new Divergence(steps.size(), e.what());
                return;
            } catch (AnomalyException e) {
                divergence = new Divergence(steps.size(), e.getMessage());
                return;
            } catch (Solve.NotConverged e) {
                // The solve is part of the loss or its gradient: the step stopped before the optimizer, as a
                // non-finite value stops it, and the run cannot go on with weights whose physics has no answer.
                divergence = new Divergence(steps.size(), "a physics solve that failed after "
                        + e.iterations() + " iterations: " + e.getMessage(), e.iterations(), e.relativeResidual());
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

    /** Whether the time budget is set and the steps so far have used it up. */
    private boolean budgetUsed() {
        if (config.timeBudgetSeconds() <= 0) {
            return false;
        }
        return trainedSeconds() >= config.timeBudgetSeconds();
    }

    /**
     * {@return the summed wall time of the steps made so far, in seconds (what a time budget counts: data, forward,
     * backward and update; tests and checkpoints do not count)}
     */
    public double trainedSeconds() {
        for (; timedSteps < steps.size(); timedSteps++) {
            timedMs += steps.get(timedSteps).stepMs();
        }
        return timedMs / 1e3;
    }

    /** {@return whether the last {@link #run} ended because the steps' time reached the config's time budget} */
    public boolean stoppedByTimeBudget() {
        return stoppedByTimeBudget;
    }

    /**
     * The training batches' mean of {@code metric} over the last {@code percent} % of the steps made (the SIP
     * authors' "converged performance": steps from ⌊n·(100 − percent)/100⌋ on, of n).
     *
     * @param metric a metric the problem reports, e.g. "x_dist"
     * @param percent the share of steps, 1…100
     * @return the mean, or NaN when no step has been made or the steps do not carry the metric (restored from an
     *         older checkpoint)
     * @throws IllegalArgumentException if percent is outside 1…100
     */
    public double meanOverLastSteps(String metric, int percent) {
        if (percent < 1 || percent > 100) {
            throw new IllegalArgumentException("meanOverLastSteps: percent must be in 1..100, got " + percent);
        }
        int n = steps.size();
        int from = (int) ((long) n * (100 - percent) / 100);
        double sum = 0;
        for (int i = from; i < n; i++) {
            Double v = steps.get(i).means().get(metric);
            if (v == null) {
                return Double.NaN;
            }
            sum += v;
        }
        return n == from ? Double.NaN : sum / (n - from);
    }

    /**
     * One update on a fresh batch.
     *
     * @return the step's metrics (also appended to {@link #stepHistory()})
     * @throws NonFiniteException if the loss, a gradient or an updated weight is not finite; only the data stream
     *         has moved then
     */
    public StepMetrics step() {
        long t0 = System.nanoTime();
        Problem.Batch batch = problem.sample(config.batch(), data);
        Training.Step<TrainingStep.Outputs> s = TrainingStep.run(problem, config.method(), net, optimizer, batch);
        Tensor x = s.aux().x();
        Tensor y = s.aux().y();
        double yL2;
        double ms;
        BatchStats stats;
        LinkedHashMap<String, Double> means = new LinkedHashMap<>();
        try (BufferScope metricsScope = BufferScope.noGrad("step metrics")) {
            LinkedHashMap<String, Tensor> metrics = problem.metrics(x, batch);
            Map.Entry<String, Tensor> headline = metrics.entrySet().iterator().next();
            yL2 = Problem.l2(y.sub(batch.yTarget())).mean().item();
            ms = (System.nanoTime() - t0) / 1e6;
            stats = BatchStats.of(headline.getValue());
            for (Map.Entry<String, Tensor> e : metrics.entrySet()) {
                means.put(e.getKey(), e.getKey().equals(headline.getKey()) ? stats.mean() : e.getValue().mean().item());
            }
        }
        StepMetrics m = new StepMetrics(steps.size(), s.loss().item(), stats, yL2, ms, means);
        steps.add(m);
        return m;
    }

    /**
     * Error on the held-out batch now, labelled with the number of updates made so far; the network is left as it
     * was.
     *
     * @return the metrics (also appended to {@link #testHistory()})
     */
    public TestMetrics test() {
        TestMetrics m = evaluate(problem, net, testBatch, steps.size());
        tests.add(m);
        return m;
    }

    /**
     * Test metrics of {@code net} on {@code batch}. The network is left as it was: batch norm normalises with the
     * batch's statistics (as in training, the seed's convention) but its running statistics are not updated.
     *
     * @param problem the problem the network solves
     * @param net the network
     * @param batch the held-out batch
     * @param step the label for the result (updates made so far)
     * @return the problem's metrics, the first as the headline
     */
    public static TestMetrics evaluate(Problem problem, Module net, Problem.Batch batch, int step) {
        try (BatchNorm2d.StatisticsFrozen frozen = BatchNorm2d.statisticsFrozen();
             BufferScope eval = BufferScope.noGrad("test-set evaluation")) { // its activations go back to the pool
            Tensor x = problem.predict(net, batch.yTarget());
            LinkedHashMap<String, Tensor> metrics = problem.metrics(x, batch);
            String first = metrics.keySet().iterator().next();
            BatchStats headline = BatchStats.of(metrics.get(first));
            LinkedHashMap<String, Double> means = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : metrics.entrySet()) {
                means.put(e.getKey(), e.getKey().equals(first) ? headline.mean() : e.getValue().mean().item());
            }
            return new TestMetrics(step, first, headline, means);
        }
    }

    /**
     * Every metric's batch mean for the trivial estimate x = 0 on the test batch: the baseline a trained network
     * must beat ({@link Stability}). The network only supplies the estimate's shape and type; nothing changes.
     *
     * @return metric name to batch mean, in the problem's report order
     */
    public LinkedHashMap<String, Double> zeroEstimateMetrics() {
        try (BatchNorm2d.StatisticsFrozen frozen = BatchNorm2d.statisticsFrozen();
             BufferScope eval = BufferScope.noGrad("zero-estimate metrics")) {
            Tensor x = problem.predict(net, testBatch.yTarget());
            LinkedHashMap<String, Double> means = new LinkedHashMap<>();
            problem.metrics(Tensor.full(x.dtype(), x.shape(), 0.0), testBatch)
                    .forEach((name, perExample) -> means.put(name, perExample.mean().item()));
            return means;
        }
    }

    /** Advances the data stream past {@code batches} training batches (resume). */
    void skipBatches(int batches) {
        for (int i = 0; i < batches; i++) {
            problem.skip(config.batch(), data);
        }
    }

    /** {@return the settings this trainer was built from (problem, method, steps, seeds, …)} */
    public TrainConfig config() {
        return config;
    }

    /** {@return the problem being trained on, built from the config by {@link Problems#create}} */
    public Problem problem() {
        return problem;
    }

    /** {@return the network being trained (its parameters change with every step)} */
    public Module network() {
        return net;
    }

    /** {@return the optimizer: Adam for SIP and GD, SGD for SGD and HIG} */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** {@return the fixed held-out batch, drawn from the test seed} */
    public Problem.Batch testBatch() {
        return testBatch;
    }

    /** {@return where the run stopped on a non-finite value, or null while it is healthy} */
    public Divergence divergence() {
        return divergence;
    }

    /** {@return every step's metrics so far, in order (a copy)} */
    public List<StepMetrics> stepHistory() {
        return List.copyOf(steps);
    }

    /** {@return every test result so far, in order (a copy)} */
    public List<TestMetrics> testHistory() {
        return List.copyOf(tests);
    }
}
