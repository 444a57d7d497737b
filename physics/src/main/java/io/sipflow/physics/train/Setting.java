package io.sipflow.physics.train;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One setting of a training run, declared once in {@link Settings}: its run.json name, command-line flag, type
 * and parser, default, range check, whether {@code --resume} may change it, and its help text. {@link TrainConfig}
 * stores, checks, records and reads back every declared setting from these declarations, and the command line
 * derives its options, its resume check and its help from them:
 * <pre>
 *   TrainConfig c = TrainConfig.builder().set(Settings.LEARNING_RATE, 2e-3).build();
 *   c.get(Settings.LEARNING_RATE);               // 0.002
 *   Settings.LEARNING_RATE.flag();               // "--lr"
 * </pre>
 *
 * @param <T> the value's type (Integer, Long, Double, Boolean, String or {@link Method})
 */
public final class Setting<T> {
    private final String key;
    private final String flag;
    private final String label;
    private final Class<T> type;
    private final Function<Object, T> read;
    private final Function<T, Object> write;
    private final T defaultValue;
    private final Predicate<T> valid;
    private final String requirement;
    private final String noun;
    private final String help;
    private final String example;
    private final boolean suggested;
    private final boolean resumable;
    private final boolean chosenByCommand;
    private final Predicate<TrainConfig> recorded;

    private Setting(Declaration<T> d) {
        this.key = d.key;
        this.flag = Objects.requireNonNull(d.flag, () -> d.key + " declares no flag");
        this.label = d.label;
        this.type = d.type;
        this.read = d.read;
        this.write = d.write;
        this.defaultValue = d.defaultValue;
        this.valid = d.valid;
        this.requirement = d.requirement;
        this.noun = d.noun != null ? d.noun : d.key.replace('_', ' ');
        this.help = Objects.requireNonNull(d.help, () -> d.key + " declares no help text");
        this.example = Objects.requireNonNull(d.example, () -> d.key + " declares no example value");
        this.suggested = d.suggested;
        this.resumable = d.resumable;
        this.chosenByCommand = d.chosenByCommand;
        this.recorded = d.recorded;
        check(d.defaultValue);
        check(parse(d.example));
    }

    /**
     * Starts a whole-number setting.
     *
     * @param key its run.json name
     * @param defaultValue its default
     * @return the declaration, to be completed and passed to {@link Settings}
     */
    static Declaration<Integer> integer(String key, int defaultValue) {
        return new Declaration<>(key, Integer.class, defaultValue, v -> {
            long l = wholeNumber(key, v);
            if (l != (int) l) {
                throw new IllegalArgumentException("setting " + key + " is out of range: " + v);
            }
            return (int) l;
        }, v -> v);
    }

    /**
     * Starts a long whole-number setting (seeds).
     *
     * @param key its run.json name
     * @param defaultValue its default
     * @return the declaration
     */
    static Declaration<Long> longInteger(String key, long defaultValue) {
        return new Declaration<>(key, Long.class, defaultValue, v -> wholeNumber(key, v), v -> v);
    }

    /**
     * Starts a real-number setting.
     *
     * @param key its run.json name
     * @param defaultValue its default
     * @return the declaration
     */
    static Declaration<Double> real(String key, double defaultValue) {
        return new Declaration<>(key, Double.class, defaultValue, v -> {
            if (v instanceof Number n) {
                return n.doubleValue();
            }
            try {
                return Double.parseDouble(v.toString());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("setting " + key + " must be a number, got " + v);
            }
        }, v -> v);
    }

    /**
     * Starts a yes/no setting: on the command line a flag without a value.
     *
     * @param key its run.json name
     * @return the declaration, default false
     */
    static Declaration<Boolean> yesNo(String key) {
        return new Declaration<>(key, Boolean.class, false, v -> {
            String t = v.toString();
            if (!t.equalsIgnoreCase("true") && !t.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException("setting " + key + " must be true or false, got " + v);
            }
            return Boolean.parseBoolean(t);
        }, v -> v);
    }

    /**
     * Starts a setting of any other type.
     *
     * @param key its run.json name
     * @param type the value's class
     * @param defaultValue its default
     * @param parse reads a value from its text (command line) or run.json form
     * @param write the value's run.json form
     * @param <T> the value's type
     * @return the declaration
     */
    static <T> Declaration<T> of(String key, Class<T> type, T defaultValue, Function<String, T> parse,
                                 Function<T, Object> write) {
        return new Declaration<>(key, type, defaultValue, v -> parse.apply(v.toString()), write);
    }

    private static long wholeNumber(String key, Object v) {
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return v instanceof Long l ? l : v instanceof Integer i ? i : (long) n.doubleValue();
        }
        try {
            return Long.parseLong(v.toString());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + " must be a whole number, got " + v);
        }
    }

    /** {@return the run.json name, e.g. {@code learning_rate}} */
    public String key() { return key; }
    /** {@return the command-line flag, e.g. {@code --lr}} */
    public String flag() { return flag; }
    /** {@return the flag's value label in help, e.g. {@code RATE}; empty for a yes/no flag} */
    public String label() { return label; }
    /** {@return the value's class} */
    public Class<T> type() { return type; }
    /** {@return the default a builder starts at} */
    public T defaultValue() { return defaultValue; }
    /** {@return whether the problem may suggest this setting (help says "default: the problem's")} */
    public boolean suggested() { return suggested; }
    /** {@return whether {@code --resume} may change it (every other setting is fixed for a run's whole life)} */
    public boolean resumable() { return resumable; }
    /**
     * {@return whether each command chooses it itself ({@code train --method}, {@code compare --methods}) rather
     * than through the shared settings options}
     */
    public boolean chosenByCommand() { return chosenByCommand; }
    /** {@return a valid value other than the default, as command-line text (tests set every setting to it)} */
    public String example() { return example; }

    /** {@return the help line: what it is, its range and its default} */
    public String help() {
        if (type == Boolean.class) {
            return help;
        }
        return help + (suggested ? " (default: the problem's)" : " (default " + defaultValue + ")");
    }

    /**
     * Reads a value from its command-line text or run.json form, without the range check.
     *
     * @param value text, a Number or a Boolean
     * @return the value
     * @throws IllegalArgumentException if it is malformed, naming the setting
     */
    public T parse(Object value) {
        return read.apply(value);
    }

    /**
     * Checks the range.
     *
     * @param value the value
     * @return {@code value}
     * @throws IllegalArgumentException if it is out of range: "learning rate must be a finite number &gt; 0, got NaN"
     */
    public T check(T value) {
        if (value == null || !valid.test(value)) {
            throw new IllegalArgumentException(noun + " must be " + requirement + ", got " + value);
        }
        return value;
    }

    /**
     * {@return the value's run.json form}
     *
     * @param value the value
     */
    public Object toJson(T value) {
        return write.apply(value);
    }

    /**
     * Whether run.json records this setting for {@code config}: a setting added later is recorded only where it
     * differs from its default, so runs without it keep their settings and run identity.
     *
     * @param config a config
     * @return true to record it
     */
    public boolean recordedIn(TrainConfig config) {
        return recorded.test(config);
    }

    /** A value of this setting as an Object, cast to T (values are stored untyped in a map). */
    @SuppressWarnings("unchecked")
    T cast(Object v) {
        return (T) v;
    }

    @Override
    public String toString() {
        return key;
    }

    /**
     * A setting being declared; {@link Settings} completes it with {@code declare}.
     *
     * @param <T> the value's type
     */
    static final class Declaration<T> {
        private final String key;
        private final Class<T> type;
        private final T defaultValue;
        private final Function<Object, T> read;
        private final Function<T, Object> write;
        private String flag;
        private String label = "";
        private Predicate<T> valid = v -> true;
        private String requirement = "given";
        private String noun;
        private String help;
        private String example;
        private boolean suggested;
        private boolean resumable;
        private boolean chosenByCommand;
        private Predicate<TrainConfig> recorded = c -> true;

        private Declaration(String key, Class<T> type, T defaultValue, Function<Object, T> read,
                            Function<T, Object> write) {
            this.key = key;
            this.type = type;
            this.defaultValue = defaultValue;
            this.read = read;
            this.write = write;
        }

        Declaration<T> flag(String name, String valueLabel) { flag = name; label = valueLabel; return this; }
        Declaration<T> must(Predicate<T> test, String inWords) { valid = test; requirement = inWords; return this; }
        Declaration<T> noun(String v) { noun = v; return this; }
        Declaration<T> help(String v) { help = v; return this; }
        Declaration<T> example(String v) { example = v; return this; }
        Declaration<T> suggestedByProblem() { suggested = true; return this; }
        Declaration<T> resumable() { resumable = true; return this; }
        Declaration<T> chosenByCommand() { chosenByCommand = true; return this; }
        Declaration<T> recordedOnlyIf(Predicate<TrainConfig> when) { recorded = when; return this; }

        /** Recorded in run.json only when not at its default (every setting added after 0.2.0 must be). */
        Declaration<T> recordedOnlyOffDefault() {
            return recordedOnlyIf(c -> !Objects.equals(c.value(key), defaultValue));
        }

        Setting<T> build() {
            return new Setting<>(this);
        }
    }
}
