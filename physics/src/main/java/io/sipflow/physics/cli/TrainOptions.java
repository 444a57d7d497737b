package io.sipflow.physics.cli;

import io.sipflow.physics.train.Method;
import io.sipflow.physics.train.TrainConfig;
import picocli.CommandLine.Option;

/**
 * The settings of a training run, shared by {@code train} and {@code compare}. Precedence: an explicit flag, then
 * {@code --preset}, then the defaults below.
 */
public final class TrainOptions {
    /**
     * Default run: small enough that {@code sipflow compare} (SIP then GD) finishes well under 10 minutes on a
     * 2-core machine, large enough that SIP's advantage over GD shows. Measured with the Vector API conv kernels
     * on the shared 2-core machine: 32×32, batch 32, 300 steps took 32 s (SIP, 86 ms/step) + 26 s (GD, 78 ms/step)
     * at load ~2, and 98 s + 54 s at load ~9; final test x_l2 SIP 12.1 vs GD 20.3 (1.67× lower).
     * (With the scalar reference conv a step is ~10× slower.)
     */
    static final int DEFAULT_STEPS = 300;
    static final int DEFAULT_BATCH = 32;
    static final int DEFAULT_RESOLUTION = 32;
    static final int DEFAULT_TEST_BATCH = 64;

    /** Named configurations. */
    enum Preset {
        /** The seed notebook: 64×64, batch 128, 500 steps. */
        SEED
    }

    @Option(names = "--preset", paramLabel = "NAME", description = "seed: the notebook's 64x64, batch 128, 500 steps")
    Preset preset;

    @Option(names = "--steps", paramLabel = "N", description = "training steps (default " + DEFAULT_STEPS + ")")
    Integer steps;

    @Option(names = "--batch", paramLabel = "B", description = "examples per step (default " + DEFAULT_BATCH + ")")
    Integer batch;

    @Option(names = "--resolution", paramLabel = "R", description = "grid size R x R, a multiple of 8 (default "
            + DEFAULT_RESOLUTION + ")")
    Integer resolution;

    @Option(names = "--seed", paramLabel = "S", description = "seed of initial weights and training data (default 0)")
    Long seed;

    @Option(names = "--lr", paramLabel = "RATE", description = "Adam learning rate (default 1e-3)")
    Double lr;

    @Option(names = "--test-batch", paramLabel = "B", description = "size of the held-out test batch (default "
            + DEFAULT_TEST_BATCH + ")")
    Integer testBatch;

    @Option(names = "--test-seed", paramLabel = "S", description = "seed of the held-out test batch (default 1)")
    Long testSeed;

    @Option(names = "--test-every", paramLabel = "N", description = "evaluate the test batch every N steps (default 50)")
    Integer testEvery;

    /** The run's settings for {@code method}; inconsistent values are a usage error (exit 2). */
    TrainConfig resolve(Method method, picocli.CommandLine cl) {
        try {
            return resolve(method);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(cl, e.getMessage());
        }
    }

    private TrainConfig resolve(Method method) {
        TrainConfig base = preset == Preset.SEED ? TrainConfig.seedPreset(method)
                : new TrainConfig(method, DEFAULT_STEPS, DEFAULT_BATCH, DEFAULT_RESOLUTION, 0, 1e-3,
                DEFAULT_TEST_BATCH, 1, 50);
        return new TrainConfig(method, or(steps, base.steps()), or(batch, base.batch()),
                or(resolution, base.resolution()), or(seed, base.seed()), or(lr, base.learningRate()),
                or(testBatch, base.testBatch()), or(testSeed, base.testSeed()), or(testEvery, base.testEvery()));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
