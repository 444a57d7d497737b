package io.sipflow.nn;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.io.Npz;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our U-Net against PyTorch's (golden/make_unet_golden.py, the architecture of bench/torch_sip_step.py):
 * same weights, same float64 input (2, 1, 16, 16), training-mode batch norm. Both sides compute in float64 and
 * differ only in summation order, so we require agreement to 1e-10 (absolute, values are O(1)).
 */
class UNetTorchGoldenTest {
    private static final double TOLERANCE = 1e-10;
    private static Map<String, Tensor> golden;

    @BeforeAll
    static void load() throws Exception {
        golden = Npz.read(Path.of(UNetTorchGoldenTest.class.getResource("/golden/unet_torch_golden.npz").toURI()));
    }

    private static UNet netWithGoldenWeights() {
        UNet net = new UNet(UNetTest.SEED_CONFIG, 123); // FLOAT64 parameters, overwritten below
        for (Parameter p : net.parameters()) {
            p.set(golden.get("param." + p.name()).to(DType.FLOAT64));
        }
        return net;
    }

    @Test
    void parameterNamesShapesAndOrderMatchPyTorch() {
        List<String> torchOrder = new ArrayList<>();
        for (String key : golden.keySet()) {
            if (key.startsWith("param.")) {
                torchOrder.add(key.substring("param.".length()));
            }
        }
        UNet net = new UNet(UNetTest.SEED_CONFIG, 0);
        assertEquals(torchOrder, List.copyOf(net.namedParameters().keySet()));
        for (Parameter p : net.parameters()) {
            assertEquals(golden.get("param." + p.name()).shape(), p.shape(), p.name());
        }
    }

    @Test
    void forwardMatchesPyTorchInTrainingMode() {
        UNet net = netWithGoldenWeights();
        Tensor y = net.forward(golden.get("input"));
        assertClose("output", golden.get("output"), y);
        // One training-mode forward pass moved every running statistic the same way.
        for (Map.Entry<String, Buffer> b : net.namedBuffers().entrySet()) {
            assertClose(b.getKey(), golden.get("running." + b.getKey()), b.getValue().value());
        }
    }

    @Test
    void gradientsMatchPyTorch() {
        UNet net = netWithGoldenWeights();
        Tensor x = golden.get("input").variable();
        Tensor y = net.forward(x);
        List<Tensor> wrt = new ArrayList<>(net.parameterValues());
        wrt.add(x);
        Gradients g = Autodiff.grad(y.square().sum().mul(0.5), wrt);
        int checked = 0;
        for (Parameter p : net.parameters()) {
            Tensor expected = golden.get("grad." + p.name());
            if (expected != null) {
                assertClose("grad " + p.name(), expected, g.get(p.value()));
                checked++;
            }
        }
        assertEquals(6, checked);
        assertClose("grad input", golden.get("grad.input"), g.get(x));
    }

    private static void assertClose(String what, Tensor expected, Tensor actual) {
        assertEquals(expected.shape(), actual.shape(), what);
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            worst = Math.max(worst, Math.abs(e[i] - a[i]));
        }
        assertTrue(worst <= TOLERANCE * Math.max(1, maxAbs(e)), what + ": max |torch − ours| = " + worst);
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
