package io.sipflow.autodiff;

import io.sipflow.autodiff.ops.ConvOps;
import io.sipflow.autodiff.ops.ImageOps;
import io.sipflow.autodiff.ops.NormOps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backward pass recycles the arrays of adjoints it is done with ({@link BufferPool}, {@link AdjointRecycler}).
 * Each test would fail if an array were reused while a tensor could still read it: gradients are compared bit for
 * bit with a run that recycles nothing, and tensors the caller holds are compared with copies taken before later
 * passes reused the pool's arrays.
 */
class AdjointRecyclingTest {
    private static final int N = 4;
    private static final int C = 4;
    private static final int H = 32; // 4·4·32·32 = 16384 elements per activation: above BufferPool.MIN_LENGTH

    @AfterEach
    void recyclingBackOn() {
        BufferPool.setEnabled(true);
    }

    private static Tensor randn(long seed, int... dims) {
        return Tensor.randn(new SplittableRandom(seed), dims).to(DType.FLOAT32);
    }

    private record Net(Tensor w1, Tensor w2, Tensor w3, Tensor w4, Tensor gamma, Tensor beta) {
        static Net create() {
            return new Net(randn(1, C, 1, 3, 3).variable(), randn(2, C, C, 3, 3).variable(),
                    randn(3, C, C, 3, 3).variable(), randn(4, 1, 2 * C, 3, 3).variable(),
                    randn(5, C).add(Tensor.scalar(2).to(DType.FLOAT32)).variable(), randn(6, C).variable());
        }

        List<Tensor> params() {
            return List.of(w1, w2, w3, w4, gamma, beta);
        }

        /**
         * A small U-Net with the ops of the seed step (conv, fused batch norm + ReLU, max-pool, the decoder's fused
         * conv of [skip, upsample(low)]), plus the shapes of VJP that alias: add returns its cotangent for both
         * inputs, reshape a view of it, and {@code a} feeds four consumers (accumulated gradients).
         */
        Tensor loss(Tensor x, List<Tensor> keep) {
            Tensor a = bnRelu(ConvOps.conv2d(x, w1, null, Padding.CIRCULAR));
            Tensor a2 = bnRelu(ConvOps.conv2d(a, w2, null, Padding.CIRCULAR));
            Tensor skip = a.add(a2); // add's VJP hands the same cotangent to a and a2
            Tensor low = bnRelu(ConvOps.conv2d(ImageOps.maxPool2d(skip, 2), w3, null, Padding.CIRCULAR));
            Tensor up = ConvOps.conv2dConcatUpsampled(skip, low, w4, null, Padding.CIRCULAR);
            Tensor out = up.reshape(N, H * H).add(a.mul(a).sum(new int[] {1}, false).reshape(N, H * H));
            keep.addAll(List.of(a, a2, skip, low, up, out));
            return out.square().sum();
        }

        private Tensor bnRelu(Tensor x) {
            return NormOps.batchNorm2d(x, gamma, beta, 1e-5, NormOps.Fused.RELU).output();
        }
    }

    /** Gradients of three consecutive steps' losses (the forward pass rebuilt each time, as a trainer does). */
    private static List<float[]> threeSteps(Autodiff.AfterBackward after) {
        Net net = Net.create();
        List<float[]> out = new ArrayList<>();
        for (int step = 0; step < 3; step++) {
            Tensor x = randn(10 + step, N, 1, H, H);
            Gradients g = Autodiff.grad(net.loss(x, new ArrayList<>()), net.params(), Autodiff.Disconnected.ERROR,
                    after);
            for (Tensor gi : g.asList()) {
                out.add(gi.toFloatArray());
            }
        }
        return out;
    }

    private static void assertSameBits(List<float[]> expected, List<float[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "gradient " + i);
        }
    }

    @Test
    void recycledGradientsAreTheBitsOfFreshOnes() {
        BufferPool.setEnabled(false);
        List<float[]> fresh = threeSteps(Autodiff.AfterBackward.FREE_GRAPH);
        BufferPool.setEnabled(true);
        long recycled = BufferPool.recycledCount();
        long reused = BufferPool.reusedCount();
        List<float[]> pooled = threeSteps(Autodiff.AfterBackward.FREE_GRAPH);
        assertSameBits(fresh, pooled);
        assertSameBits(fresh, threeSteps(Autodiff.AfterBackward.KEEP_GRAPH));
        assertTrue(BufferPool.recycledCount() > recycled, "the passes gave arrays back");
        assertTrue(BufferPool.reusedCount() > reused, "later ops took them");
    }

    @Test
    void tensorsTheCallerHoldsNeverChange() {
        Net net = Net.create();
        List<Tensor> activations = new ArrayList<>();
        Gradients first = Autodiff.grad(net.loss(randn(20, N, 1, H, H), activations), net.params());
        List<float[]> before = new ArrayList<>();
        for (Tensor t : activations) {
            before.add(t.toFloatArray());
        }
        List<float[]> gradsBefore = new ArrayList<>();
        for (Tensor t : first.asList()) {
            gradsBefore.add(t.toFloatArray());
        }
        for (int step = 0; step < 3; step++) { // passes that reuse whatever the pool got back
            Autodiff.grad(net.loss(randn(21 + step, N, 1, H, H), new ArrayList<>()), net.params());
        }
        for (int i = 0; i < activations.size(); i++) {
            assertArrayEquals(before.get(i), activations.get(i).toFloatArray(), "activation " + i);
        }
        for (int i = 0; i < gradsBefore.size(); i++) {
            assertArrayEquals(gradsBefore.get(i), first.get(i).toFloatArray(), "returned gradient " + i);
        }
    }

    @Test
    void aGradientThatIsAlsoAnotherInputsStaysLive() {
        // d/dx, d/dy of sum(c·(x + y)) and of a graph where x's gradient is y's cotangent itself, a view of it, and
        // the same array wrapped again: each must survive the recycling of the cotangent it aliases.
        Tensor c = randn(30, N, C, H, H);
        float[] expected = c.toFloatArray();
        Tensor x = randn(31, N, C, H, H).variable();
        Tensor y = randn(32, N, C, H, H).variable();
        for (int variant = 0; variant < 3; variant++) {
            int v = variant;
            Tensor passed = Autodiff.customVjp("alias" + v, in -> in[0].add(in[1]), (in, out, g) -> new Tensor[] {
                v == 0 ? g : v == 1 ? g.reshape(N * C, H * H).reshape(N, C, H, H) : Tensor.wrap(g.shape(), g.floatData()),
                g}, x, y);
            // mul's VJP makes a fresh cotangent for "alias": from the pool, so it is a candidate for recycling
            Gradients g = Autodiff.grad(passed.mul(c).sum(), x, y);
            Autodiff.grad(x.mul(c).exp().sum(), x); // a pass that reuses whatever was given back
            assertArrayEquals(expected, g.get(x).toFloatArray(), "variant " + v + ", x");
            assertArrayEquals(expected, g.get(y).toFloatArray(), "variant " + v + ", y");
        }
    }

    @Test
    void aCotangentKeptPastThePassThrowsInsteadOfChanging() {
        Tensor c = randn(40, N, C, H, H);
        Tensor x = randn(41, N, C, H, H).variable();
        AtomicReference<Tensor> kept = new AtomicReference<>();
        AtomicReference<float[]> copy = new AtomicReference<>();
        Tensor out = Autodiff.customVjp("keeper", in -> in[0].mul(Tensor.scalar(2).to(DType.FLOAT32)),
                (in, o, g) -> {
                    kept.set(g);
                    copy.set(g.toFloatArray());
                    return new Tensor[] {g.mul(Tensor.scalar(2).to(DType.FLOAT32))};
                }, x);
        Autodiff.grad(out.mul(c).sum(), x);
        assertArrayEquals(c.toFloatArray(), copy.get(), "a copy made inside the VJP is the caller's to keep");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> kept.get().floatData());
        assertTrue(e.getMessage().contains("'keeper'"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> kept.get().getFlat(0));
        assertThrows(IllegalStateException.class, () -> kept.get().add(x));
    }

    @Test
    void recordedPassesRecycleNothing() {
        Tensor x = randn(50, N, C, H, H).variable();
        Tensor w = randn(51, C, C, 3, 3).variable();
        long before = BufferPool.recycledCount();
        Gradients g = Autodiff.grad(ConvOps.conv2d(x, w, null, Padding.CIRCULAR).relu().square().sum(),
                List.of(x, w), Autodiff.Differentiable.YES);
        assertEquals(before, BufferPool.recycledCount(), "the recorded pass keeps every adjoint");
        assertTrue(g.get(x).requiresGrad());
    }

    @Test
    void hessianVectorProductsAreTheBitsOfFreshOnes() {
        Tensor v = randn(60, N, C, H, H);
        Tensor vw = randn(61, C, C, 3, 3);
        List<float[]> runs = new ArrayList<>();
        for (boolean on : new boolean[] {false, true, true}) {
            BufferPool.setEnabled(on);
            Tensor x = randn(62, N, C, H, H).variable();
            Tensor w = randn(63, C, C, 3, 3).variable();
            Tensor y = ConvOps.conv2d(x, w, null, Padding.CIRCULAR);
            Tensor loss = y.mul(y).mul(ConvOps.conv2d(y, w, null, Padding.CIRCULAR)).sum();
            List<Tensor> h = Autodiff.hvp(loss, List.of(x, w), List.of(v, vw));
            runs.add(h.get(0).toFloatArray());
            runs.add(h.get(1).toFloatArray());
        }
        assertArrayEquals(runs.get(0), runs.get(2));
        assertArrayEquals(runs.get(1), runs.get(3));
        assertArrayEquals(runs.get(0), runs.get(4));
        assertArrayEquals(runs.get(1), runs.get(5));
    }

    @Test
    void anArrayIsGivenBackOnceAndHandedOutOnce() {
        float[] a = BufferPool.floats(BufferPool.MIN_LENGTH);
        assertTrue(BufferPool.claim(a), "an issued array can be claimed");
        assertFalse(BufferPool.claim(a), "but only once");
        assertFalse(BufferPool.claim(new float[BufferPool.MIN_LENGTH]), "an array the pool did not issue: never");
        BufferPool.offer(a);
        float[] b = BufferPool.floats(BufferPool.MIN_LENGTH);
        float[] c = BufferPool.floats(BufferPool.MIN_LENGTH);
        assertNotSame(b, c, "one array never serves two tensors");
        Arrays.fill(b, 1f);
        assertTrue(BufferPool.claim(b));
        BufferPool.offer(b);
        float[] zeroed = BufferPool.zeroedFloats(BufferPool.MIN_LENGTH);
        assertArrayEquals(new float[BufferPool.MIN_LENGTH], zeroed, "zeroedFloats fills a recycled array");
    }

    @Test
    void aGradientForAnInputThatNeedsNoneIsRecycledButNeverOneStillHeld() {
        // A VJP computes gradients for every input; the one for a constant is dropped. It is given back unless the
        // same array is the gradient of an input that needs it: the same fresh tensor for both inputs, in either
        // order, or the cotangent itself (still held for the op's output). Then x's gradient must keep its values.
        Tensor c = randn(70, N, C, H, H);
        Tensor x = randn(71, N, C, H, H).variable();
        Tensor k = randn(72, N, C, H, H); // a constant input
        float[] twice = c.mul(Tensor.scalar(2).to(DType.FLOAT32)).toFloatArray();
        for (int variant = 0; variant < 4; variant++) {
            int v = variant;
            boolean constantFirst = v == 1;
            AtomicReference<Tensor> forConstant = new AtomicReference<>();
            Tensor[] inputs = constantFirst ? new Tensor[] {k, x} : new Tensor[] {x, k};
            Tensor out = Autodiff.customVjp("both" + v, in -> in[0].add(in[1]), (in, o, g) -> {
                Tensor fresh = g.mul(Tensor.scalar(2).to(DType.FLOAT32));
                Tensor other = v == 3 ? g.mul(Tensor.scalar(3).to(DType.FLOAT32)) : v == 2 ? g : fresh;
                forConstant.set(other);
                Tensor forX = v == 2 ? g : fresh;
                return constantFirst ? new Tensor[] {other, forX} : new Tensor[] {forX, other};
            }, inputs);
            long before = BufferPool.recycledCount();
            Gradients g = Autodiff.grad(out.mul(c).sum(), x);
            long recycled = BufferPool.recycledCount() - before;
            Autodiff.grad(x.mul(c).exp().sum(), x); // a pass that reuses whatever was given back
            assertArrayEquals(v == 2 ? c.toFloatArray() : twice, g.get(x).toFloatArray(), "variant " + v);
            if (v == 3) {
                assertTrue(recycled > 0, "the constant's own gradient is given back");
                assertThrows(IllegalStateException.class, () -> forConstant.get().getFlat(0),
                        "and reading it afterwards throws instead of showing reused values");
            }
        }
    }

    @Test
    void squaresGradientIsTheBitsOfAFreshOne() {
        List<float[]> runs = new ArrayList<>();
        for (boolean on : new boolean[] {false, true, true, true}) {
            BufferPool.setEnabled(on);
            Tensor x = randn(80, N, C, H, H).variable();
            Tensor c = randn(81, N, C, H, H);
            Tensor y = x.square().mul(c);
            Gradients g = Autodiff.grad(y.square().sum(), x);
            runs.add(g.get(x).toFloatArray());
            runs.add(y.toFloatArray());
        }
        for (int i = 2; i < runs.size(); i++) {
            assertArrayEquals(runs.get(i % 2), runs.get(i), "run " + i / 2 + (i % 2 == 0 ? " gradient" : " value"));
        }
    }
}
