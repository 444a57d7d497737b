package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Tensor;
import io.sipflow.testkit.TensorValues;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static io.sipflow.autodiff.ops.SecondOrderProperties.check2;
import static io.sipflow.autodiff.ops.SecondOrderProperties.squared;

/**
 * Second order of the image ops whose backward passes are kernels of their own (conv2d's two adjoints, batch norm,
 * max-pool, bilinear upsampling): each is checked as op(x)², so that every input of the backward kernels (the
 * output gradient as well as the forward's inputs) is differentiated. See {@link SecondOrderProperties}.
 */
class SecondOrderImageProperties {
    @Provide
    Arbitrary<Integer> kernels() {
        return Arbitraries.of(1, 3);
    }

    @Property(tries = 20)
    void conv2d(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 2) int c,
                @ForAll @IntRange(min = 1, max = 2) int o, @ForAll @IntRange(min = 1, max = 4) int h,
                @ForAll @IntRange(min = 1, max = 4) int w, @ForAll("kernels") int k, @ForAll Padding padding,
                @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        check2("conv2d", seed, squared(in -> ConvOps.conv2d(in[0], in[1], in[2], padding)),
                Tensor.randn(rng, n, c, h, w), Tensor.randn(rng, o, c, k, k), Tensor.randn(rng, o));
    }

    @Property(tries = 15)
    void conv2dConcatUpsampled(@ForAll @IntRange(min = 1, max = 2) int ca, @ForAll @IntRange(min = 1, max = 2) int cb,
                               @ForAll @IntRange(min = 1, max = 2) int h, @ForAll @IntRange(min = 1, max = 2) int w,
                               @ForAll("kernels") int k, @ForAll Padding padding, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        check2("conv2dConcatUpsampled", seed,
                squared(in -> ConvOps.conv2dConcatUpsampled(in[0], in[1], in[2], in[3], padding)),
                Tensor.randn(rng, 1, ca, 2 * h, 2 * w), Tensor.randn(rng, 1, cb, h, w),
                Tensor.randn(rng, 2, ca + cb, k, k), Tensor.randn(rng, 2));
    }

    @Property(tries = 20)
    void batchNormTraining(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 2) int c,
                           @ForAll @IntRange(min = 1, max = 3) int h, @ForAll @IntRange(min = 2, max = 3) int w,
                           @ForAll NormOps.Fused fused, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor x = Tensor.randn(rng, n, c, h, w);
        Tensor gamma = Tensor.randn(rng, c);
        Tensor beta = Tensor.randn(rng, c);
        if (fused == NormOps.Fused.RELU) { // stay 0.01 away from ReLU's kink, which differences of 1e-4 must not cross
            Tensor y = NormOps.batchNorm2d(x, gamma, beta, 1e-3, NormOps.Fused.NONE).output();
            Assume.that(y.abs().lt(Tensor.scalar(0.01)).sum().item() == 0);
        }
        check2("batchNorm2d " + fused, seed, squared(in -> NormOps.batchNorm2d(in[0], in[1], in[2], 1e-3, fused).output()),
                x, gamma, beta);
    }

    @Property(tries = 20)
    void batchNormInference(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 3) int c,
                            @ForAll NormOps.Fused fused, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor x = Tensor.randn(rng, n, c, 2, 3);
        Tensor gamma = Tensor.randn(rng, c);
        Tensor beta = Tensor.randn(rng, c);
        Tensor mean = Tensor.randn(rng, c);
        Tensor variance = Tensor.rand(rng, c).add(0.5);
        if (fused == NormOps.Fused.RELU) {
            Tensor y = NormOps.batchNorm2dInference(x, gamma, beta, mean, variance, 1e-5, NormOps.Fused.NONE);
            Assume.that(y.abs().lt(Tensor.scalar(0.01)).sum().item() == 0);
        }
        check2("batchNorm2dInference " + fused, seed,
                squared(in -> NormOps.batchNorm2dInference(in[0], in[1], in[2], mean, variance, 1e-5, fused)),
                x, gamma, beta);
    }

    @Property(tries = 20)
    void maxPool2d(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 2) int c,
                   @ForAll @IntRange(min = 1, max = 3) int halfH, @ForAll @IntRange(min = 1, max = 3) int halfW,
                   @ForAll long seed) {
        // distinct values 0.1 apart: every window has one argmax that differences of 1e-4 cannot move
        Tensor x = TensorValues.distinct(io.sipflow.autodiff.Shape.of(n, c, 2 * halfH, 2 * halfW), seed);
        check2("maxPool2d", seed, squared(in -> ImageOps.maxPool2d(in[0], 2)), x);
    }

    @Property(tries = 20)
    void upsampleBilinear2x(@ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 2) int c,
                            @ForAll @IntRange(min = 1, max = 4) int h, @ForAll @IntRange(min = 1, max = 4) int w,
                            @ForAll long seed) {
        check2("upsampleBilinear2x", seed, squared(in -> ImageOps.upsampleBilinear2x(in[0])),
                Tensor.randn(new SplittableRandom(seed), n, c, h, w));
    }
}
