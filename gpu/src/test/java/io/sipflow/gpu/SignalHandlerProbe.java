package io.sipflow.gpu;

import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;

/**
 * Child-JVM body of {@link SignalChainingTest}: creates the OpenCL backend, compiles and runs one kernel, then prints
 * the "Signal Handlers" part of the JVM's own {@code VM.info} report, which marks a handler that is no longer the
 * JVM's with "Handler was modified".
 */
public final class SignalHandlerProbe {
    private SignalHandlerProbe() {
    }

    /**
     * Prints the device, the signal handlers, then "probe done".
     *
     * @param args unused
     * @throws Exception if the diagnostic command cannot be called
     */
    public static void main(String[] args) throws Exception {
        OpenClBackend backend = OpenClBackend.create();
        System.out.println("device: " + backend.deviceDescription());
        backend.matmul(Tensor.wrap(Shape.of(1, 1, 2), new float[] {2, 3}),
                Tensor.wrap(Shape.of(1, 2, 1), new float[] {1, 1})).toFloatArray();
        String info = (String) java.lang.management.ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "vmInfo",
                new Object[] {null}, new String[] {String[].class.getName()});
        boolean inSection = false;
        for (String line : info.split("\n")) {
            if (line.startsWith("Signal Handlers:")) {
                inSection = true;
            } else if (inSection && line.isBlank()) {
                break;
            }
            if (inSection) {
                System.out.println(line);
            }
        }
        System.out.println("probe done");
    }
}
