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

    /** A field array from {@code file}, checked to be (ny, nx) or (B, ny, nx), as FLOAT64. */
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
        return t.to(DType.FLOAT64);
    }

    static void write(Path file, Tensor t) throws IOException {
        AtomicFiles.write(file, tmp -> Npy.write(tmp, t.constant()));
    }
}
