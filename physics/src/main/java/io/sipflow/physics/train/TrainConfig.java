package io.sipflow.physics.train;

import io.sipflow.autodiff.DType;
import io.sipflow.nn.Adam;
import io.sipflow.physics.problem.SipLoss;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of one training run, built by name; the defaults live in {@link Builder} and nowhere else:
 * <pre>
 *   TrainConfig c = TrainConfig.builder().method(Method.GD).steps(100).resolution(16).build();
 * </pre>
 * The network's initial weights come from {@code seed}; the training batches from a stream split off
 * {@code seed}; the held-out test batch from {@code testSeed}. Runs that differ only in {@code method} therefore
 * start from identical weights and see identical batches. {@link #settings()} lists every setting by its
 * run.json name, and {@link #fromSettings} reads them back (resume, evaluate).
 */
public final class TrainConfig {
    private final String problem;
    private final Method method;
    private final int steps;
    private final int batch;
    private final int resolution;
    private final long seed;
    private final double learningRate;
    private final double adamEpsilon;
    private final double momentum;
    private final boolean nesterov;
    private final int testBatch;
    private final long testSeed;
    private final int testEvery;
    private final int checkpointEvery;
    private final DType dtype;
    private final SipLoss sipLoss;
    private final double timeBudgetSeconds;
    private final String preset;
    private final Map<String, Double> options;

    private TrainConfig(Builder b) {
        require(b.problem != null && !b.problem.isBlank(), "problem must be named");
        require(b.method != null, "method must be given");
        require(b.steps >= 0, "steps must be >= 0, got " + b.steps);
        require(b.batch >= 1, "batch must be >= 1, got " + b.batch);
        require(b.testBatch >= 1, "test batch must be >= 1, got " + b.testBatch);
        require(b.testEvery >= 1, "test interval must be >= 1, got " + b.testEvery);
        require(b.checkpointEvery >= 0, "checkpoint interval must be >= 0 (0: only at the end), got "
                + b.checkpointEvery);
        require(b.learningRate > 0 && Double.isFinite(b.learningRate),
                "learning rate must be a finite number > 0, got " + b.learningRate);
        require(b.adamEpsilon > 0 && Double.isFinite(b.adamEpsilon),
                "Adam epsilon must be a finite number > 0, got " + b.adamEpsilon);
        require(b.momentum >= 0 && b.momentum < 1, "SGD momentum must be in [0, 1), got " + b.momentum);
        require(!b.nesterov || b.momentum > 0, "Nesterov momentum needs a momentum > 0 (give --momentum)");
        require(b.timeBudgetSeconds >= 0 && Double.isFinite(b.timeBudgetSeconds),
                "time budget must be a finite number of seconds >= 0 (0: none), got " + b.timeBudgetSeconds);
        require(b.sipLoss != null, "SIP loss must be given");
        require(b.preset == null || b.preset.matches("[a-z][a-z0-9-]*"), "preset name '" + b.preset
                + "' is not a plain lower-case name");
        require(b.resolution >= 8 && b.resolution % 8 == 0, "resolution " + b.resolution
                + " is not a positive multiple of 2^3 = 8, which a 4-level U-Net needs (try 16, 32 or 64)");
        this.problem = b.problem;
        this.method = b.method;
        this.steps = b.steps;
        this.batch = b.batch;
        this.resolution = b.resolution;
        this.seed = b.seed;
        this.learningRate = b.learningRate;
        this.adamEpsilon = b.adamEpsilon;
        this.momentum = b.momentum;
        this.nesterov = b.nesterov;
        this.testBatch = b.testBatch;
        this.testSeed = b.testSeed;
        this.testEvery = b.testEvery;
        this.checkpointEvery = b.checkpointEvery;
        this.dtype = b.dtype;
        this.sipLoss = b.sipLoss;
        this.timeBudgetSeconds = b.timeBudgetSeconds;
        this.preset = b.preset;
        this.options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.options));
    }

    /**
     * {@return a builder at the defaults: heat, SIP, 32×32, batch 32, 300 steps, Adam lr 1e-3 (ε = PhiFlow's 1e-7),
     * test batch 64}
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder at the seed notebook's settings: 64×64, batch 128, 500 steps, Adam lr 1e-3} */
    public static Builder seedPreset() {
        return builder().steps(500).batch(128).resolution(64);
    }

    /** {@return a builder holding this config's settings} */
    public Builder toBuilder() {
        return builder().problem(problem).method(method).steps(steps).batch(batch).resolution(resolution).seed(seed)
                .learningRate(learningRate).adamEpsilon(adamEpsilon).momentum(momentum).nesterov(nesterov).testBatch(testBatch).testSeed(testSeed)
                .testEvery(testEvery).checkpointEvery(checkpointEvery).dtype(dtype).sipLoss(sipLoss)
                .timeBudgetSeconds(timeBudgetSeconds).preset(preset).options(options);
    }

    /**
     * This config with another method (the runs of {@code compare}: same weights, same batches).
     *
     * @param m the method
     * @return a copy with {@code method = m}
     */
    public TrainConfig withMethod(Method m) {
        return toBuilder().method(m).build();
    }

    /**
     * The settings a resumed run may change (--steps extends it, --checkpoint-every; a run that used up its time
     * budget continues with the steps it reached as its step budget); every other one is fixed.
     */
    public static final java.util.Set<String> RESUMABLE = java.util.Set.of("steps", "checkpoint_every",
            "time_budget_seconds");

    /**
     * {@return every setting by its run.json name ({@code learning_rate}, {@code option.xi}, …), in a fixed order;
     * {@code resolution} only for a problem on a grid; {@code momentum}, {@code nesterov}, {@code dtype},
     * {@code sip_loss}, {@code time_budget_seconds} and {@code preset} only where they are not at their defaults, so
     * a run without them has the settings (and run identity) it had before they existed}
     */
    public LinkedHashMap<String, Object> settings() {
        LinkedHashMap<String, Object> s = new LinkedHashMap<>();
        s.put("problem", problem);
        s.put("method", method.id());
        s.put("steps", steps);
        s.put("batch", batch);
        if (Problems.usesResolution(problem)) {
            s.put("resolution", resolution); // a problem without a grid ignores it, so its runs do not record it
        }
        s.put("seed", seed);
        s.put("learning_rate", learningRate);
        s.put("adam_epsilon", adamEpsilon);
        if (momentum != 0) {
            s.put("momentum", momentum);
        }
        if (nesterov) {
            s.put("nesterov", true);
        }
        s.put("test_batch", testBatch);
        s.put("test_seed", testSeed);
        s.put("test_every", testEvery);
        s.put("checkpoint_every", checkpointEvery);
        if (dtype != null) {
            s.put("dtype", dtype == DType.FLOAT32 ? "float32" : "float64");
        }
        if (sipLoss != SipLoss.L2_SUM) {
            s.put("sip_loss", sipLoss.id());
        }
        if (timeBudgetSeconds > 0) {
            s.put("time_budget_seconds", timeBudgetSeconds);
        }
        if (preset != null) {
            s.put("preset", preset);
        }
        options.forEach((name, value) -> s.put(OPTION + name, value));
        return s;
    }

    /**
     * A config from {@link #settings()}-style names (numbers as Number or text); names it does not know are
     * ignored (run.json also holds results), missing ones keep their defaults.
     *
     * @param s settings by name
     * @return the config
     * @throws IllegalArgumentException if a value is malformed or out of range, naming the setting
     */
    public static TrainConfig fromSettings(Map<String, ?> s) {
        Builder b = builder();
        for (Map.Entry<String, ?> e : s.entrySet()) {
            Object v = e.getValue();
            if (v == null) {
                continue;
            }
            String text = v.toString();
            switch (e.getKey()) {
                case "problem" -> b.problem(text);
                case "method" -> b.method(Method.parse(text));
                case "steps" -> b.steps(asInt(e.getKey(), v));
                case "batch" -> b.batch(asInt(e.getKey(), v));
                case "resolution" -> b.resolution(asInt(e.getKey(), v));
                case "seed" -> b.seed(asLong(e.getKey(), v));
                case "learning_rate" -> b.learningRate(Double.parseDouble(text));
                case "adam_epsilon" -> b.adamEpsilon(Double.parseDouble(text));
                case "momentum" -> b.momentum(Double.parseDouble(text));
                case "nesterov" -> b.nesterov(Boolean.parseBoolean(text));
                case "test_batch" -> b.testBatch(asInt(e.getKey(), v));
                case "test_seed" -> b.testSeed(asLong(e.getKey(), v));
                case "test_every" -> b.testEvery(asInt(e.getKey(), v));
                case "checkpoint_every" -> b.checkpointEvery(asInt(e.getKey(), v));
                case "dtype" -> b.dtype(parseDType(text));
                case "sip_loss" -> b.sipLoss(SipLoss.parse(text));
                case "time_budget_seconds" -> b.timeBudgetSeconds(Double.parseDouble(text));
                case "preset" -> b.preset(text);
                default -> {
                    if (e.getKey().startsWith(OPTION)) {
                        b.option(e.getKey().substring(OPTION.length()), Double.parseDouble(text));
                    }
                }
            }
        }
        return b.build();
    }

    /**
     * The type named {@code text}.
     *
     * @param text "float32" or "float64" (any case)
     * @return the type
     * @throws IllegalArgumentException for another name
     */
    public static DType parseDType(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "float32" -> DType.FLOAT32;
            case "float64" -> DType.FLOAT64;
            default -> throw new IllegalArgumentException("unknown dtype '" + text + "'; expected float32 or float64");
        };
    }

    private static long asLong(String name, Object v) {
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return v instanceof Long l ? l : (long) n.doubleValue();
        }
        try {
            return Long.parseLong(v.toString());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + name + " must be a whole number, got " + v);
        }
    }

    private static int asInt(String name, Object v) {
        long l = asLong(name, v);
        require(l == (int) l, "setting " + name + " is out of range: " + v);
        return (int) l;
    }

    /** {@return the problem's id ("heat", "poisson", "sin")} */
    public String problem() { return problem; }
    /** {@return how the weights are updated} */
    public Method method() { return method; }
    /** {@return the number of training steps, ≥ 0} */
    public int steps() { return steps; }
    /** {@return examples per training batch, ≥ 1} */
    public int batch() { return batch; }
    /** {@return the grid size R of the field problems, in cells (a multiple of 8)} */
    public int resolution() { return resolution; }
    /** {@return the seed of the initial weights and of the training data stream} */
    public long seed() { return seed; }
    /** {@return the optimizer's learning rate, &gt; 0} */
    public double learningRate() { return learningRate; }
    /** {@return Adam's ε, &gt; 0} */
    public double adamEpsilon() { return adamEpsilon; }
    /** {@return SGD's momentum factor μ in [0, 1) (0: plain SGD); the Adam methods ignore it} */
    public double momentum() { return momentum; }
    /** {@return whether SGD's momentum is Nesterov's (only with a momentum &gt; 0)} */
    public boolean nesterov() { return nesterov; }
    /** {@return examples in the held-out test batch, ≥ 1} */
    public int testBatch() { return testBatch; }
    /** {@return the seed of the held-out test batch} */
    public long testSeed() { return testSeed; }
    /** {@return the number of steps between tests, ≥ 1} */
    public int testEvery() { return testEvery; }
    /** {@return the number of steps between checkpoints (0: only at the end)} */
    public int checkpointEvery() { return checkpointEvery; }
    /**
     * {@return the arithmetic the problem's network and inverse step use, or null for the problem's own choice
     * (only problems that {@linkplain ProblemProvider#settingsHonoured() honour} "dtype" accept another)}
     */
    public DType dtype() { return dtype; }
    /** {@return SIP's network loss (sipflow's ½‖·‖² summed over the batch unless a problem honours another)} */
    public SipLoss sipLoss() { return sipLoss; }
    /**
     * {@return the training time after which the run stops, in seconds (0: none): the summed wall time of its
     * steps, so tests and checkpoints do not count; the run also stops at {@link #steps()}}
     */
    public double timeBudgetSeconds() { return timeBudgetSeconds; }
    /** {@return the named configuration the run's settings came from ("paper"), or null} */
    public String preset() { return preset; }

    /**
     * {@return the problem's own settings (sin: xi, angle), by name; declared, with their defaults, by its
     * {@link ProblemProvider}}
     */
    public Map<String, Double> options() { return options; }

    /**
     * Problem option {@code name}.
     *
     * @param name the option's name, e.g. "xi"
     * @return its value
     * @throws IllegalArgumentException if this run has no such option, naming the ones it has
     */
    public double option(String name) {
        Double v = options.get(name);
        if (v == null) {
            throw new IllegalArgumentException("problem " + problem + " has no option '" + name + "'; it has "
                    + (options.isEmpty() ? "none" : String.join(", ", options.keySet())));
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainConfig c && settings().equals(c.settings());
    }

    @Override
    public int hashCode() {
        return Objects.hash(settings());
    }

    @Override
    public String toString() {
        return "TrainConfig" + settings();
    }

    /** run.json's prefix for problem options: {@code "option.xi": 0.5}. */
    static final String OPTION = "option.";

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Settings by name; every field starts at its default. */
    public static final class Builder {
        private String problem = "heat";
        private Method method = Method.SIP;
        private int steps = 300;
        private int batch = 32;
        private int resolution = 32;
        private long seed = 0;
        private double learningRate = 1e-3;
        private double adamEpsilon = Adam.DEFAULT_EPS;
        private double momentum = 0;
        private boolean nesterov = false;
        private int testBatch = 64;
        private long testSeed = 1;
        private int testEvery = 50;
        private int checkpointEvery = 100;
        private DType dtype = null;
        private SipLoss sipLoss = SipLoss.L2_SUM;
        private double timeBudgetSeconds = 0;
        private String preset = null;
        private final Map<String, Double> options = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Sets the problem.
         *
         * @param v the problem's id
         * @return this builder
         */
        public Builder problem(String v) { problem = v; return this; }
        /**
         * Sets the method.
         *
         * @param v SIP, GD, SGD or HIG
         * @return this builder
         */
        public Builder method(Method v) { method = v; return this; }
        /**
         * Sets the number of training steps.
         *
         * @param v ≥ 0
         * @return this builder
         */
        public Builder steps(int v) { steps = v; return this; }
        /**
         * Sets the training batch size.
         *
         * @param v ≥ 1
         * @return this builder
         */
        public Builder batch(int v) { batch = v; return this; }
        /**
         * Sets the grid size R.
         *
         * @param v a positive multiple of 8
         * @return this builder
         */
        public Builder resolution(int v) { resolution = v; return this; }
        /**
         * Sets the seed of the weights and the data stream.
         *
         * @param v any long
         * @return this builder
         */
        public Builder seed(long v) { seed = v; return this; }
        /**
         * Sets the learning rate.
         *
         * @param v finite, &gt; 0
         * @return this builder
         */
        public Builder learningRate(double v) { learningRate = v; return this; }
        /**
         * Sets Adam's ε.
         *
         * @param v finite, &gt; 0
         * @return this builder
         */
        public Builder adamEpsilon(double v) { adamEpsilon = v; return this; }
        /**
         * Sets SGD's momentum factor (the SGD method's optimizer; the others ignore it).
         *
         * @param v in [0, 1); 0 is plain SGD
         * @return this builder
         */
        public Builder momentum(double v) { momentum = v; return this; }
        /**
         * Chooses Nesterov's momentum for SGD.
         *
         * @param v true for Nesterov (needs a momentum &gt; 0), false for heavy-ball momentum
         * @return this builder
         */
        public Builder nesterov(boolean v) { nesterov = v; return this; }
        /**
         * Sets the test batch size.
         *
         * @param v ≥ 1
         * @return this builder
         */
        public Builder testBatch(int v) { testBatch = v; return this; }
        /**
         * Sets the seed of the test batch.
         *
         * @param v any long
         * @return this builder
         */
        public Builder testSeed(long v) { testSeed = v; return this; }
        /**
         * Sets the number of steps between tests.
         *
         * @param v ≥ 1
         * @return this builder
         */
        public Builder testEvery(int v) { testEvery = v; return this; }
        /**
         * Sets the number of steps between checkpoints.
         *
         * @param v ≥ 0 (0: only at the end)
         * @return this builder
         */
        public Builder checkpointEvery(int v) { checkpointEvery = v; return this; }
        /**
         * Sets the arithmetic of the problem's network and inverse step.
         *
         * @param v FLOAT32, FLOAT64, or null for the problem's own
         * @return this builder
         */
        public Builder dtype(DType v) { dtype = v; return this; }
        /**
         * Sets SIP's network loss.
         *
         * @param v L2_SUM (default) or L1_MEAN
         * @return this builder
         */
        public Builder sipLoss(SipLoss v) { sipLoss = v; return this; }
        /**
         * Sets the time budget.
         *
         * @param v seconds of summed step time, ≥ 0 (0: none)
         * @return this builder
         */
        public Builder timeBudgetSeconds(double v) { timeBudgetSeconds = v; return this; }
        /**
         * Records the named configuration the settings came from.
         *
         * @param v a preset's name, or null
         * @return this builder
         */
        public Builder preset(String v) { preset = v; return this; }
        /**
         * A problem option ({@link Problems#withSuggestions} fills in the defaults of those not set).
         *
         * @param name the option's name
         * @param v its value
         * @return this builder
         */
        public Builder option(String name, double v) { options.put(name, v); return this; }
        /**
         * Sets several problem options.
         *
         * @param v options by name, added to (and overriding) those set so far
         * @return this builder
         */
        public Builder options(Map<String, Double> v) { options.putAll(v); return this; }
        /** {@return the options set so far, by name} */
        public Map<String, Double> options() { return java.util.Collections.unmodifiableMap(options); }
        /** {@return the problem set so far} */
        public String problem() { return problem; }
        /**
         * {@return the method set so far: a problem's suggested settings may depend on it (the sin problem's rates do)}
         */
        public Method method() { return method; }

        /**
         * Checks every setting and builds the config.
         *
         * @return the config
         * @throws IllegalArgumentException naming the first setting out of range (e.g. a resolution that is not a
         *         multiple of 8)
         */
        public TrainConfig build() {
            return new TrainConfig(this);
        }
    }
}
