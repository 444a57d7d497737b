package io.sipflow.nn;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Precision;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seed's U-Net: its size, names, shapes, errors and determinism. */
class UNetTest {
    static final UNet.Config SEED_CONFIG = new UNet.Config(1, 1, 4, 16, Norm.BATCH, Activation.RELU, Padding.CIRCULAR);

    @Test
    void seedNetworkHas37697Parameters() {
        UNet net = new UNet(SEED_CONFIG, 0);
        assertEquals(37_697, net.parameterCount());
        Map<String, Module> blocks = net.children();
        assertEquals(List.of("inc", "down1", "down2", "down3", "up1", "up2", "up3", "outc"),
                List.copyOf(blocks.keySet()));
        assertEquals(2_544, blocks.get("inc").parameterCount());
        for (String b : List.of("down1", "down2", "down3")) {
            assertEquals(4_704, blocks.get(b).parameterCount(), b);
        }
        for (String b : List.of("up1", "up2", "up3")) {
            assertEquals(7_008, blocks.get(b).parameterCount(), b);
        }
        assertEquals(17, blocks.get("outc").parameterCount());
    }

    @Test
    void namesFollowTheModuleTreeInPyTorchOrder() {
        UNet net = new UNet(SEED_CONFIG, 0);
        List<String> names = List.copyOf(net.namedParameters().keySet());
        assertEquals(List.of("inc.conv1.weight", "inc.conv1.bias", "inc.norm1.weight", "inc.norm1.bias",
                "inc.conv2.weight", "inc.conv2.bias", "inc.norm2.weight", "inc.norm2.bias"), names.subList(0, 8));
        assertEquals(List.of("outc.weight", "outc.bias"), names.subList(names.size() - 2, names.size()));
        assertEquals(8 * 7 + 2, names.size());
        assertEquals(Shape.of(16, 32, 3, 3), net.namedParameters().get("up1.conv1.weight").shape());
        assertEquals(Shape.of(1, 16, 1, 1), net.namedParameters().get("outc.weight").shape());
        assertEquals("down2.norm2.bias", net.parameters().get(8 * 2 + 7).name());
        assertEquals(7 * 4, net.namedBuffers().size());
        assertTrue(net.namedBuffers().containsKey("up3.norm1.running_var"));
    }

    @Test
    void outputHasTheInputsSpatialShape() {
        UNet net = new UNet(SEED_CONFIG, 1);
        Tensor y = net.forward(Tensor.randn(new SplittableRandom(2), 2, 1, 16, 8));
        assertEquals(Shape.of(2, 1, 16, 8), y.shape());
    }

    @Test
    void float32ScopeGivesFloat32Output() {
        UNet net;
        Tensor y;
        try (var p = Precision.use(DType.FLOAT32)) {
            net = new UNet(SEED_CONFIG, 1);
            y = net.forward(Tensor.randn(new SplittableRandom(2), 2, 1, 8, 8));
        }
        assertEquals(DType.FLOAT32, net.parameters().get(0).dtype());
        assertEquals(DType.FLOAT32, y.dtype());
    }

    @Test
    void indivisibleSizeIsRejectedWithAFix() {
        UNet net = new UNet(SEED_CONFIG, 0);
        var e = assertThrows(IllegalArgumentException.class, () -> net.forward(Tensor.zeros(1, 1, 16, 12)));
        assertTrue(e.getMessage().contains("12") && e.getMessage().contains("2^3 = 8"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> net.forward(Tensor.zeros(1, 2, 16, 16)));
        assertTrue(e.getMessage().contains("(N, 1, H, W)"), e.getMessage());
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        double[] a = new UNet(SEED_CONFIG, 7).parameters().get(0).value().toDoubleArray();
        double[] b = new UNet(SEED_CONFIG, 7).parameters().get(0).value().toDoubleArray();
        double[] c = new UNet(SEED_CONFIG, 8).parameters().get(0).value().toDoubleArray();
        assertArrayEquals(a, b, 0);
        assertTrue(a[0] != c[0]);
    }

    @Test
    void everyParameterGetsAGradientOfItsShape() {
        UNet net = new UNet(new UNet.Config(1, 2, 3, 4, Norm.BATCH, Activation.RELU, Padding.ZERO), 3);
        Tensor y = net.forward(Tensor.randn(new SplittableRandom(4), 2, 1, 8, 8));
        Gradients g = Autodiff.grad(y.square().sum(), net.parameterValues());
        for (Parameter p : net.parameters()) {
            assertEquals(p.shape(), g.get(p.value()).shape(), p.name());
        }
        // A 2-level net with 2 filters and no norms: inc (1→2→2), down1 (2→2→2), up1 (4→2→2), outc (2→1).
        UNet plain = new UNet(new UNet.Config(1, 1, 2, 2, Norm.NONE, Activation.RELU, Padding.ZERO), 0);
        assertEquals((1 * 2 * 9 + 2) + (2 * 2 * 9 + 2) + 2 * (2 * 2 * 9 + 2) + (4 * 2 * 9 + 2) + (2 * 2 * 9 + 2)
                + (2 + 1), plain.parameterCount());
    }
}
