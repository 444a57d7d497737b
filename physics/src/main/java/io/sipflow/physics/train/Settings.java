package io.sipflow.physics.train;

import io.sipflow.nn.Adam;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Every setting of a training run, each declared once ({@link Setting}); the order here is run.json's order.
 * {@link TrainConfig}, the command line's options, the resume check and the help are derived from this list, so a
 * new setting is one declaration here (plus the code that uses it). A setting added after 0.2.0 must be
 * {@code recordedOnlyOffDefault()}, so that runs which do not use it keep their run.json and run identity.
 */
public final class Settings {
    private static final List<Setting<?>> DECLARED = new ArrayList<>();

    private Settings() {
    }

    private static <T> Setting<T> declare(Setting.Declaration<T> d) {
        Setting<T> s = d.build();
        for (Setting<?> other : DECLARED) {
            if (other.key().equals(s.key()) || other.flag().equals(s.flag())) {
                throw new IllegalStateException("setting " + s.key() + " (" + s.flag() + ") is declared twice");
            }
        }
        DECLARED.add(s);
        return s;
    }

    /** The problem's id. */
    public static final Setting<String> PROBLEM = declare(Setting.of("problem", String.class, "heat", t -> t, v -> v)
            .flag("--problem", "NAME").must(v -> !v.isBlank(), "a problem's name").noun("problem")
            .help("the inverse problem, listed below").example("poisson"));

    /** How the weights are updated. */
    public static final Setting<Method> METHOD = declare(Setting.of("method", Method.class, Method.SIP, Method::parse,
                    Method::id)
            .flag("--method", "METHOD").help("the training method").example("gd").chosenByCommand());

    /** Training steps. */
    public static final Setting<Integer> STEPS = declare(Setting.integer("steps", 300)
            .flag("--steps", "N").must(v -> v >= 0, ">= 0").help("training steps").example("2")
            .suggestedByProblem().resumable());

    /** Examples per training batch. */
    public static final Setting<Integer> BATCH = declare(Setting.integer("batch", 32)
            .flag("--batch", "B").must(v -> v >= 1, ">= 1").help("examples per step").example("4")
            .suggestedByProblem());

    /** The grid size R of the problems on a grid; recorded only for them. */
    public static final Setting<Integer> RESOLUTION = declare(Setting.integer("resolution", 32)
            .flag("--resolution", "R")
            .must(v -> v >= 8 && v % 8 == 0,
                    "a positive multiple of 2^3 = 8, which a 4-level U-Net needs (try 16, 32 or 64)")
            .help("problems on a grid: size R x R, a multiple of 8").example("8").suggestedByProblem()
            .recordedOnlyIf(c -> Problems.usesResolution(c.problem())));

    /** Seed of the initial weights and the training data. */
    public static final Setting<Long> SEED = declare(Setting.longInteger("seed", 0)
            .flag("--seed", "S").help("seed of initial weights and training data").example("3"));

    /** The optimizer's learning rate. */
    public static final Setting<Double> LEARNING_RATE = declare(Setting.real("learning_rate", 1e-3)
            .flag("--lr", "RATE").must(v -> v > 0 && Double.isFinite(v), "a finite number > 0")
            .noun("learning rate").help("learning rate").example("0.002").suggestedByProblem());

    /** Adam's ε. */
    public static final Setting<Double> ADAM_EPSILON = declare(Setting.real("adam_epsilon", Adam.DEFAULT_EPS)
            .flag("--adam-epsilon", "EPS").must(v -> v > 0 && Double.isFinite(v), "a finite number > 0")
            .noun("Adam epsilon").help("Adam's epsilon (sip, gd)").example("1e-6").suggestedByProblem());

    /** SGD's momentum factor. */
    public static final Setting<Double> MOMENTUM = declare(Setting.real("momentum", 0)
            .flag("--momentum", "MU").must(v -> v >= 0 && v < 1, "in [0, 1)").noun("SGD momentum")
            .help("SGD's momentum factor in [0, 1); the Adam methods ignore it").example("0.5")
            .suggestedByProblem().recordedOnlyOffDefault());

    /** Nesterov's momentum for SGD. */
    public static final Setting<Boolean> NESTEROV = declare(Setting.yesNo("nesterov")
            .flag("--nesterov", "").help("SGD: Nesterov's momentum instead of heavy-ball (needs --momentum > 0)")
            .example("true").recordedOnlyOffDefault());

    /** Examples in the held-out test batch. */
    public static final Setting<Integer> TEST_BATCH = declare(Setting.integer("test_batch", 64)
            .flag("--test-batch", "B").must(v -> v >= 1, ">= 1").noun("test batch")
            .help("size of the held-out test batch").example("4").suggestedByProblem());

    /** Seed of the held-out test batch. */
    public static final Setting<Long> TEST_SEED = declare(Setting.longInteger("test_seed", 1)
            .flag("--test-seed", "S").help("seed of the held-out test batch").example("5"));

    /** Steps between tests. */
    public static final Setting<Integer> TEST_EVERY = declare(Setting.integer("test_every", 50)
            .flag("--test-every", "N").must(v -> v >= 1, ">= 1").noun("test interval")
            .help("evaluate the test batch every N steps").example("1").suggestedByProblem());

    /** Steps between checkpoints. */
    public static final Setting<Integer> CHECKPOINT_EVERY = declare(Setting.integer("checkpoint_every", 100)
            .flag("--checkpoint-every", "N").must(v -> v >= 0, ">= 0 (0: only at the end)")
            .noun("checkpoint interval").help("write DIR/checkpoint.npz every N steps, 0 = only at the end")
            .example("1").suggestedByProblem().resumable());

    /** {@return every declared setting, in run.json's order} */
    public static List<Setting<?>> all() {
        return Collections.unmodifiableList(DECLARED);
    }

    /**
     * The setting with run.json name {@code key}.
     *
     * @param key e.g. "learning_rate"
     * @return it, or empty for a name no setting has (run.json also holds results)
     */
    public static Optional<Setting<?>> byKey(String key) {
        return DECLARED.stream().filter(s -> s.key().equals(key)).findFirst();
    }
}
