package io.sipflow.physics.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of one training run, built by name; each setting (default, range, run.json name, flag) is declared
 * once in {@link Settings}:
 * <pre>
 *   TrainConfig c = TrainConfig.builder().method(Method.GD).steps(100).resolution(16).build();
 *   TrainConfig faster = c.with(Settings.LEARNING_RATE, 2e-3);
 * </pre>
 * The network's initial weights come from {@code seed}; the training batches from a stream split off
 * {@code seed}; the held-out test batch from {@code testSeed}. Runs that differ only in {@code method} therefore
 * start from identical weights and see identical batches. {@link #settings()} lists every setting by its
 * run.json name, and {@link #fromSettings} reads them back (resume, evaluate).
 */
public final class TrainConfig {
    private final Map<Setting<?>, Object> values;
    private final Map<String, Double> options;

    private TrainConfig(Builder b) {
        LinkedHashMap<Setting<?>, Object> v = new LinkedHashMap<>();
        for (Setting<?> s : Settings.all()) {
            v.put(s, checked(s, b.values.get(s)));
        }
        this.values = java.util.Collections.unmodifiableMap(v);
        require(!nesterov() || momentum() > 0, "Nesterov momentum needs a momentum > 0 (give --momentum)");
        this.options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.options));
    }

    private static <T> T checked(Setting<T> s, Object v) {
        return s.check(v == null ? s.defaultValue() : s.cast(v));
    }

    /**
     * {@return a builder at the defaults: heat, SIP, 32×32, batch 32, 300 steps, Adam lr 1e-3 (ε = PhiFlow's 1e-7),
     * test batch 64 (each declared in {@link Settings})}
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
        Builder b = builder().options(options);
        b.values.putAll(values);
        return b;
    }

    /**
     * This config with another method (the runs of {@code compare}: same weights, same batches).
     *
     * @param m the method
     * @return a copy with {@code method = m}
     */
    public TrainConfig withMethod(Method m) {
        return with(Settings.METHOD, m);
    }

    /**
     * This config with one setting changed.
     *
     * @param setting the setting
     * @param value its new value
     * @param <T> the value's type
     * @return a checked copy
     * @throws IllegalArgumentException if the value is out of range, naming the setting
     */
    public <T> TrainConfig with(Setting<T> setting, T value) {
        return toBuilder().set(setting, value).build();
    }

    /**
     * One setting's value.
     *
     * @param setting a declared setting
     * @param <T> its type
     * @return its value
     */
    public <T> T get(Setting<T> setting) {
        return setting.cast(values.get(setting));
    }

    /** The value of the setting named {@code key} (for a declaration's recordedOnlyIf). */
    Object value(String key) {
        return Settings.byKey(key).map(values::get).orElse(null);
    }

    /**
     * The run.json names of the settings a resumed run may change (--steps extends it, --checkpoint-every); every
     * other one is fixed. Derived from {@link Setting#resumable()}.
     */
    public static final java.util.Set<String> RESUMABLE = java.util.Set.copyOf(Settings.all().stream()
            .filter(Setting::resumable).map(Setting::key).toList());

    /**
     * {@return every setting by its run.json name ({@code learning_rate}, {@code option.xi}, …), in the order of
     * {@link Settings#all()}, each where {@link Setting#recordedIn} says so: {@code resolution} only for a problem on
     * a grid, {@code momentum} and {@code nesterov} only where they are not 0 and false, so a run without them has
     * the settings (and run identity) it had before they existed}
     */
    public LinkedHashMap<String, Object> settings() {
        LinkedHashMap<String, Object> s = new LinkedHashMap<>();
        for (Setting<?> setting : Settings.all()) {
            if (setting.recordedIn(this)) {
                s.put(setting.key(), json(setting));
            }
        }
        options.forEach((name, value) -> s.put(OPTION + name, value));
        return s;
    }

    private <T> Object json(Setting<T> setting) {
        return setting.toJson(get(setting));
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
            java.util.Optional<Setting<?>> setting = Settings.byKey(e.getKey());
            if (setting.isPresent()) {
                b.values.put(setting.get(), setting.get().parse(v));
            } else if (e.getKey().startsWith(OPTION)) {
                b.option(e.getKey().substring(OPTION.length()), optionValue(e.getKey(), v));
            }
        }
        return b.build();
    }

    private static double optionValue(String key, Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(v.toString());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + " must be a number, got " + v);
        }
    }

    /** {@return the problem's id ("heat", "poisson", "sin")} */
    public String problem() { return get(Settings.PROBLEM); }
    /** {@return how the weights are updated} */
    public Method method() { return get(Settings.METHOD); }
    /** {@return the number of training steps, ≥ 0} */
    public int steps() { return get(Settings.STEPS); }
    /** {@return examples per training batch, ≥ 1} */
    public int batch() { return get(Settings.BATCH); }
    /** {@return the grid size R of the field problems, in cells (a multiple of 8)} */
    public int resolution() { return get(Settings.RESOLUTION); }
    /** {@return the seed of the initial weights and of the training data stream} */
    public long seed() { return get(Settings.SEED); }
    /** {@return the optimizer's learning rate, &gt; 0} */
    public double learningRate() { return get(Settings.LEARNING_RATE); }
    /** {@return Adam's ε, &gt; 0} */
    public double adamEpsilon() { return get(Settings.ADAM_EPSILON); }
    /** {@return SGD's momentum factor μ in [0, 1) (0: plain SGD); the Adam methods ignore it} */
    public double momentum() { return get(Settings.MOMENTUM); }
    /** {@return whether SGD's momentum is Nesterov's (only with a momentum &gt; 0)} */
    public boolean nesterov() { return get(Settings.NESTEROV); }
    /** {@return examples in the held-out test batch, ≥ 1} */
    public int testBatch() { return get(Settings.TEST_BATCH); }
    /** {@return the seed of the held-out test batch} */
    public long testSeed() { return get(Settings.TEST_SEED); }
    /** {@return the number of steps between tests, ≥ 1} */
    public int testEvery() { return get(Settings.TEST_EVERY); }
    /** {@return the number of steps between checkpoints (0: only at the end)} */
    public int checkpointEvery() { return get(Settings.CHECKPOINT_EVERY); }

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
            throw new IllegalArgumentException("problem " + problem() + " has no option '" + name + "'; it has "
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
        private final Map<Setting<?>, Object> values = new LinkedHashMap<>();
        private final Map<String, Double> options = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Sets the problem.
         *
         * @param v the problem's id
         * @return this builder
         */
        public Builder problem(String v) { return set(Settings.PROBLEM, v); }
        /**
         * Sets the method.
         *
         * @param v SIP, GD, SGD or HIG
         * @return this builder
         */
        public Builder method(Method v) { return set(Settings.METHOD, v); }
        /**
         * Sets the number of training steps.
         *
         * @param v ≥ 0
         * @return this builder
         */
        public Builder steps(int v) { return set(Settings.STEPS, v); }
        /**
         * Sets the training batch size.
         *
         * @param v ≥ 1
         * @return this builder
         */
        public Builder batch(int v) { return set(Settings.BATCH, v); }
        /**
         * Sets the grid size R.
         *
         * @param v a positive multiple of 8
         * @return this builder
         */
        public Builder resolution(int v) { return set(Settings.RESOLUTION, v); }
        /**
         * Sets the seed of the weights and the data stream.
         *
         * @param v any long
         * @return this builder
         */
        public Builder seed(long v) { return set(Settings.SEED, v); }
        /**
         * Sets the learning rate.
         *
         * @param v finite, &gt; 0
         * @return this builder
         */
        public Builder learningRate(double v) { return set(Settings.LEARNING_RATE, v); }
        /**
         * Sets Adam's ε.
         *
         * @param v finite, &gt; 0
         * @return this builder
         */
        public Builder adamEpsilon(double v) { return set(Settings.ADAM_EPSILON, v); }
        /**
         * Sets SGD's momentum factor (the SGD method's optimizer; the others ignore it).
         *
         * @param v in [0, 1); 0 is plain SGD
         * @return this builder
         */
        public Builder momentum(double v) { return set(Settings.MOMENTUM, v); }
        /**
         * Chooses Nesterov's momentum for SGD.
         *
         * @param v true for Nesterov (needs a momentum &gt; 0), false for heavy-ball momentum
         * @return this builder
         */
        public Builder nesterov(boolean v) { return set(Settings.NESTEROV, v); }
        /**
         * Sets the test batch size.
         *
         * @param v ≥ 1
         * @return this builder
         */
        public Builder testBatch(int v) { return set(Settings.TEST_BATCH, v); }
        /**
         * Sets the seed of the test batch.
         *
         * @param v any long
         * @return this builder
         */
        public Builder testSeed(long v) { return set(Settings.TEST_SEED, v); }
        /**
         * Sets the number of steps between tests.
         *
         * @param v ≥ 1
         * @return this builder
         */
        public Builder testEvery(int v) { return set(Settings.TEST_EVERY, v); }
        /**
         * Sets the number of steps between checkpoints.
         *
         * @param v ≥ 0 (0: only at the end)
         * @return this builder
         */
        public Builder checkpointEvery(int v) { return set(Settings.CHECKPOINT_EVERY, v); }
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
        /**
         * Sets one setting.
         *
         * @param setting a declared setting
         * @param v its value (checked by {@link #build()})
         * @param <T> its type
         * @return this builder
         */
        public <T> Builder set(Setting<T> setting, T v) { values.put(setting, v); return this; }
        /**
         * The value set so far, or the default.
         *
         * @param setting a declared setting
         * @param <T> its type
         * @return the value
         */
        public <T> T get(Setting<T> setting) {
            Object v = values.get(setting);
            return v == null ? setting.defaultValue() : setting.cast(v);
        }
        /** {@return the problem set so far} */
        public String problem() { return get(Settings.PROBLEM); }
        /**
         * {@return the method set so far: a problem's suggested settings may depend on it (the sin problem's rates do)}
         */
        public Method method() { return get(Settings.METHOD); }

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
