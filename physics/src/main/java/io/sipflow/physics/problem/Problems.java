package io.sipflow.physics.problem;

import io.sipflow.physics.train.TrainConfig;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The problems {@code --problem} can name: one line each, id → how to build it from a run's settings, and the
 * settings it suggests where the user gave none (learning rate, steps, batch ...).
 */
public final class Problems {
    /** A registered problem: its factory and its default settings. */
    public record Entry(String id, Function<TrainConfig, Problem> factory, UnaryOperator<TrainConfig.Builder> defaults) {
    }

    private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

    static {
        register("heat", c -> new HeatProblem(c.resolution()), b -> b);
        // The authors' Poisson script trains with torch's Adam: eps 1e-8, not PhiFlow's 1e-7.
        register("poisson", c -> new PoissonProblem(c.resolution()), b -> b.adamEpsilon(1e-8));
    }

    private Problems() {
    }

    private static void register(String id, Function<TrainConfig, Problem> factory,
                                 UnaryOperator<TrainConfig.Builder> defaults) {
        REGISTRY.put(id, new Entry(id, factory, defaults));
    }

    /** The entry for {@code id}, or an error listing the known ones. */
    public static Entry named(String id) {
        Entry e = REGISTRY.get(id);
        if (e == null) {
            throw new IllegalArgumentException("unknown problem '" + id + "'; expected one of "
                    + String.join(", ", REGISTRY.keySet()));
        }
        return e;
    }

    /** The problem a run of {@code config} trains on. */
    public static Problem create(TrainConfig config) {
        return named(config.problem()).factory().apply(config);
    }

    /** Known ids, in registration order. */
    public static Iterable<String> ids() {
        return REGISTRY.keySet();
    }
}
