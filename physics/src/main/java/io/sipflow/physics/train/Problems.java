package io.sipflow.physics.train;

import io.sipflow.physics.problem.HeatProblem;
import io.sipflow.physics.problem.PoissonProblem;
import io.sipflow.physics.problem.Problem;
import io.sipflow.physics.problem.SinProblem;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The problems {@code --problem} can name: one line each, id → how to build it from a run's settings, and the
 * settings it suggests where the user gave none (learning rate, steps, batch ...).
 */
public final class Problems {
    /**
     * A registered problem: its factory and its default settings.
     *
     * @param id the problem's name ("heat", "poisson", "sin")
     * @param factory builds the problem from a run's settings
     * @param defaults fills in the settings the problem suggests where the user gave none
     */
    public record Entry(String id, Function<TrainConfig, Problem> factory, UnaryOperator<TrainConfig.Builder> defaults) {
    }

    private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

    static {
        register("heat", c -> new HeatProblem(c.resolution()), b -> b);
        register("poisson", c -> new PoissonProblem(c.resolution()), Problems::poissonDefaults);
        register("sin", c -> new SinProblem(c.option("xi"), c.option("angle")), Problems::sinDefaults);
    }

    /**
     * The authors' settings (sin_characterization/train_sin.py): batch 100; Adam (SIP, GD) at 1e-3 with PyTorch's
     * ε = 1e-8; SGD at 1e-2/ξ² for their batch-mean loss, so 1e-4/ξ² for sipflow's batch sum. HIG's rate is ours:
     * its step along the stiffest direction grows like √σ_max ∝ √ξ, so 0.1/√ξ (0.1 is stable at ξ = 1, 0.3 is not).
     * SIP, GD and SGD steps cost well under a millisecond, a HIG step (200 backward passes and a 200 × 200
     * eigendecomposition) about 50 ms: 20,000 steps for the former, 1,000 for HIG (a compare at the defaults takes about 2 minutes on 2 cores).
     */
    private static TrainConfig.Builder sinDefaults(TrainConfig.Builder b) {
        if (!b.options().containsKey("xi")) {
            b.option("xi", 10);     // the authors' default conditioning
        }
        if (!b.options().containsKey("angle")) {
            b.option("angle", 45);  // and rotation, in degrees
        }
        double xi = b.options().get("xi");
        b.batch(100).testBatch(1000).adamEpsilon(1e-8);
        switch (b.method()) {
            case SIP, GD -> b.learningRate(1e-3).steps(20_000).testEvery(500).checkpointEvery(5_000);
            case SGD -> b.learningRate(1e-4 / (xi * xi)).steps(20_000).testEvery(500).checkpointEvery(5_000);
            case HIG -> b.learningRate(0.1 / Math.sqrt(xi)).steps(1_000).testEvery(25).checkpointEvery(250);
        }
        return b;
    }

    /**
     * The authors' Poisson script trains with torch's Adam: ε = 1e-8, not PhiFlow's 1e-7. Their SGD uses momentum
     * 0.9 at lr 3e-12 on their loss scale; plain SGD diverges at step 2 here at any rate tried down to 1e-6. On
     * sipflow's batch-summed ½‖P(pred) − y*‖² (32², batch 32, 100 steps) momentum 0.9 gave test x_l2 272 at lr 1e-8,
     * 199 at 1e-9, 265 at 1e-10, 398 at 1e-11 and diverged at 1e-6: so 0.9 at 1e-9.
     */
    private static TrainConfig.Builder poissonDefaults(TrainConfig.Builder b) {
        b.adamEpsilon(1e-8);
        if (b.method() == Method.SGD) {
            b.learningRate(1e-9).momentum(0.9);
        }
        return b;
    }

    private Problems() {
    }

    private static void register(String id, Function<TrainConfig, Problem> factory,
                                 UnaryOperator<TrainConfig.Builder> defaults) {
        REGISTRY.put(id, new Entry(id, factory, defaults));
    }

    /**
     * The entry for {@code id}.
     *
     * @param id a problem's name
     * @return its registration
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static Entry named(String id) {
        Entry e = REGISTRY.get(id);
        if (e == null) {
            throw new IllegalArgumentException("unknown problem '" + id + "'; expected one of "
                    + String.join(", ", REGISTRY.keySet()));
        }
        return e;
    }

    /**
     * The problem a run of {@code config} trains on.
     *
     * @param config a run's settings; {@link TrainConfig#problem()} names the problem
     * @return a new problem instance
     * @throws IllegalArgumentException for an unknown problem or a missing problem option
     */
    public static Problem create(TrainConfig config) {
        return named(config.problem()).factory().apply(config);
    }

    /** {@return the known ids, in registration order} */
    public static Iterable<String> ids() {
        return REGISTRY.keySet();
    }
}
