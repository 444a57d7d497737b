package io.sipflow.gpu;

/**
 * The one OpenCL backend the gpu tests share (kernels compile once per JVM), or why there is none. Without a
 * device, tests are skipped locally (see {@link RequiresOpenCl}) but fail under {@code CI=true}: CI installs PoCL,
 * so a missing device there means the OpenCL path went untested.
 */
final class OpenClTestBackend {
    private static OpenClBackend backend;
    private static String problem;
    private static boolean tried;

    private OpenClTestBackend() {
    }

    static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Why no backend could be created (the creation error's message), or null if there is one. */
    static synchronized String problem() {
        if (!tried) {
            tried = true;
            try {
                backend = OpenClBackend.create();
                System.out.println("gpu tests run on " + backend);
            } catch (RuntimeException e) {
                problem = e.getMessage();
            }
        }
        return problem;
    }

    /** The backend; fails the test (with the creation error) if there is no OpenCL device. */
    static OpenClBackend get() {
        String p = problem();
        if (p != null) {
            throw new AssertionError((inCi() ? "CI=true and no OpenCL device: " : "no OpenCL device: ") + p);
        }
        return backend;
    }
}
