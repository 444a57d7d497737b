package io.sipflow.physics.train;

import io.sipflow.physics.problem.HeatProblem;
import io.sipflow.physics.problem.PoissonProblem;
import io.sipflow.physics.problem.Problem;
import io.sipflow.physics.problem.SinProblem;
import io.sipflow.physics.problem.SipLoss;

import io.sipflow.autodiff.DType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The three problems sipflow ships, registered through {@link ProblemProvider} like any user's problem (listed in
 * this module's {@code META-INF/services/io.sipflow.physics.train.ProblemProvider}).
 */
public final class BuiltInProblems {
    /** The preset that reproduces the SIP paper's runs (Holl, Koltun and Thuerey, NeurIPS 2022). */
    public static final String PAPER = "paper";

    private BuiltInProblems() {
    }

    /** The difference every paper preset has: the authors stop on wall clock, the preset on a step count. */
    private static String budget(String authors, TrainConfig c) {
        return c.timeBudgetSeconds() > 0
                ? "budget: the authors stop each method after " + authors + " of GPU wall clock; this run stops after "
                        + c.timeBudgetSeconds() + " s of CPU step time (or " + c.steps() + " steps)"
                : "budget: the authors stop each method after " + authors + " of GPU wall clock; this run stops after "
                        + c.steps() + " steps (--time-budget gives a wall-clock budget)";
    }

    /** Differences of the field problems' paper presets from the authors' scripts. */
    private static List<String> fieldDifferences(String authorsBudget, TrainConfig c) {
        List<String> d = new ArrayList<>();
        d.add(budget(authorsBudget, c));
        d.add("initial weights: sipflow's U-Net (the same layout) draws its own, not PyTorch's");
        d.add("metric: the authors plot the training batch's x_l1 against wall time; sipflow reports a fixed test batch"
                + " (x_l2 and x_l1) and the training batch's x_l2 per step");
        if (c.method() == Method.HIG) {
            d.add("method: HIG is not in the authors' script; its settings are sipflow's");
        }
        return d;
    }

    /** Heat conduction on a periodic R × R grid: recover the initial temperature from the diffused field. */
    public static final class Heat implements ProblemProvider {
        /** The provider {@link java.util.ServiceLoader} creates. */
        public Heat() {
        }

        @Override
        public String id() {
            return "heat";
        }

        @Override
        public String description() {
            return "invert heat conduction on an R x R periodic grid";
        }

        @Override
        public boolean usesResolution() {
            return true;
        }

        /** {@return float32 only: the U-Net trains in float32, the physics runs in float64 (as the authors')} */
        @Override
        public Set<DType> dtypes() {
            return Set.of(DType.FLOAT32);
        }

        @Override
        public Set<SipLoss> sipLosses() {
            return Set.of(SipLoss.L2_SUM, SipLoss.L1_MEAN);
        }

        @Override
        public Map<String, String> presets() {
            return Map.of(PAPER, "the authors' heat/train_heat.py: 64x64, batch 128, Adam 1e-3 (eps 1e-8), SGD 2e-6,"
                    + " 500 steps");
        }

        /**
         * The authors' heat/train_heat.py: 64 × 64, batch 128, torch's Adam at 1e-3 (ε = 1e-8), SGD at 2e-6 without
         * momentum, the batch-summed loss (as sipflow's); 500 steps, the seed notebook's count.
         *
         * @param name "paper"
         * @param b the run's settings so far
         * @return {@code b}
         */
        @Override
        public TrainConfig.Builder applyPreset(String name, TrainConfig.Builder b) {
            if (!PAPER.equals(name)) {
                return ProblemProvider.super.applyPreset(name, b);
            }
            b.resolution(64).batch(128).steps(500).adamEpsilon(1e-8);
            if (b.method() == Method.SGD) {
                b.learningRate(2e-6).momentum(0);
            }
            return b;
        }

        @Override
        public List<String> presetDifferences(String name, TrainConfig config) {
            return fieldDifferences("6000 s", config);
        }

        @Override
        public Problem create(TrainConfig config) {
            return new HeatProblem(config.resolution(), config.sipLoss());
        }
    }

    /** Poisson's equation on an R × R grid: recover the source from the potential. */
    public static final class Poisson implements ProblemProvider {
        /** The provider {@link java.util.ServiceLoader} creates. */
        public Poisson() {
        }

        @Override
        public String id() {
            return "poisson";
        }

        @Override
        public String description() {
            return "invert Poisson's equation on an R x R grid";
        }

        @Override
        public boolean usesResolution() {
            return true;
        }

        /**
         * The authors' Poisson script trains with torch's Adam: ε = 1e-8, not PhiFlow's 1e-7. Their SGD uses
         * momentum 0.9 at lr 3e-12 on the same batch-summed loss scale (the paper preset takes it); plain SGD
         * diverges at step 2 here at any rate tried down to 1e-6. On sipflow's batch-summed ½‖P(pred) − y*‖² (32², batch 32, 100 steps) momentum 0.9 gave test x_l2
         * 272 at lr 1e-8, 199 at 1e-9, 265 at 1e-10, 398 at 1e-11 and diverged at 1e-6: so 0.9 at 1e-9.
         *
         * @param b the run's settings so far
         * @return {@code b}
         */
        @Override
        public TrainConfig.Builder suggest(TrainConfig.Builder b) {
            b.adamEpsilon(1e-8);
            if (b.method() == Method.SGD) {
                b.learningRate(1e-9).momentum(0.9);
            }
            return b;
        }

        /** {@return float32 only: the U-Net trains in float32, the physics runs in float64 (as the authors')} */
        @Override
        public Set<DType> dtypes() {
            return Set.of(DType.FLOAT32);
        }

        @Override
        public Set<SipLoss> sipLosses() {
            return Set.of(SipLoss.L2_SUM, SipLoss.L1_MEAN);
        }

        @Override
        public Map<String, String> presets() {
            return Map.of(PAPER, "the authors' poisson/train_poisson.py: 64x64, batch 128, Adam 1e-3 (eps 1e-8),"
                    + " SGD 3e-12 with momentum 0.9, 10,000 steps");
        }

        /**
         * The authors' poisson/train_poisson.py: 64 × 64, batch 128, torch's Adam at 1e-3 (ε = 1e-8), SGD at 3e-12
         * with momentum 0.9, the batch-summed ½‖·‖² (sipflow's loss, so their rates apply unchanged), CG to 1e-5
         * relative from x₀ = 0; 10,000 steps, the range their Fig. 6 curves show.
         *
         * @param name "paper"
         * @param b the run's settings so far
         * @return {@code b}
         */
        @Override
        public TrainConfig.Builder applyPreset(String name, TrainConfig.Builder b) {
            if (!PAPER.equals(name)) {
                return ProblemProvider.super.applyPreset(name, b);
            }
            b.resolution(64).batch(128).steps(10_000).adamEpsilon(1e-8).testEvery(100).checkpointEvery(100);
            if (b.method() == Method.SGD) {
                b.learningRate(3e-12).momentum(0.9);
            }
            return b;
        }

        @Override
        public List<String> presetDifferences(String name, TrainConfig config) {
            return fieldDifferences("7 h (their plots show the first 10,000 steps)", config);
        }

        @Override
        public Problem create(TrainConfig config) {
            return new PoissonProblem(config.resolution(), config.sipLoss());
        }
    }

    /** The SIP paper's 2-D characterization problem y = (sin a, b). */
    public static final class Sin implements ProblemProvider {
        /** The provider {@link java.util.ServiceLoader} creates. */
        public Sin() {
        }

        @Override
        public String id() {
            return "sin";
        }

        @Override
        public String description() {
            return "the SIP paper's 2-D problem y = (sin a, b), conditioned by xi";
        }

        @Override
        public List<ProblemOption> options() {
            return List.of(
                    ProblemOption.of("xi", 10, "conditioning: a scaled by 10/xi, b by 10*xi",
                            v -> v > 0, "> 0"),
                    ProblemOption.of("angle", 45, "rotation of x in degrees"));
        }

        /**
         * The authors' settings (sin_characterization/train_sin.py): batch 100; Adam (SIP, GD) at 1e-3 with
         * PyTorch's ε = 1e-8; SGD at 1e-2/ξ² for their batch-mean loss, so 1e-4/ξ² for sipflow's batch sum. HIG's
         * rate is ours: its step along the stiffest direction grows like √σ_max ∝ √ξ, so 0.1/√ξ (0.1 is stable at
         * ξ = 1, 0.3 is not). SIP, GD and SGD steps cost well under a millisecond, a HIG step (200 backward passes
         * and a 200 × 200 eigendecomposition) about 50 ms: 20,000 steps for the former, 1,000 for HIG.
         *
         * @param b the run's settings so far, xi set
         * @return {@code b}
         */
        @Override
        public TrainConfig.Builder suggest(TrainConfig.Builder b) {
            double xi = b.options().get("xi");
            b.batch(100).testBatch(1000).adamEpsilon(1e-8);
            switch (b.method()) {
                case SIP, GD -> b.learningRate(1e-3).steps(20_000).testEvery(500).checkpointEvery(5_000);
                case SGD -> b.learningRate(1e-4 / (xi * xi)).steps(20_000).testEvery(500).checkpointEvery(5_000);
                case HIG -> b.learningRate(0.1 / Math.sqrt(xi)).steps(1_000).testEvery(25).checkpointEvery(250);
            }
            return b;
        }

        /** {@return float32 and float64: network, data, physics and Newton step all in the type chosen} */
        @Override
        public Set<DType> dtypes() {
            return Set.of(DType.FLOAT32, DType.FLOAT64);
        }

        @Override
        public Set<SipLoss> sipLosses() {
            return Set.of(SipLoss.L2_SUM, SipLoss.L1_MEAN);
        }

        @Override
        public Map<String, String> presets() {
            return Map.of(PAPER, "the authors' Fig. 5 (train_sin.py, plot_sin.py): angle 0, float32, SIP's L1 loss"
                    + " averaged over the batch, batch 100; sweep: xi 1,2,4,8,16,32,64");
        }

        /** The conditionings of the authors' ξ figure (Fig. 5) that {@code sweep --preset paper} trains at. */
        public static final List<Double> PAPER_XI = List.of(1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0);

        /**
         * The authors' ξ plot: φ = 0 (plot_sin.py's "angle=0" curves), FLOAT32 (torch's default), SIP's network loss
         * L1 averaged over the batch (train_sin.py's {@code math.l1_loss(...)} then {@code loss.mean}); the rates,
         * ε and batch 100 are already this problem's suggestions; 20,000 steps.
         *
         * @param name "paper"
         * @param b the run's settings so far
         * @return {@code b}
         */
        @Override
        public TrainConfig.Builder applyPreset(String name, TrainConfig.Builder b) {
            if (!PAPER.equals(name)) {
                return ProblemProvider.super.applyPreset(name, b);
            }
            return b.option("angle", 0).dtype(DType.FLOAT32).sipLoss(SipLoss.L1_MEAN);
        }

        @Override
        public List<String> presetDifferences(String name, TrainConfig c) {
            List<String> d = new ArrayList<>();
            d.add(budget("600 s", c));
            d.add("GD and SGD loss: the authors average ½‖P(x) − y*‖² over the batch, sipflow sums it (SGD's rate is"
                    + " divided by the batch size to match; Adam only sees its epsilon 100x smaller relative to the"
                    + " gradient)");
            d.add("initial weights: sipflow's dense network (the same layout) draws its own, not PyTorch's");
            d.add("Newton step: the 2x2 Hessian's eigenbasis by the Jacobi rotation of LAPACK's 2x2 solver in float32,"
                    + " the authors' torch.linalg.eigh in float32 (the last bits of a float may differ)");
            d.add("metric: the authors average the training batch's x_dist/xi over the last 10 % of steps, in float32;"
                    + " sipflow reports that (train_x_dist_last10pct_mean / xi) beside the final test batch's x_dist,"
                    + " both evaluated in float64 from the network's float32 estimate");
            if (c.dtype() != DType.FLOAT32) {
                d.add("precision: float64 (the authors: float32)");
            }
            if (c.sipLoss() != SipLoss.L1_MEAN && c.method() == Method.SIP) {
                d.add("SIP network loss: " + c.sipLoss().id() + " (the authors: l1-mean)");
            }
            if (c.option("angle") != 0) {
                d.add("angle: " + c.option("angle") + " degrees (the authors' xi plot: 0)");
            }
            if (c.method() == Method.HIG) {
                d.add("method: HIG is not in the authors' script; its rate and steps are sipflow's");
            }
            return d;
        }

        @Override
        public Problem create(TrainConfig config) {
            return new SinProblem(config.option("xi"), config.option("angle"),
                    config.dtype() == null ? DType.FLOAT64 : config.dtype(), config.sipLoss());
        }
    }
}
