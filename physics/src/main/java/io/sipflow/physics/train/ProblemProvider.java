package io.sipflow.physics.train;

import io.sipflow.physics.problem.Problem;

import java.util.List;

/**
 * A problem that {@code --problem ID} can name, found by {@link java.util.ServiceLoader}: a jar on the class path
 * (the launcher's {@code SIPFLOW_CLASSPATH}) whose {@code META-INF/services/io.sipflow.physics.train.ProblemProvider}
 * names a public class with a public no-argument constructor that implements this interface. The built-in
 * problems are registered the same way ({@link BuiltInProblems}).
 * <pre>
 *   public final class MineProvider implements ProblemProvider {
 *       public String id() { return "mine"; }
 *       public String description() { return "y = scale · x, learnt by a small MLP"; }
 *       public List&lt;ProblemOption&gt; options() { return List.of(ProblemOption.of("scale", 3, "the gain")); }
 *       public Problem create(TrainConfig c) { return new Mine(c.option("scale")); }
 *   }
 * </pre>
 * {@link Problems} fills in each option's default and checks every value before {@link #create} sees the config,
 * so {@code create} may read {@link TrainConfig#option} for each declared option.
 */
public interface ProblemProvider {
    /** {@return the name {@code --problem} takes and run.json records: letters, digits, '-' and '_'} */
    String id();

    /** {@return one line for the command line's help} */
    String description();

    /** {@return the settings {@code --option NAME=VALUE} may give this problem; none by default} */
    default List<ProblemOption> options() {
        return List.of();
    }

    /**
     * {@return whether the problem lives on an R × R grid, so {@code --resolution} applies and run.json records
     * it; false by default: {@code --resolution} is then refused for this problem}
     */
    default boolean usesResolution() {
        return false;
    }

    /**
     * The settings this problem suggests where the user gave none (steps, batch, learning rate ...), set on
     * {@code b}, which already holds the method and every option's value; the default suggests nothing.
     *
     * @param b the run's settings so far
     * @return {@code b}
     */
    default TrainConfig.Builder suggest(TrainConfig.Builder b) {
        return b;
    }

    /**
     * {@return the types {@code --dtype} may choose for this problem's network and inverse step; none by default,
     * and {@link Problems#create} refuses a run that names one the problem does not offer}
     */
    default java.util.Set<io.sipflow.autodiff.DType> dtypes() {
        return java.util.Set.of();
    }

    /**
     * {@return the SIP network losses {@code --sip-loss} may choose; sipflow's Σ½‖·‖² only by default (a problem
     * offers another by passing the run's {@link TrainConfig#sipLoss()} into its {@code Problem.sipLoss})}
     */
    default java.util.Set<io.sipflow.physics.problem.SipLoss> sipLosses() {
        return java.util.Set.of(io.sipflow.physics.problem.SipLoss.L2_SUM);
    }

    /** {@return the named configurations {@code --preset} offers for this problem, name → one line; none by default} */
    default java.util.Map<String, String> presets() {
        return java.util.Map.of();
    }

    /**
     * Sets preset {@code name}'s settings on {@code b}, which holds the method, the options and the problem's
     * suggestions already; the user's explicit settings are applied afterwards and win.
     *
     * @param name a name from {@link #presets()}
     * @param b the run's settings so far
     * @return {@code b}
     * @throws IllegalArgumentException for a name this problem does not offer, listing those it does
     */
    default TrainConfig.Builder applyPreset(String name, TrainConfig.Builder b) {
        throw new IllegalArgumentException("--preset " + name + ": problem " + id() + " has "
                + (presets().isEmpty() ? "no presets" : "the presets " + String.join(", ", presets().keySet())));
    }

    /**
     * Where a run of preset {@code name} still differs from the configuration it reproduces (for a paper: the
     * authors' code), one sentence each, for run.json and the results document; none by default.
     *
     * @param name the preset's name
     * @param config the run's final settings (the user may have changed some)
     * @return the differences, in words
     */
    default java.util.List<String> presetDifferences(String name, TrainConfig config) {
        return java.util.List.of();
    }

    /**
     * Builds the problem for a run.
     *
     * @param config the run's settings; every declared option is in {@code config.options()}, checked
     * @return a new problem instance
     */
    Problem create(TrainConfig config);
}
