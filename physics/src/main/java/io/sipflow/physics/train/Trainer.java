package io.sipflow.physics.train;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Precision;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.Activation;
import io.sipflow.nn.Adam;
import io.sipflow.nn.Norm;
import io.sipflow.nn.UNet;
import io.sipflow.physics.HeatExamples;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The seed's training loop: fresh heat examples every step, one SIP or GD loss, Adam on the U-Net's weights.
 * <pre>
 * Trainer t = new Trainer(config);
 * t.run(listener);                 // or: t.step() … t.test()
 * </pre>
 */
public final class Trainer {
    /** PhiFlow's {@code u_net(1, 1)}: 4 levels, 16 filters, batch norm, ReLU, circular padding (37,697 weights). */
    public static final UNet.Config UNET = new UNet.Config(1, 1, 4, 16, Norm.BATCH, Activation.RELU, Padding.CIRCULAR);

    /**
     * A freshly initialised {@link #UNET} with FLOAT32 weights, as the seed's network (PhiFlow runs it under
     * {@code math.precision(32)}); the optimizer's moments stay in double and each update is rounded once.
     */
    public static UNet newNetwork(long seed) {
        try (Precision p = Precision.use(DType.FLOAT32)) {
            return new UNet(UNET, seed);
        }
    }

    /** Told about every step and every test evaluation. */
    public interface Listener {
        void onStep(StepMetrics m);

        default void onTest(TestMetrics m) {
        }
    }

    private final TrainConfig config;
    private final UNet net;
    private final Adam adam;
    private final SplittableRandom data;
    private final Tensor testX;
    private final List<StepMetrics> steps = new ArrayList<>();
    private final List<TestMetrics> tests = new ArrayList<>();

    public Trainer(TrainConfig config) {
        this.config = config;
        this.net = newNetwork(config.seed());
        this.adam = new Adam(net.parameters(), config.learningRate());
        this.data = new SplittableRandom(config.seed()).split();
        int r = config.resolution();
        this.testX = HeatExamples.generate(config.testBatch(), r, r, new SplittableRandom(config.testSeed()));
    }

    /** Trains for {@code config.steps()} steps, testing at step 0, every {@code testEvery} steps and at the end. */
    public void run(Listener listener) {
        listener.onTest(test());
        for (int s = 0; s < config.steps(); s++) {
            listener.onStep(step());
            int done = s + 1;
            if (done % config.testEvery() == 0 || done == config.steps()) {
                listener.onTest(test());
            }
        }
    }

    /** One update on a fresh batch. */
    public StepMetrics step() {
        long t0 = System.nanoTime();
        int r = config.resolution();
        Tensor xGt = HeatExamples.generate(config.batch(), r, r, data);
        Tensor yTarget = HeatTraining.observe(xGt);
        Tensor prediction = HeatTraining.predict(net::forward, yTarget);
        HeatTraining.StepResult result = HeatTraining.loss(config.method(), prediction, yTarget, xGt);
        // Freeing the graph during the backward pass lets each layer's saved activations go as soon as its VJP ran.
        Gradients g = Autodiff.grad(result.loss(), net.parameterValues(), Autodiff.Disconnected.ZERO,
                Autodiff.AfterBackward.FREE_GRAPH);
        adam.step(g);
        double ms = (System.nanoTime() - t0) / 1e6;
        StepMetrics m = new StepMetrics(steps.size(), result.loss().item(), BatchStats.of(result.xL2()),
                result.yL2().mean().item(), ms);
        steps.add(m);
        return m;
    }

    /** Error on the held-out batch now, labelled with the number of updates made so far. */
    public TestMetrics test() {
        TestMetrics m = evaluate(net, testX, steps.size());
        tests.add(m);
        return m;
    }

    /** Test metrics of {@code net} on ground truth {@code xGt}: the prediction from D(x_gt) against x_gt. */
    public static TestMetrics evaluate(UNet net, Tensor xGt, int step) {
        return Autodiff.noGrad(() -> {
            Tensor x = HeatTraining.predict(net::forward, HeatTraining.observe(xGt));
            BatchStats l2 = BatchStats.of(HeatTraining.l2(xGt.sub(x)));
            double l1 = HeatTraining.l1(xGt.sub(x)).mean().item();
            return new TestMetrics(step, l2.mean(), l2.std(), l1);
        });
    }

    public TrainConfig config() {
        return config;
    }

    public UNet network() {
        return net;
    }

    public Tensor testBatch() {
        return testX;
    }

    public List<StepMetrics> stepHistory() {
        return List.copyOf(steps);
    }

    public List<TestMetrics> testHistory() {
        return List.copyOf(tests);
    }
}
