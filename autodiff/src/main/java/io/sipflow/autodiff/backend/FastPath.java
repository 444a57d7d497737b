package io.sipflow.autodiff.backend;

/**
 * Decides once whether {@link CpuBackend} uses the Vector API kernels. They need module
 * {@code jdk.incubator.vector} at run time ({@code --add-modules jdk.incubator.vector}); without it the scalar
 * kernels run and one line on stderr says why. {@code -Dsipflow.cpu.scalar=true} forces the scalar kernels.
 * The fast implementation is loaded by name, so no Vector API class is touched when the module is missing.
 */
public final class FastPath {
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String IMPLEMENTATION = "io.sipflow.autodiff.backend.fast.VectorKernels";
    private static final FastKernels KERNELS = load(vectorModulePresent(), Boolean.getBoolean("sipflow.cpu.scalar"));

    private FastPath() {
    }

    /** {@return the Vector API kernels, or null when the scalar kernels are in use} */
    public static FastKernels kernels() {
        return KERNELS;
    }

    /** {@return whether the running JVM resolved module {@code jdk.incubator.vector}} */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /**
     * {@return a one-line description for benchmarks and logs of which kernels the CPU backend runs ("scalar" or
     * the vector kernels' own description)}
     */
    public static String describe() {
        return KERNELS == null ? "scalar" : KERNELS.toString();
    }

    /** The kernels to use given whether the module is present and whether scalar is forced; null means scalar. */
    static FastKernels load(boolean modulePresent, boolean forceScalar) {
        if (forceScalar) {
            System.err.println("sipflow: -Dsipflow.cpu.scalar=true: the CPU backend uses its scalar kernels");
            return null;
        }
        if (!modulePresent) {
            System.err.println("sipflow: module " + VECTOR_MODULE + " is not available (run java with --add-modules "
                    + VECTOR_MODULE + "); the CPU backend falls back to its slow scalar kernels");
            return null;
        }
        try {
            return (FastKernels) Class.forName(IMPLEMENTATION).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            System.err.println("sipflow: could not load " + IMPLEMENTATION + " (" + e
                    + "); the CPU backend falls back to its slow scalar kernels");
            return null;
        }
    }
}
