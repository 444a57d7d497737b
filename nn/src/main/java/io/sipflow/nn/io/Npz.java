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
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * NumPy's {@code .npz} archive: a zip of {@code <name>.npy} entries, what {@code numpy.savez} writes and
 * {@code numpy.load} reads. Entries keep their order.
 * <p>The bytes depend only on the arrays: entries are stored uncompressed (as {@code numpy.savez} does; a deflate
 * stream depends on the JDK's zlib) with the fixed time 1980-01-01 00:00:02 (as reproducible builds use: at exactly
 * the zip epoch the JDK adds a timestamp extra field), so the same weights give the same file on every machine and
 * JDK, and a digest of the file is a digest of the weights.
 */
public final class Npz {
    private static final java.time.LocalDateTime ENTRY_TIME = java.time.LocalDateTime.of(1980, 1, 1, 0, 0, 2);

    private Npz() {
    }

    /**
     * Writes {@code arrays} to {@code path} atomically: into a temporary file in the same directory, then renamed
     * over {@code path}, so a crash never leaves a half-written archive under the real name.
     *
     * @param path the archive to write (parent directories are created)
     * @param arrays the arrays by entry name, written in iteration order
     * @throws IOException if it cannot be written, naming {@code path} and the reason (never the temporary file)
     */
    public static void write(Path path, Map<String, Tensor> arrays) throws IOException {
        try {
            writeVia(path, arrays);
        } catch (IOException e) {
            // name the caller's file and the reason, never the temporary file it went through
            // (a FileSystemException's message holds the temporary file's name; its reason and kind do not)
            String reason = e instanceof java.nio.file.FileSystemException f
                    ? f.getReason() != null ? f.getReason() : e.getClass().getSimpleName()
                    : e.getClass().getSimpleName() + (e.getMessage() != null ? " " + e.getMessage() : "");
            throw new IOException("cannot write " + path + ": " + reason, e);
        }
    }

    private static void writeVia(Path path, Map<String, Tensor> arrays) throws IOException {
        Path target = path.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, target.getFileName() + ".", ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
                for (Map.Entry<String, Tensor> e : arrays.entrySet()) {
                    byte[] npy = Npy.toBytes(e.getValue());
                    zip.putNextEntry(storedEntry(e.getKey() + ".npy", npy));
                    zip.write(npy);
                    zip.closeEntry();
                }
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** An uncompressed entry with a fixed time: its bytes are a function of name and content. */
    private static ZipEntry storedEntry(String name, byte[] content) {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        entry.setCompressedSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        entry.setTimeLocal(ENTRY_TIME);
        return entry;
    }

    /**
     * Reads every array in {@code path}, by name (entry name without {@code .npy}), in archive order. Each entry's
     * CRC-32 is checked against the one the archive stores (as numpy's zipfile does): a corrupted file is an
     * {@link IOException} naming the file and the entry, never a silently different array.
     *
     * @param path the archive
     * @return the arrays by name, in archive order
     * @throws IOException if the file is not a readable zip archive or an entry is corrupted
     * @throws IllegalArgumentException if an entry is not a well-formed {@code .npy} array
     */
    public static Map<String, Tensor> read(Path path) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (ZipFile zip = openZip(path)) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                String name = e.getName().endsWith(".npy") ? e.getName().substring(0, e.getName().length() - 4)
                        : e.getName();
                byte[] bytes;
                try (InputStream in = zip.getInputStream(e)) {
                    bytes = in.readAllBytes();
                } catch (java.util.zip.ZipException bad) {
                    throw new IOException(path + ": entry '" + e.getName() + "' is corrupted (" + bad.getMessage()
                            + ")", bad);
                }
                CRC32 crc = new CRC32();
                crc.update(bytes);
                if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
                    throw new IOException(path + ": entry '" + e.getName() + "' is corrupted (CRC-32 "
                            + String.format("%08x", crc.getValue()) + " where the archive stores "
                            + String.format("%08x", e.getCrc()) + ")");
                }
                out.put(name, Npy.fromBytes(bytes, path + " entry '" + e.getName() + "'"));
            }
        }
        return out;
    }

    private static ZipFile openZip(Path path) throws IOException {
        try {
            return new ZipFile(path.toFile());
        } catch (java.util.zip.ZipException e) {
            throw new IOException(path + ": not a readable .npz (zip) archive (" + e.getMessage() + ")", e);
        }
    }
}
