package io.sipflow.physics.train;

import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.AdaHessian;
import io.sipflow.nn.Adam;
import io.sipflow.nn.HessianFree;
import io.sipflow.nn.Module;
import io.sipflow.nn.Optimizer;
import io.sipflow.nn.Training;
import io.sipflow.physics.problem.Problem;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the network's weights are updated: each method owns its optimizer, its loss and its update, and works on an
 * {@link Input} (the problem, the network and the batch of one step; a second-order method needs all three).
 * <pre>
 *   Optimizer opt = method.newOptimizer(config, net);
 *   Training.Step&lt;TrainingStep.Outputs&gt; s = method.update(new Method.Input(problem, net, batch), opt);
 * </pre>
 */
public enum Method {
    /** Scale-invariant physics: regress the prediction onto x + P⁻¹(y* − P(x)), with Adam. */
    SIP {
        @Override
        public Optimizer newOptimizer(TrainConfig config, Module network) {
            return adam(config, network);
        }

        /**
         * loss = the problem's {@link Problem#sipLoss} of pred against stop(problem.sipTarget(x, P(x), y*)) with
         * x = stop(pred): Σ_b ½‖pred − target‖² unless the problem says otherwise.
         */
        @Override
        public Training.Loss<TrainingStep.Outputs> loss(Input in) {
            Tensor prediction = in.problem().predict(in.network(), in.batch().yTarget());
            Tensor x = prediction.stopGradient();
            Tensor y = in.problem().physics(x);
            Tensor target = in.problem().sipTarget(x, y, in.batch().yTarget());
            return new Training.Loss<>(in.problem().sipLoss(prediction, target), new TrainingStep.Outputs(x, y));
        }
    },
    /** Gradient descent through the differentiable physics: minimise ½‖P(pred) − y*‖² with Adam. */
    GD {
        @Override
        public Optimizer newOptimizer(TrainConfig config, Module network) {
            return adam(config, network);
        }

        @Override
        public Training.Loss<TrainingStep.Outputs> loss(Input in) {
            return physicsLoss(in);
        }
    },
    /** The same loss as GD with stochastic gradient descent (the config's momentum and Nesterov flag). */
    SGD {
        @Override
        public Optimizer newOptimizer(TrainConfig config, Module network) {
            return new io.sipflow.nn.SGD(network.parameters(), config.learningRate(), config.momentum(),
                    config.nesterov());
        }

        @Override
        public Training.Loss<TrainingStep.Outputs> loss(Input in) {
            return physicsLoss(in);
        }
    },
    /** Half-inverse gradients: Δθ = −η·V·Σ^(−1/2)·Uᵀ·∂L/∂y from the batch Jacobian's SVD. */
    HIG {
        /** SGD without momentum: the half-inverse direction is the update. */
        @Override
        public Optimizer newOptimizer(TrainConfig config, Module network) {
            return new io.sipflow.nn.SGD(network.parameters(), config.learningRate(), 0);
        }

        /** GD's loss (reported as the step's loss; HIG does not follow its gradient). */
        @Override
        public Training.Loss<TrainingStep.Outputs> loss(Input in) {
            return physicsLoss(in);
        }

        @Override
        public Training.Step<TrainingStep.Outputs> update(Input in, Optimizer optimizer) {
            return HigStep.run(in.problem(), in.network(), optimizer, in.batch());
        }

        /** The per-example Jacobian must fit ({@link HigStep#requireFits}): the heat U-Net's does not. */
        @Override
        public void requireFits(TrainConfig config) {
            HigStep.requireFits(config);
        }
    },
    /**
     * AdaHessian (Yao et al., AAAI 2021) on GD's loss: Adam's squared gradient replaced by the squared Hutchinson
     * estimate of the Hessian diagonal (Rademacher probes, averaged over each convolution kernel's spatial block).
     */
    ADAHESSIAN {
        @Override
        public Optimizer newOptimizer(TrainConfig config, Module network) {
            return new AdaHessian(network.parameters(), adaHessianSettings(config), config.seed());
        }

        /** GD's loss: AdaHessian takes its gradient and its Hessian diagonal. */
        @Override
        public Training.Loss<TrainingStep.Outputs> loss(Input in) {
            return physicsLoss(in);
        }

        @Override
        public Training.Step<TrainingStep.Outputs> update(Input in, Optimizer optimizer) {
            return AdaHessianStep.run(in, (AdaHessian) optimizer);
        }

        /** The authors' learning rate, 0.15, unless the problem or the user gives another. */
        @Override
        public TrainConfig.Builder suggest(TrainConfig.Builder b) {
            return b.learningRate(AdaHessian.Settings.DEFAULTS.lr());
        }

        @Override
        public void requireFits(TrainConfig config) {
            SecondOrderProbe.require(config, this);
        }
    },
    /**
     * Hessian-free (Martens 2010) on GD's loss: conjugate gradients on Gauss–Newton-vector products with
     * Levenberg–Marquardt damping; the learning rate is not used (the step is CG's solution).
     */
    HESSIAN_FREE {
        @Override
        public Optimizer newOptimizer(TrainConfig config, Module network) {
            return new HessianFree(network.parameters(), hessianFreeSettings(config));
        }

        /** GD's loss, whose Gauss–Newton matrix HF uses. */
        @Override
        public Training.Loss<TrainingStep.Outputs> loss(Input in) {
            return physicsLoss(in);
        }

        @Override
        public Training.Step<TrainingStep.Outputs> update(Input in, Optimizer optimizer) {
            return HessianFreeStep.run(in, (HessianFree) optimizer);
        }

        @Override
        public void requireFits(TrainConfig config) {
            SecondOrderProbe.require(config, this);
        }
    };

    /**
     * What a method works on in one step.
     *
     * @param problem the problem (its physics, inverse and prediction)
     * @param network the network being trained
     * @param batch   the training batch
     */
    public record Input(Problem problem, Module network, Problem.Batch batch) {
    }

    /**
     * The optimizer this method trains with.
     *
     * @param config  the run (learning rate, Adam ε)
     * @param network the network whose parameters it updates
     * @return a fresh optimizer at step 0
     */
    public abstract Optimizer newOptimizer(TrainConfig config, Module network);

    /**
     * The batch loss with its graph, and the step's outputs.
     *
     * @param in the problem, network and batch
     * @return the summed loss (differentiable with respect to the network) and the outputs
     */
    public abstract Training.Loss<TrainingStep.Outputs> loss(Input in);

    /**
     * One update of the network on the batch: by default the gradient of {@link #loss} through
     * {@link Training#updateWeights} (all or nothing).
     *
     * @param in        the problem, network and batch
     * @param optimizer the optimizer {@link #newOptimizer} made
     * @return the summed loss before the update and the outputs
     * @throws io.sipflow.nn.NonFiniteException if a value goes non-finite; nothing then changes
     */
    public Training.Step<TrainingStep.Outputs> update(Input in, Optimizer optimizer) {
        return Training.updateWeights(in.network(), optimizer, () -> loss(in));
    }

    /**
     * Settings this method suggests before the problem's own suggestions and the user's options (which win): by
     * default none.
     *
     * @param b the run's settings so far, naming this method
     * @return {@code b}
     */
    public TrainConfig.Builder suggest(TrainConfig.Builder b) {
        return b;
    }

    /**
     * Whether a step differentiates the loss twice (Hessian- or Gauss–Newton-vector products): such a step keeps the
     * forward graph and a recorded backward graph alive, and its heap is planned by
     * {@link TrainingMemory#hvpHeapBytes}.
     *
     * @return true for AdaHessian and Hessian-free
     */
    public boolean secondOrder() {
        return this == ADAHESSIAN || this == HESSIAN_FREE;
    }

    /**
     * Throws when a run of {@code config} cannot train with this method; nothing to check by default.
     *
     * @param config the run
     * @throws IllegalArgumentException naming the size and the limit
     */
    public void requireFits(TrainConfig config) {
    }

    /** Adam with the config's ε (PhiFlow's 1e-7 unless the problem suggests another). */
    private static Optimizer adam(TrainConfig config, Module network) {
        return new Adam(network.parameters(), config.learningRate(), Adam.DEFAULT_BETA1, Adam.DEFAULT_BETA2,
                config.adamEpsilon());
    }

    /** AdaHessian's hyper-parameters from the run's settings (the authors' defaults unless given). */
    static AdaHessian.Settings adaHessianSettings(TrainConfig config) {
        return new AdaHessian.Settings(config.learningRate(), config.get(Settings.ADAHESSIAN_BETA1),
                config.get(Settings.ADAHESSIAN_BETA2), config.get(Settings.ADAHESSIAN_EPSILON),
                config.get(Settings.HESSIAN_POWER), config.get(Settings.WEIGHT_DECAY));
    }

    /** Hessian-free's settings from the run's (damping 1, CG capped at 10 iterations, Levenberg–Marquardt on). */
    static HessianFree.Settings hessianFreeSettings(TrainConfig config) {
        return new HessianFree.Settings(config.get(Settings.HF_DAMPING), config.get(Settings.HF_CG_ITERATIONS),
                config.get(Settings.HF_CG_TOLERANCE), !config.get(Settings.HF_FIXED_DAMPING));
    }

    /** loss = Σ_b ½‖P(pred) − y*‖², differentiated through the physics. */
    private static Training.Loss<TrainingStep.Outputs> physicsLoss(Input in) {
        Tensor prediction = in.problem().predict(in.network(), in.batch().yTarget());
        Tensor x = prediction.stopGradient();
        Tensor y = in.problem().physics(prediction);
        return new Training.Loss<>(Problem.l2(y.sub(in.batch().yTarget())).sum(), new TrainingStep.Outputs(x,
                y.stopGradient()));
    }

    /** {@return "sip", "gd", "sgd", "hig", "adahessian" or "hessian-free", as on the command line and in file names} */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Parses a method name.
     *
     * @param s a method's id, any case, surrounding blanks ignored
     * @return the method
     * @throws IllegalArgumentException for an unknown name, naming the valid ones
     */
    public static Method parse(String s) {
        List<String> ids = new ArrayList<>();
        for (Method m : values()) {
            if (m.id().equalsIgnoreCase(s.trim())) {
                return m;
            }
            ids.add(m.id());
        }
        throw new IllegalArgumentException("unknown method '" + s + "'; expected one of " + String.join(", ", ids));
    }
}
