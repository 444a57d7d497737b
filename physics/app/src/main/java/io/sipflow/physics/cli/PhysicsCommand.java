package io.sipflow.physics.cli;

import io.sipflow.autodiff.Tensor;
import io.sipflow.physics.Diffuse;
import io.sipflow.physics.InverseDiffuse;
import io.sipflow.physics.Laplace;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code sipflow physics diffuse|inverse|poisson}: the operators on .npy arrays, so anyone can check them with
 * NumPy or SciPy.
 */
@Command(name = "physics", mixinStandardHelpOptions = true,
        description = "Apply the heat operators or the Poisson solve to .npy arrays of shape (R, R) or (B, R, R).",
        subcommands = {PhysicsCommand.DiffuseCommand.class, PhysicsCommand.InverseCommand.class,
                PhysicsCommand.PoissonCommand.class})
final class PhysicsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: diffuse, inverse or poisson");
    }

    /** Physics constants are finite and positive: a negative amount would amplify every mode (values of 1e67). */
    static void requirePositive(CommandSpec spec, String flag, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new CommandLine.ParameterException(spec.commandLine(), flag + " must be a finite number > 0, got "
                    + value);
        }
    }

    /**
     * The inverse's log-kernel is |k|²·(4π²·amount) with |k|² ≤ ½; once 4π²·amount passes {@link Double#MAX_VALUE}
     * it is ∞, and ∞·0 at k = 0 makes every value NaN. Such an amount asks to undo an unbounded blur: refused.
     */
    static void requireKernelInRange(CommandSpec spec, double amount) {
        if (!Double.isFinite(4 * Math.PI * Math.PI * amount)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--amount " + amount + " is too large: the"
                    + " inverse kernel's exponent 4π²·|k|²·amount overflows a double (use --amount below "
                    + String.format(java.util.Locale.ROOT, "%.3g", Double.MAX_VALUE / (4 * Math.PI * Math.PI)) + ")");
        }
    }

    /** v = Re(ifft2(fft2(u)·exp(−4π²|k|²·amount))). */
    @Command(name = "diffuse", mixinStandardHelpOptions = true, sortOptions = false,
            description = "v = Re(ifft2(fft2(u) * exp(-4 pi^2 |k|^2 amount))), k = fftfreq(R) per axis.")
    static final class DiffuseCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--in", paramLabel = "FILE", required = true, description = "input field u (.npy)")
        Path in;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "output field v (.npy, float64)")
        Path out;

        @Option(names = "--amount", paramLabel = "A", defaultValue = "8", description = "diffusivity x time (default 8)")
        double amount;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() throws Exception {
            requirePositive(spec, "--amount", amount);
            common.apply();
            Tensor u = NpyFields.read(in, "--in");
            Tensor v = NpyFields.requireFiniteResult(Diffuse.fourier(u, amount, 1),
                    "the input's values are too large for a double after the transform; scale them down");
            NpyFields.write(out, v);
            spec.commandLine().getOut().println("wrote " + out + " " + v.shape() + " float64");
            return 0;
        }
    }

    /** dx = the seed's damped inverse of a residual r, with uncertainty |r|·scale. */
    @Command(name = "inverse", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"dx = the seed's damped inverse diffusion of residual r (inv_diffuse + apply_damping).",
                    "Per-cell uncertainty is |r| * scale."})
    static final class InverseCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--in", paramLabel = "FILE", required = true, description = "residual r (.npy)")
        Path in;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "correction dx (.npy, float64)")
        Path out;

        @Option(names = "--amount", paramLabel = "A", defaultValue = "8", description = "diffusivity x time (default 8)")
        double amount;

        @Option(names = "--uncertainty-scale", paramLabel = "S", defaultValue = "1e-6",
                description = "uncertainty = |r| * S (default 1e-6, as in SIP training)")
        double uncertaintyScale;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() throws Exception {
            requirePositive(spec, "--amount", amount);
            requirePositive(spec, "--uncertainty-scale", uncertaintyScale);
            requireKernelInRange(spec, amount);
            common.apply();
            Tensor r = NpyFields.read(in, "--in");
            Tensor dx = NpyFields.requireFiniteResult(
                    InverseDiffuse.fourier(r, amount, r.abs().mul(uncertaintyScale)).correction(),
                    "the inverse kernel exp(4π²|k|²·amount) overflows where the residual looks like signal;"
                            + " use a smaller --amount (or scale the residual)");
            NpyFields.write(out, dx);
            spec.commandLine().getOut().println("wrote " + out + " " + dx.shape() + " float64");
            return 0;
        }
    }

    /** y with ∇²y = x: the Poisson experiment's forward physics. */
    @Command(name = "poisson", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"y with laplace(y) = x: 5-point Laplacian, cell size 1, zero outside the grid,",
                    "solved per field by conjugate gradients to relative residual 1e-5 from y = 0."})
    static final class PoissonCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--in", paramLabel = "FILE", required = true, description = "source field x (.npy)")
        Path in;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "solution y (.npy, float64)")
        Path out;

        @Option(names = "--tolerance", paramLabel = "T", defaultValue = "1e-5",
                description = "stop when |residual| <= T |x| per field (default 1e-5, as in the paper's script)")
        double tolerance;

        @Option(names = "--max-iterations", paramLabel = "N", defaultValue = "1000",
                description = "give up (exit 1, naming the residual reached) after N iterations (default 1000)")
        int maxIterations;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() throws Exception {
            requirePositive(spec, "--tolerance", tolerance);
            requirePositive(spec, "--max-iterations", maxIterations);
            common.apply();
            Tensor x = NpyFields.read(in, "--in");
            Tensor y = NpyFields.requireFiniteResult(Laplace.solve(x, tolerance, maxIterations),
                    "the solution is too large for a double (it grows like the grid's size squared times the"
                            + " source); scale the source down");
            NpyFields.write(out, y);
            spec.commandLine().getOut().println("wrote " + out + " " + y.shape() + " float64");
            return 0;
        }
    }
}
