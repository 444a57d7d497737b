package io.sipflow.nn.io;

import io.sipflow.autodiff.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * NumPy's {@code .npz} archive: a zip of {@code <name>.npy} entries, what {@code numpy.savez} writes and
 * {@code numpy.load} reads. Entries keep their order.
 */
public final class Npz {
    private Npz() {
    }

    /**
     * Writes {@code arrays} to {@code path} atomically: into a temporary file in the same directory, then renamed
     * over {@code path}, so a crash never leaves a half-written archive under the real name.
     */
    public static void write(Path path, Map<String, Tensor> arrays) throws IOException {
        Path target = path.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, target.getFileName() + ".", ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
                for (Map.Entry<String, Tensor> e : arrays.entrySet()) {
                    zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                    zip.write(Npy.toBytes(e.getValue()));
                    zip.closeEntry();
                }
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads every array in {@code path}, by name (entry name without {@code .npy}), in archive order. */
    public static Map<String, Tensor> read(Path path) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(path.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                String name = e.getName().endsWith(".npy") ? e.getName().substring(0, e.getName().length() - 4)
                        : e.getName();
                try (InputStream in = zip.getInputStream(e)) {
                    out.put(name, Npy.fromBytes(in.readAllBytes(), path + "!" + e.getName()));
                }
            }
        }
        return out;
    }
}
