package io.sipflow.nn.io;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format (version 1.0 written; 1.0–3.0 read), the file {@code numpy.save} writes:
 * <pre>
 * \x93NUMPY  major minor  header_len (uint16 LE; uint32 from v2)  header  data
 * header = "{'descr': '&lt;f8', 'fortran_order': False, 'shape': (2, 3), }" padded with spaces and '\n'
 *          so that the data starts at a multiple of 64 bytes
 * </pre>
 * Written: {@code <f4} (FLOAT32) or {@code <f8} (FLOAT64), C order. Read: little- or big-endian f4/f8 as
 * themselves; i1/i2/i4/i8, u1/u2/u4 and b1 as FLOAT64; C or Fortran order.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([fiub])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /**
     * Writes {@code t} to {@code path} (replacing it) as version 1.0, {@code <f4} or {@code <f8}, C order.
     *
     * @param path the file to write
     * @param t the array
     * @throws IOException if the file cannot be written
     */
    public static void write(Path path, Tensor t) throws IOException {
        Files.write(path, toBytes(t));
    }

    /**
     * Reads the array in {@code path}.
     *
     * @param path a {@code .npy} file
     * @return its array: FLOAT32 for f4, FLOAT64 for f8 and the integer and boolean types
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if it is not a well-formed {@code .npy} file or has an unsupported type,
     *         naming the file and what is wrong
     */
    public static Tensor read(Path path) throws IOException {
        return fromBytes(Files.readAllBytes(path), path.toString());
    }

    /**
     * The bytes of a {@code .npy} file holding {@code t}.
     *
     * @param t the array
     * @return the whole file: preamble, header padded to 64 bytes, little-endian data
     */
    public static byte[] toBytes(Tensor t) {
        StringBuilder shape = new StringBuilder("(");
        for (int d : t.shape().dims()) {
            shape.append(d).append(", ");
        }
        if (t.rank() == 1) {
            shape.setLength(shape.length() - 1); // "(3,)"
        } else if (t.rank() > 1) {
            shape.setLength(shape.length() - 2);
        }
        shape.append(')');
        String descr = t.dtype() == DType.FLOAT32 ? "<f4" : "<f8";
        StringBuilder header = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': "
                + shape + ", }");
        int preamble = MAGIC.length + 2 + 2;
        while ((preamble + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        byte[] h = header.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buf = ByteBuffer.allocate(preamble + h.length + t.size() * t.dtype().bytes())
                .order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h);
        if (t.dtype() == DType.FLOAT32) {
            buf.asFloatBuffer().put(t.toFloatArray());
        } else {
            buf.asDoubleBuffer().put(t.toDoubleArray());
        }
        return buf.array();
    }

    /**
     * Parses a {@code .npy} file's bytes; {@code source} names the file in errors.
     *
     * @param bytes the whole file
     * @param source the file's name, for messages
     * @return its array
     * @throws IllegalArgumentException if the bytes are not a well-formed {@code .npy} file (bad magic, truncated,
     *         unknown version, unsupported header or type, data shorter than the shape promises)
     */
    public static Tensor fromBytes(byte[] bytes, String source) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (byte b : MAGIC) {
            if (!buf.hasRemaining() || buf.get() != b) {
                throw new IllegalArgumentException(source + ": not a .npy file (bad magic bytes)");
            }
        }
        if (buf.remaining() < 4) {
            throw new IllegalArgumentException(source + ": the file ends inside its .npy preamble (" + bytes.length
                    + " bytes in all; truncated?)");
        }
        int major = buf.get();
        buf.get(); // minor
        if (major < 1 || major > 3) {
            throw new IllegalArgumentException(source + ": .npy format version " + major + " is not one numpy writes"
                    + " (1, 2 or 3)");
        }
        if (major > 1 && buf.remaining() < 4) {
            throw new IllegalArgumentException(source + ": the file ends inside its .npy preamble (truncated?)");
        }
        long headerLength = major == 1 ? Short.toUnsignedInt(buf.getShort()) : Integer.toUnsignedLong(buf.getInt());
        if (headerLength > buf.remaining()) {
            throw new IllegalArgumentException(source + ": the .npy header says it is " + headerLength
                    + " bytes long, but only " + buf.remaining() + " bytes follow the preamble (truncated or not a"
                    + " .npy file?)");
        }
        String header = new String(bytes, buf.position(), (int) headerLength,
                major >= 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        buf.position(buf.position() + (int) headerLength);
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shapeM = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shapeM.find()) {
            throw new IllegalArgumentException(source + ": unsupported .npy header " + header.trim()
                    + " (need a float, integer or bool descr, fortran_order and shape)");
        }
        Shape shape = parseShape(shapeM.group(1), source);
        buf.order(descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        char kind = descr.group(2).charAt(0);
        int width = Integer.parseInt(descr.group(3));
        if (buf.remaining() < (double) shape.size() * width) {
            throw new IllegalArgumentException(source + ": header promises " + shape + " of " + descr.group()
                    + " but only " + buf.remaining() + " data bytes follow");
        }
        boolean fortranOrder = fortran.group(1).equals("True");
        Shape stored = fortranOrder ? reversed(shape) : shape;
        Tensor t = readData(buf, kind, width, stored, source);
        return fortranOrder ? t.permute(reverseAxes(shape.rank())).constant() : t;
    }

    private static Tensor readData(ByteBuffer buf, char kind, int width, Shape shape, String source) {
        int n = shape.size();
        if (kind == 'f' && width == 4) {
            float[] f = new float[n];
            buf.asFloatBuffer().get(f);
            return Tensor.wrap(shape, f);
        }
        double[] d = new double[n];
        if (kind == 'f' && width == 8) {
            buf.asDoubleBuffer().get(d);
            return Tensor.wrap(shape, d);
        }
        for (int i = 0; i < n; i++) {
            d[i] = switch (kind + "" + width) {
                case "i1" -> buf.get();
                case "i2" -> buf.getShort();
                case "i4" -> buf.getInt();
                case "i8" -> buf.getLong();
                case "u1", "b1" -> Byte.toUnsignedInt(buf.get());
                case "u2" -> Short.toUnsignedInt(buf.getShort());
                case "u4" -> Integer.toUnsignedLong(buf.getInt());
                default -> throw new IllegalArgumentException(source + ": unsupported dtype " + kind + width);
            };
        }
        return Tensor.wrap(shape, d);
    }

    private static Shape parseShape(String s, String source) {
        String[] parts = s.split(",");
        int count = 0;
        int[] dims = new int[parts.length];
        long size = 1;
        for (String p : parts) {
            if (!p.isBlank()) {
                long d;
                try {
                    d = Long.parseLong(p.trim().replace("L", ""));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(source + ": the .npy shape (" + s + ") has '" + p.trim()
                            + "' where a dimension should be");
                }
                size *= Math.max(d, 1);
                if (d < 0 || size > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(source + ": the .npy shape (" + s + ") is negative or has"
                            + " more than 2^31 − 1 elements, which sipflow's tensors cannot hold");
                }
                dims[count++] = (int) d;
            }
        }
        return Shape.of(java.util.Arrays.copyOf(dims, count));
    }

    private static Shape reversed(Shape s) {
        int[] d = s.dims();
        int[] r = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            r[i] = d[d.length - 1 - i];
        }
        return Shape.of(r);
    }

    private static int[] reverseAxes(int rank) {
        int[] axes = new int[rank];
        for (int i = 0; i < rank; i++) {
            axes[i] = rank - 1 - i;
        }
        return axes;
    }
}
