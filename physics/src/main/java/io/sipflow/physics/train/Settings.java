package io.sipflow.physics.train;

import io.sipflow.nn.AdaHessian;
import io.sipflow.nn.Adam;
import io.sipflow.nn.HessianFree;

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

    /** The arithmetic of the problem's network and SIP inverse step ("auto": the problem's own choice). */
    public static final Setting<String> DTYPE = declare(Setting.of("dtype", String.class, "auto", t -> t, v -> v)
            .flag("--dtype", "float32|float64")
            .must(v -> v.equals("auto") || v.equals("float32") || v.equals("float64"), "auto, float32 or float64")
            .help("arithmetic of the network and SIP's inverse step; sin: float32 runs data, physics and Newton step"
                    + " in float32 too (--preset paper); heat, poisson: float32 only (their U-Net)")
            .example("float32").recordedOnlyOffDefault());

    /** SIP's network loss of the prediction against its target. */
    public static final Setting<io.sipflow.physics.problem.SipLoss> SIP_LOSS = declare(Setting.of("sip_loss",
                    io.sipflow.physics.problem.SipLoss.class, io.sipflow.physics.problem.SipLoss.L2_SUM,
                    io.sipflow.physics.problem.SipLoss::parse, io.sipflow.physics.problem.SipLoss::id)
            .flag("--sip-loss", "l2-sum|l1-mean").noun("SIP loss")
            .help("SIP's network loss: l2-sum (sum over the batch of 1/2|pred - target|^2) or the SIP authors' sin"
                    + " loss l1-mean (mean over the batch of |pred - target|_1)")
            .example("l1-mean").recordedOnlyOffDefault());

    /** Training time after which a run stops (0: none), in seconds of summed step time. */
    public static final Setting<Double> TIME_BUDGET = declare(Setting.of("time_budget_seconds", Double.class, 0.0,
                    Durations::seconds, v -> v)
            .flag("--time-budget", "DURATION").must(v -> v >= 0 && Double.isFinite(v), "a finite duration >= 0")
            .noun("time budget")
            .help("stop each run once its steps took this long (600s, 10m, 1.5h; 0 = none; tests and checkpoints do"
                    + " not count); run.json records the steps reached, --resume continues with them as its step budget")
            .example("60s").resumable().recordedOnlyOffDefault());

    /** The named configuration a run's settings came from ({@code --preset paper}); chosen by the option itself. */
    public static final Setting<String> PRESET = declare(Setting.of("preset", String.class, "none", t -> t, v -> v)
            .flag("--preset", "NAME").must(v -> v.equals("none") || v.equals(BuiltInProblems.PAPER), "none or paper")
            .help("the SIP authors' settings for the problem (paper)").example(BuiltInProblems.PAPER)
            .chosenByCommand().recordedOnlyOffDefault());

    /** AdaHessian's β₁, the decay of the gradient's moving average (the authors' 0.9). */
    public static final Setting<Double> ADAHESSIAN_BETA1 = declare(Setting.real("adahessian_beta1",
                    AdaHessian.Settings.DEFAULTS.beta1())
            .flag("--adahessian-beta1", "B1").must(v -> v >= 0 && v < 1, "in [0, 1)").noun("AdaHessian beta1")
            .help("AdaHessian: decay of the gradient's moving average").example("0.8").recordedOnlyOffDefault());

    /** AdaHessian's β₂, the decay of the squared Hessian diagonal's moving average (the authors' 0.999). */
    public static final Setting<Double> ADAHESSIAN_BETA2 = declare(Setting.real("adahessian_beta2",
                    AdaHessian.Settings.DEFAULTS.beta2())
            .flag("--adahessian-beta2", "B2").must(v -> v >= 0 && v < 1, "in [0, 1)").noun("AdaHessian beta2")
            .help("AdaHessian: decay of the squared Hessian diagonal's moving average").example("0.99")
            .recordedOnlyOffDefault());

    /** AdaHessian's ε (the authors' 1e-4). */
    public static final Setting<Double> ADAHESSIAN_EPSILON = declare(Setting.real("adahessian_epsilon",
                    AdaHessian.Settings.DEFAULTS.eps())
            .flag("--adahessian-epsilon", "EPS").must(v -> v > 0 && Double.isFinite(v), "a finite number > 0")
            .noun("AdaHessian epsilon").help("AdaHessian: added to the denominator").example("1e-6")
            .recordedOnlyOffDefault());

    /** AdaHessian's Hessian power k (the authors' 1). */
    public static final Setting<Double> HESSIAN_POWER = declare(Setting.real("hessian_power",
                    AdaHessian.Settings.DEFAULTS.hessianPower())
            .flag("--hessian-power", "K").must(v -> v > 0 && v <= 1, "in (0, 1]").noun("Hessian power")
            .help("AdaHessian: exponent k of the diagonal's root mean square in the denominator").example("0.5")
            .recordedOnlyOffDefault());

    /** AdaHessian's weight decay (the authors' 0). */
    public static final Setting<Double> WEIGHT_DECAY = declare(Setting.real("weight_decay",
                    AdaHessian.Settings.DEFAULTS.weightDecay())
            .flag("--weight-decay", "WD").must(v -> v >= 0 && Double.isFinite(v), "a finite number >= 0")
            .noun("weight decay").help("AdaHessian: decoupled weight decay").example("1e-4")
            .recordedOnlyOffDefault());

    /** Hessian-free's initial Tikhonov damping λ. */
    public static final Setting<Double> HF_DAMPING = declare(Setting.real("hf_damping",
                    HessianFree.Settings.DEFAULTS.damping())
            .flag("--hf-damping", "LAMBDA").must(v -> v >= 0 && Double.isFinite(v), "a finite number >= 0")
            .noun("Hessian-free damping").help("Hessian-free: initial Tikhonov damping lambda").example("10")
            .recordedOnlyOffDefault());

    /** Hessian-free's cap on conjugate-gradient iterations per step. */
    public static final Setting<Integer> HF_CG_ITERATIONS = declare(Setting.integer("hf_cg_iterations",
                    HessianFree.Settings.DEFAULTS.cgIterations())
            .flag("--hf-cg-iterations", "N").must(v -> v >= 1, ">= 1").noun("Hessian-free CG iterations")
            .help("Hessian-free: at most N conjugate-gradient iterations (Gauss-Newton products) per step")
            .example("3").recordedOnlyOffDefault());

    /** Hessian-free's relative tolerance that ends conjugate gradients early. */
    public static final Setting<Double> HF_CG_TOLERANCE = declare(Setting.real("hf_cg_tolerance",
                    HessianFree.Settings.DEFAULTS.cgTolerance())
            .flag("--hf-cg-tolerance", "TOL").must(v -> v >= 0 && v < 1, "in [0, 1)")
            .noun("Hessian-free CG tolerance")
            .help("Hessian-free: conjugate gradients stop when the residual falls below TOL times the gradient")
            .example("1e-3").recordedOnlyOffDefault());

    /** Whether Hessian-free keeps its damping fixed instead of the Levenberg–Marquardt rule. */
    public static final Setting<Boolean> HF_FIXED_DAMPING = declare(Setting.yesNo("hf_fixed_damping")
            .flag("--hf-fixed-damping", "").help("Hessian-free: keep the damping fixed (no Levenberg-Marquardt rule)")
            .example("true").recordedOnlyOffDefault());

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
