package io.sipflow.nn;

import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.ops.ImageOps;

/** 2×2 max pooling with stride 2 (PyTorch's {@code nn.MaxPool2d(2)}); H and W must be even. */
public final class MaxPool2d extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return ImageOps.maxPool2d(x, 2);
    }
}
