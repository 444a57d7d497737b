package io.sipflow.physics.train;

import io.sipflow.physics.problem.Problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The problems {@code --problem} can name: every {@link ProblemProvider} on the class path, found once by
 * {@link ServiceLoader} (the built-ins first, in the order their services file lists them). A run's config is
 * completed here: the problem's options get their defaults and are checked, then the problem suggests the
 * settings the user left open.
 * <pre>
 *   TrainConfig.Builder b = TrainConfig.builder().problem("sin").method(Method.GD);
 *   TrainConfig c = Problems.withSuggestions(b, Map.of("xi", 4.0)).steps(500).build();
 *   Problem p = Problems.create(c);
 * </pre>
 */
public final class Problems {
    private Problems() {
    }

    /** Loaded on first use, so a failing user provider is reported (each time) by the call that needed it. */
    private static Map<String, ProblemProvider> providers;

    private static synchronized Map<String, ProblemProvider> providers() {
        if (providers == null) {
            providers = load();
        }
        return providers;
    }

    private static Map<String, ProblemProvider> load() {
        try {
            return byId(ServiceLoader.load(ProblemProvider.class, Problems.class.getClassLoader()));
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("cannot load a problem named in META-INF/services/"
                    + ProblemProvider.class.getName() + ": " + e.getMessage(), e);
        }
    }

    /** {@code providers} by id, in their order; an id that is not a plain name, or one taken twice, is refused. */
    static Map<String, ProblemProvider> byId(Iterable<ProblemProvider> providers) {
        Map<String, ProblemProvider> found = new LinkedHashMap<>();
        for (ProblemProvider p : providers) {
            String id = p.id();
            if (id == null || !id.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
                throw new IllegalStateException("problem provider " + p.getClass().getName() + " has the id '" + id
                        + "'; an id is letters, digits, '-' and '_'");
            }
            ProblemProvider before = found.putIfAbsent(id, p);
            if (before != null) {
                throw new IllegalStateException("two problems are named '" + id + "': " + before.getClass().getName()
                        + " and " + p.getClass().getName() + "; remove one of them from the class path");
            }
        }
        return found;
    }

    /**
     * The provider of one problem.
     *
     * @param id a problem's name
     * @return its provider
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     * @throws IllegalStateException when a provider on the class path cannot be loaded, or two share an id
     */
    public static ProblemProvider named(String id) {
        ProblemProvider p = providers().get(id);
        if (p == null) {
            throw new IllegalArgumentException("unknown problem '" + id + "'; expected one of "
                    + String.join(", ", ids()) + " (a problem of your own: see docs/library.md)");
        }
        return p;
    }

    /**
     * Whether a problem lives on a grid ({@link ProblemProvider#usesResolution()}).
     *
     * @param id a problem's name
     * @return its provider's answer; true for an id no provider on the class path has, so a config of an unknown
     *         problem still lists every setting
     */
    public static boolean usesResolution(String id) {
        ProblemProvider p = providers().get(id);
        return p == null || p.usesResolution();
    }

    /** {@return every problem's provider, built-ins first} */
    public static List<ProblemProvider> all() {
        return List.copyOf(providers().values());
    }

    /** {@return the known ids, built-ins first} */
    public static List<String> ids() {
        return List.copyOf(providers().keySet());
    }

    /**
     * Completes a run's settings with what its problem declares and suggests. Set explicit settings afterwards.
     *
     * @param b       settings naming the problem and the method
     * @param options the user's problem options, by name (others get their defaults)
     * @return {@code b} with every option set and checked, then the settings the method and then the problem suggest
     * @throws IllegalArgumentException for an option the problem does not declare or a value it refuses
     */
    public static TrainConfig.Builder withSuggestions(TrainConfig.Builder b, Map<String, Double> options) {
        ProblemProvider p = named(b.problem());
        b.options(checkedOptions(p, options));
        return p.suggest(b.method().suggest(b));
    }

    /**
     * Applies preset {@code name} of the run's problem ({@link ProblemProvider#applyPreset}) and records its name;
     * call after {@link #withSuggestions} and before the user's explicit settings.
     *
     * @param b settings naming the problem, completed by {@link #withSuggestions}
     * @param name the preset's name, e.g. "paper"
     * @return {@code b} with the preset's settings
     * @throws IllegalArgumentException if the problem has no such preset, listing those it has
     */
    public static TrainConfig.Builder withPreset(TrainConfig.Builder b, String name) {
        return named(b.problem()).applyPreset(name, b).preset(name);
    }

    /**
     * {@return where a run of {@code config} differs from what its preset reproduces; empty without a preset}
     *
     * @param config a run's settings
     */
    public static List<String> presetDifferences(TrainConfig config) {
        return config.preset() == null ? List.of() : named(config.problem()).presetDifferences(config.preset(), config);
    }

    /**
     * The problem a run trains on.
     *
     * @param config a run's settings; {@link TrainConfig#problem()} names the problem
     * @return a new problem instance, its options completed with their defaults and checked
     * @throws IllegalArgumentException for an unknown problem, an undeclared option or a refused value
     */
    public static Problem create(TrainConfig config) {
        ProblemProvider p = named(config.problem());
        if (config.dtype() != null && !p.dtypes().contains(config.dtype())) {
            throw new IllegalArgumentException("--dtype " + config.get(Settings.DTYPE) + ": problem " + p.id()
                    + (p.dtypes().isEmpty() ? " has no choice of type; drop it"
                    : " offers " + String.join(", ", p.dtypes().stream().map(d -> d.name().toLowerCase(
                            java.util.Locale.ROOT)).sorted().toList())));
        }
        if (!p.sipLosses().contains(config.sipLoss())) {
            throw new IllegalArgumentException("--sip-loss " + config.sipLoss().id() + ": problem " + p.id()
                    + " offers " + String.join(", ", p.sipLosses().stream().map(l -> l.id()).sorted().toList()));
        }
        Map<String, Double> options = checkedOptions(p, config.options());
        TrainConfig complete = options.equals(config.options()) ? config
                : config.toBuilder().options(options).build();
        return p.create(complete);
    }

    /** Every declared option of {@code p}: the given value (checked) or its default; unknown names refused. */
    static Map<String, Double> checkedOptions(ProblemProvider p, Map<String, Double> given) {
        Map<String, ProblemOption> declared = new LinkedHashMap<>();
        for (ProblemOption o : p.options()) {
            declared.put(o.name(), o);
        }
        for (String name : given.keySet()) {
            if (!declared.containsKey(name)) {
                throw new IllegalArgumentException("--option " + name + ": problem " + p.id() + " has "
                        + (declared.isEmpty() ? "no options" : "the options " + String.join(", ", declared.keySet())));
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (ProblemOption o : declared.values()) {
            Double v = given.get(o.name());
            out.put(o.name(), v == null ? o.defaultValue() : o.check(p.id(), v));
        }
        return out;
    }
}
