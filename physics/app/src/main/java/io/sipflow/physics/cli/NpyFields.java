package io.sipflow.physics.cli;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.io.Npy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads and writes fields as NumPy .npy files: (R, R) or (B, R, R), float64. */
final class NpyFields {
    private NpyFields() {
    }

    /**
     * A field array from {@code file}, checked to be (ny, nx) or (B, ny, nx) and to hold only finite numbers (a
     * NaN would spread through every FFT mode or CG iterate), as FLOAT64.
     */
    static Tensor read(Path file, String flag) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "given by " + flag);
        }
        Tensor t;
        try {
            t = Npy.read(file);
        } catch (RuntimeException e) {
            throw new IOException("cannot read " + file + " (" + flag + ") as .npy: " + e.getMessage(), e);
        }
        if (t.rank() != 2 && t.rank() != 3) {
            throw new IllegalArgumentException(flag + " " + file + " has shape " + t.shape()
                    + "; expected a field (R, R) or a batch of fields (B, R, R)");
        }
        if (t.dim(-1) < 1 || t.dim(-2) < 1) {
            throw new IllegalArgumentException(flag + " " + file + " has an empty shape " + t.shape());
        }
        Tensor field = t.to(DType.FLOAT64);
        String bad = nonFinite(field);
        if (bad != null) {
            throw new IllegalArgumentException(flag + " " + file + " has " + bad + "; the physics needs finite numbers");
        }
        return field;
    }

    /**
     * A computed field, refused when any value is NaN or ±∞ (the inputs were finite, so the operator overflowed):
     * one line naming the count, the first index and {@code advice}, and no output file.
     */
    static Tensor requireFiniteResult(Tensor t, String advice) {
        String bad = nonFinite(t);
        if (bad != null) {
            throw new IllegalStateException("the result has " + bad + ": " + advice + "; nothing was written");
        }
        return t;
    }

    /** "3 non-finite values (NaN or ±Infinity) of 64, the first NaN at index [0, 2, 3]", or null if all are finite. */
    static String nonFinite(Tensor t) {
        double[] v = t.toDoubleArray();
        int count = 0;
        int first = -1;
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                count++;
                first = first < 0 ? i : first;
            }
        }
        if (count == 0) {
            return null;
        }
        int[] index = new int[t.rank()];
        for (int axis = t.rank() - 1, rest = first; axis >= 0; axis--) {
            index[axis] = rest % t.dim(axis);
            rest /= t.dim(axis);
        }
        return count + " non-finite value" + (count == 1 ? "" : "s") + " (NaN or ±Infinity) of " + v.length
                + ", the first " + v[first] + " at index " + java.util.Arrays.toString(index);
    }

    static void write(Path file, Tensor t) throws IOException {
        AtomicFiles.write(file, tmp -> Npy.write(tmp, t.constant()));
    }
}
