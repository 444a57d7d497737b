package io.sipflow.autodiff;

import java.util.SplittableRandom;

/** Tests' raw float inputs for the kernels, shaped like a network's values. */
public final class KernelInputs {
    private KernelInputs() {
    }

    /**
     * size floats of mixed magnitudes (uniform in ±½ scaled by 2^−3 … 2^3), about one in eight an exact zero (a
     * ReLU'd gradient has many).
     *
     * @param rng the draws
     * @param size how many
     * @return a new array
     */
    public static float[] randn(SplittableRandom rng, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = rng.nextInt(8) == 0 ? 0f : (float) ((rng.nextDouble() - 0.5) * Math.pow(2, rng.nextInt(-3, 4)));
        }
        return v;
    }
}
