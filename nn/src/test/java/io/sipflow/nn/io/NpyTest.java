package io.sipflow.nn.io;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** .npy/.npz round trips, the exact header numpy expects, and files exchanged with numpy itself. */
class NpyTest {
    @TempDir
    Path dir;

    @Test
    void roundTripKeepsShapeTypeAndValues() throws IOException {
        for (Tensor t : List.of(Tensor.randn(new SplittableRandom(1), 2, 3, 4),
                Tensor.randn(new SplittableRandom(2), 5).to(DType.FLOAT32),
                Tensor.scalar(3.5), Tensor.zeros(0, 2))) {
            Path f = dir.resolve("a.npy");
            Npy.write(f, t);
            Tensor back = Npy.read(f);
            assertEquals(t.shape(), back.shape());
            assertEquals(t.dtype(), back.dtype());
            assertArrayEquals(t.toDoubleArray(), back.toDoubleArray(), 0);
        }
    }

    @Test
    void headerIsNumpysVersion1AlignedTo64Bytes() {
        byte[] b = Npy.toBytes(Tensor.zeros(3));
        int headerLength = (b[8] & 0xff) | (b[9] & 0xff) << 8;
        assertEquals(0, (10 + headerLength) % 64);
        String header = new String(b, 10, headerLength, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }"), header);
        assertTrue(header.endsWith("\n"));
        assertEquals(10 + headerLength + 3 * 8, b.length);
    }

    @Test
    void garbageIsRejectedNamingTheSource() {
        var e = assertThrows(IllegalArgumentException.class, () -> Npy.fromBytes(new byte[] {1, 2, 3}, "x.npy"));
        assertTrue(e.getMessage().contains("x.npy"), e.getMessage());
    }

    @Test
    void npzRoundTripKeepsOrderAndLeavesNoTemporaryFile() throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("z.weight", Tensor.vector(1, 2));
        m.put("a.bias", Tensor.scalar(7).to(DType.FLOAT32));
        Path f = dir.resolve("w.npz");
        Npz.write(f, m);
        Npz.write(f, m); // replaces
        Map<String, Tensor> back = Npz.read(f);
        assertEquals(List.copyOf(m.keySet()), List.copyOf(back.keySet()));
        assertEquals(DType.FLOAT32, back.get("a.bias").dtype());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList());
        }
    }

    /** The file's bytes are a function of the arrays (a digest of model.npz is a digest of the weights). */
    @Test
    void npzBytesDependOnlyOnTheArrays() throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("w", Tensor.vector(1, 2, 3).to(DType.FLOAT32));
        m.put("b", Tensor.scalar(-0.5));
        Path f = dir.resolve("a.npz");
        Npz.write(f, m);
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(f.toFile())) {
            for (var e : java.util.Collections.list(zip.entries())) {
                assertEquals(java.util.zip.ZipEntry.STORED, e.getMethod(), e.getName() + ": stored, as numpy.savez");
                assertEquals(java.time.LocalDateTime.of(1980, 1, 1, 0, 0, 2), e.getTimeLocal(), e.getName());
                assertTrue(e.getExtra() == null || e.getExtra().length == 0, e.getName() + ": no timestamp extra field");
            }
        }
        Path g = dir.resolve("b.npz");
        Npz.write(g, m);
        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(g));
    }

    @Test
    void filesWrittenByNumpyLoad() throws IOException {
        assumeTrue(SystemNumpy.available(), "/usr/bin/python3 with numpy is not installed");
        Path npz = dir.resolve("np.npz");
        Path npy = dir.resolve("f.npy");
        SystemNumpy.run("import numpy as np, sys\n"
                + "np.savez(sys.argv[1], a=np.arange(6, dtype=np.float64).reshape(2, 3),"
                + " b=np.float32(2.5), c=np.array([1, -2], dtype=np.int64))\n"
                + "np.save(sys.argv[2], np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)))\n",
                npz.toString(), npy.toString());
        Map<String, Tensor> m = Npz.read(npz);
        assertEquals(Shape.of(2, 3), m.get("a").shape());
        assertEquals(4.0, m.get("a").get(1, 1), 0);
        assertEquals(Shape.scalar(), m.get("b").shape());
        assertEquals(DType.FLOAT32, m.get("b").dtype());
        assertEquals(2.5, m.get("b").item(), 0);
        assertArrayEquals(new double[] {1, -2}, m.get("c").toDoubleArray(), 0);
        Tensor f = Npy.read(npy);
        assertEquals(Shape.of(2, 3), f.shape());
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5}, f.toDoubleArray(), 0);
    }

    @Test
    void numpyReadsOurFiles() throws IOException {
        assumeTrue(SystemNumpy.available(), "/usr/bin/python3 with numpy is not installed");
        Path npz = dir.resolve("ours.npz");
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("inc.conv1.weight", Tensor.of(Shape.of(2, 2), 1, 2, 3, 4.5));
        m.put("s", Tensor.scalar(-1).to(DType.FLOAT32));
        Npz.write(npz, m);
        String out = SystemNumpy.run("import numpy as np, sys\n"
                + "d = np.load(sys.argv[1])\n"
                + "w = d['inc.conv1.weight']; s = d['s']\n"
                + "print(list(d.keys()), w.dtype, w.shape, w[1, 1], s.dtype, s.shape, s)\n", npz.toString());
        assertEquals("['inc.conv1.weight', 's'] float64 (2, 2) 4.5 float32 () -1.0", out.trim());
    }

    /** Header problems read as sentences, not as "offset 10, count 118, length 40". */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "truncated header   | 118 | the .npy header says it is 118 bytes long, but only 30 bytes follow",
            "ends in preamble   | -1  | ends inside its .npy preamble",
            "bad version        | -2  | .npy format version 7 is not one numpy writes"})
    void headerProblemsAreExplained(String what, int headerLength, String expected) {
        byte[] good = Npy.toBytes(io.sipflow.autodiff.Tensor.vector(1, 2, 3));
        byte[] bad;
        if (headerLength == -1) {
            bad = java.util.Arrays.copyOf(good, 7);
        } else if (headerLength == -2) {
            bad = good.clone();
            bad[6] = 7;
        } else {
            bad = java.util.Arrays.copyOf(good, 40);
            bad[8] = (byte) headerLength;
            bad[9] = 0;
        }
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Npy.fromBytes(bad, "f.npy"));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("f.npy: ")
                && e.getMessage().contains(expected), what + ": " + e.getMessage());
    }
}
