package io.sipflow.physics.problem;

import io.sipflow.nn.Norm;
import io.sipflow.nn.UNet;

/**
 * Batch norm normalises each channel by the mean and variance over the batch and the grid; at a U-Net's deepest
 * level the grid is R / 2^(levels−1) on a side, so a batch there holds batch·(R / 2^(levels−1))² values per
 * channel. With one value the variance is zero and the layer outputs β whatever the input: nothing can train.
 */
final class BatchNormSizes {
    private BatchNormSizes() {
    }

    static void require(UNet.Config net, int resolution, int batch, int testBatch) {
        if (net.norm() != Norm.BATCH) {
            return;
        }
        int bottom = resolution >> (net.levels() - 1);
        requireOne("batch", batch, resolution, bottom);
        requireOne("test batch", testBatch, resolution, bottom);
    }

    private static void requireOne(String what, int size, int resolution, int bottom) {
        if ((long) size * bottom * bottom < 2) {
            throw new IllegalArgumentException(what + " " + size + " at " + resolution + "x" + resolution
                    + ": the U-Net's batch norm would see one value per channel at its deepest level (" + bottom + "x"
                    + bottom + ") and needs more than one value per channel; use a " + what + " of 2 or more, or a"
                    + " resolution of " + 2 * resolution + " or more");
        }
    }
}
