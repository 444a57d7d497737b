package io.sipflow.physics.train;

/**
 * Settings of one training run. The network's initial weights come from {@code seed}; the training batches from
 * a stream split off {@code seed}; the held-out test batch from {@code testSeed}. Runs that differ only in
 * {@code method} therefore start from identical weights and see identical batches.
 *
 * @param testEvery evaluate the held-out batch after every this many steps (and at step 0 and at the end)
 */
public record TrainConfig(Method method, int steps, int batch, int resolution, long seed, double learningRate,
                          int testBatch, long testSeed, int testEvery) {

    /** The seed notebook: 64×64, batch 128, 500 steps, Adam lr 1e-3. */
    public static TrainConfig seedPreset(Method method) {
        return new TrainConfig(method, 500, 128, 64, 0, 1e-3, 64, 1, 50);
    }

    public TrainConfig {
        require(steps >= 0, "steps must be >= 0, got " + steps);
        require(batch >= 1, "batch must be >= 1, got " + batch);
        require(testBatch >= 1, "test batch must be >= 1, got " + testBatch);
        require(testEvery >= 1, "test interval must be >= 1, got " + testEvery);
        require(learningRate > 0, "learning rate must be > 0, got " + learningRate);
        require(resolution >= 8 && resolution % 8 == 0, "resolution " + resolution
                + " is not a positive multiple of 2^3 = 8, which a 4-level U-Net needs (try 16, 32 or 64)");
    }

    public TrainConfig withMethod(Method m) {
        return new TrainConfig(m, steps, batch, resolution, seed, learningRate, testBatch, testSeed, testEvery);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
