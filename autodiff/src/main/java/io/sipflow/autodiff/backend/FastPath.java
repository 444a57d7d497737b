package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.backend.fast.ScalarKernels;

/**
 * Decides once whether {@link CpuBackend} uses the Vector API kernels. They need module
 * {@code jdk.incubator.vector} at run time ({@code --add-modules jdk.incubator.vector}); without it their plain-Java
 * twins run (the same bits, slower) and one line on stderr says why. {@code -Dsipflow.cpu.scalar=true} forces the
 * plain-Java kernels. The Vector API implementation is loaded by name, so no Vector API class is touched when the
 * module is missing.
 */
public final class FastPath {
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String IMPLEMENTATION = "io.sipflow.autodiff.backend.fast.VectorKernels";
    private static final String TWIN = "the CPU backend runs its plain-Java kernels (the same results, slower)";
    private static final FastKernels KERNELS = load(vectorModulePresent(), Boolean.getBoolean("sipflow.cpu.scalar"));

    private FastPath() {
    }

    /** {@return the kernels in use: the Vector API ones, or their plain-Java twins (the same bits)} */
    public static FastKernels kernels() {
        return KERNELS;
    }

    /** {@return whether the kernels in use are the Vector API ones} */
    public static boolean usesVectorApi() {
        return KERNELS.usesVectorApi();
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
        return KERNELS.toString();
    }

    /** The kernels to use given whether the module is present and whether scalar is forced. */
    static FastKernels load(boolean modulePresent, boolean forceScalar) {
        if (forceScalar) {
            System.err.println("sipflow: -Dsipflow.cpu.scalar=true: " + TWIN);
            return new ScalarKernels();
        }
        if (!modulePresent) {
            System.err.println("sipflow: module " + VECTOR_MODULE + " is not available (run java with --add-modules "
                    + VECTOR_MODULE + "); " + TWIN);
            return new ScalarKernels();
        }
        try {
            return (FastKernels) Class.forName(IMPLEMENTATION).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            Throwable why = e instanceof java.lang.reflect.InvocationTargetException t ? t.getCause() : e;
            System.err.println("sipflow: could not load " + IMPLEMENTATION + " (" + why + "); " + TWIN);
            return new ScalarKernels();
        }
    }
}
