package io.sipflow.physics.train;

import io.sipflow.physics.problem.HeatProblem;
import io.sipflow.physics.problem.PoissonProblem;
import io.sipflow.physics.problem.Problem;
import io.sipflow.physics.problem.SinProblem;

import java.util.List;

/**
 * The three problems sipflow ships, registered through {@link ProblemProvider} like any user's problem (listed in
 * this module's {@code META-INF/services/io.sipflow.physics.train.ProblemProvider}).
 */
public final class BuiltInProblems {
    private BuiltInProblems() {
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

        @Override
        public Problem create(TrainConfig config) {
            return new HeatProblem(config.resolution());
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
         * momentum 0.9 at lr 3e-12 on their loss scale; plain SGD diverges at step 2 here at any rate tried down to
         * 1e-6. On sipflow's batch-summed ½‖P(pred) − y*‖² (32², batch 32, 100 steps) momentum 0.9 gave test x_l2
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

        @Override
        public Problem create(TrainConfig config) {
            return new PoissonProblem(config.resolution());
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

        @Override
        public Problem create(TrainConfig config) {
            return new SinProblem(config.option("xi"), config.option("angle"));
        }
    }
}
