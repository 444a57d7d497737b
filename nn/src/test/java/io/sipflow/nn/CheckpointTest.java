package io.sipflow.nn;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.io.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoints restore a network exactly, with its optimizer, and refuse files that do not fit. */
class CheckpointTest {
    private static final UNet.Config SMALL = new UNet.Config(1, 1, 2, 4, Norm.BATCH, Activation.RELU, Padding.CIRCULAR);

    @TempDir
    Path dir;

    private static void train(UNet net, Adam adam, Tensor x) {
        adam.step(Autodiff.grad(net.forward(x).square().sum(), net.parameterValues()));
    }

    @Test
    void roundTripRestoresParametersBuffersOptimizerAndStep() throws IOException {
        Tensor x = Tensor.randn(new SplittableRandom(3), 2, 1, 4, 4);
        UNet a = new UNet(SMALL, 1);
        Adam adamA = new Adam(a.parameters(), 1e-2);
        train(a, adamA, x);
        Path f = dir.resolve("ckpt.npz");
        Checkpoint.save(f, a, adamA, 42);

        UNet b = new UNet(SMALL, 2);
        Adam adamB = new Adam(b.parameters(), 1e-2);
        assertEquals(42, Checkpoint.load(f, b, adamB));
        for (Map.Entry<String, Parameter> e : a.namedParameters().entrySet()) {
            assertArrayEquals(e.getValue().value().toDoubleArray(),
                    b.namedParameters().get(e.getKey()).value().toDoubleArray(), 0, e.getKey());
        }
        assertArrayEquals(a.namedBuffers().get("inc.norm1.running_mean").value().toDoubleArray(),
                b.namedBuffers().get("inc.norm1.running_mean").value().toDoubleArray(), 0);
        // Continuing from the checkpoint is indistinguishable from never stopping.
        train(a, adamA, x);
        train(b, adamB, x);
        assertArrayEquals(a.parameters().get(0).value().toDoubleArray(),
                b.parameters().get(0).value().toDoubleArray(), 0);
    }

    @Test
    void moduleOnlyCheckpointLoadsIntoModule() throws IOException {
        UNet a = new UNet(SMALL, 1);
        Path f = dir.resolve("m.npz");
        Checkpoint.save(f, a);
        assertEquals(a.parameters().size() + a.namedBuffers().size(), Npz.read(f).size());
        UNet b = new UNet(SMALL, 2);
        assertEquals(0, Checkpoint.load(f, b));
        assertArrayEquals(a.parameters().get(3).value().toDoubleArray(),
                b.parameters().get(3).value().toDoubleArray(), 0);
        var e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.load(f, b, new Adam(b.parameters(), 1e-3)));
        assertTrue(e.getMessage().contains("no optimizer state"), e.getMessage());
    }

    @Test
    void mismatchNamesTheEntryAndTheFileAndChangesNothing() throws IOException {
        Path f = dir.resolve("wide.npz");
        Checkpoint.save(f, new UNet(new UNet.Config(1, 1, 2, 8, Norm.BATCH, Activation.RELU, Padding.CIRCULAR), 1));
        UNet narrow = new UNet(SMALL, 2);
        double[] before = narrow.parameters().get(0).value().toDoubleArray();
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(f, narrow));
        assertTrue(e.getMessage().contains("wide.npz") && e.getMessage().contains("inc.conv1.weight")
                && e.getMessage().contains("(8, 1, 3, 3)"), e.getMessage());
        assertArrayEquals(before, narrow.parameters().get(0).value().toDoubleArray(), 0);

        Path g = dir.resolve("plain.npz");
        Checkpoint.save(g, new UNet(new UNet.Config(1, 1, 2, 4, Norm.NONE, Activation.RELU, Padding.CIRCULAR), 1));
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(g, narrow));
        assertTrue(e.getMessage().contains("inc.norm1.weight"), e.getMessage());
    }

    /** A flipped byte inside an entry (numpy: "Bad CRC-32") is an error naming the file and the entry. */
    @Test
    void aCorruptedEntryIsRefusedByItsCrc() throws IOException {
        UNet net = new UNet(SMALL, 1);
        Path f = dir.resolve("model.npz");
        Checkpoint.save(f, net);
        byte[] bytes = java.nio.file.Files.readAllBytes(f);
        int at = indexOf(bytes, "inc.conv1.weight.npy".getBytes()) + 200; // inside that entry's data
        bytes[at] ^= 0x10;
        java.nio.file.Files.write(f, bytes);
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(f, new UNet(SMALL, 1)));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("'inc.conv1.weight.npy'")
                && e.getMessage().contains("CRC-32"), e.getMessage());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        for (int i = 0; i + needle.length <= hay.length; i++) {
            if (java.util.Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    @Test
    void aModelWithNonFiniteWeightsIsRefusedNamingCountAndFirstEntry() throws IOException {
        UNet net = new UNet(SMALL, 1);
        Parameter w = net.namedParameters().get("inc.conv2.weight");
        double[] v = w.value().toDoubleArray();
        v[5] = Double.NaN;
        v[6] = Double.POSITIVE_INFINITY;
        w.set(Tensor.of(w.dtype(), w.shape(), v));
        Path f = dir.resolve("nan.npz");
        Checkpoint.save(f, net);
        UNet target = new UNet(SMALL, 2);
        double before = target.namedParameters().get("inc.conv1.weight").value().getFlat(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(f, target));
        assertTrue(e.getMessage().contains("2 non-finite values") && e.getMessage().contains("'inc.conv2.weight' at index 5"),
                e.getMessage());
        assertEquals(before, target.namedParameters().get("inc.conv1.weight").value().getFlat(0), "left untouched");
    }

    /** Adam keeps its moments in double; a checkpoint must too, or a resumed run drifts from an uninterrupted one. */
    @Test
    void optimizerMomentsAreSavedInFullPrecision() throws IOException {
        Tensor x = Tensor.randn(new SplittableRandom(3), 2, 1, 4, 4);
        UNet a = new UNet(SMALL, 1);
        Adam adam = new Adam(a.parameters(), 1e-2);
        train(a, adam, x);
        Path f = dir.resolve("ckpt.npz");
        Checkpoint.save(f, a, adam, 1);
        for (Map.Entry<String, Tensor> e : Npz.read(f).entrySet()) {
            if (e.getKey().startsWith("optimizer.adam.m.")) {
                assertEquals(io.sipflow.autodiff.DType.FLOAT64, e.getValue().dtype(), e.getKey());
            }
        }
    }
}
