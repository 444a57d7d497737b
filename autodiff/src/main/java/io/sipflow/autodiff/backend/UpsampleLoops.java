package io.sipflow.autodiff.backend;

/**
 * The row loops of {@link ImageKernels}' upsampling ({@link UpsampleRowLoops}) in plain Java, the spec, and the
 * choice of which run: the Vector API ones whenever {@link FastPath} uses the Vector API (the rule of
 * {@link BatchNormLoops#LOOPS}), else these. {@code -Dsipflow.cpu.scalarUpsample=true} turns them off.
 */
final class UpsampleLoops {
    private static final String VECTOR_LOOPS = "io.sipflow.autodiff.backend.fast.VectorUpsampleLoops";
    /** The plain loops: the spec the vector ones must match bit for bit. */
    static final UpsampleRowLoops SCALAR = new Scalar();
    /** The loops in use (see the class comment). */
    static final UpsampleRowLoops LOOPS = choose();

    private UpsampleLoops() {
    }

    private static UpsampleRowLoops choose() {
        if (!FastPath.usesVectorApi() || Boolean.getBoolean("sipflow.cpu.scalarUpsample")) {
            return SCALAR;
        }
        UpsampleRowLoops v = vector();
        return v != null ? v : SCALAR;
    }

    /** A new instance of the Vector API loops, or null when module jdk.incubator.vector is missing. */
    static UpsampleRowLoops vector() {
        if (!FastPath.vectorModulePresent()) {
            return null;
        }
        try {
            return (UpsampleRowLoops) Class.forName(VECTOR_LOOPS).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            System.err.println("sipflow: could not load " + VECTOR_LOOPS + " (" + e + "); upsampling runs its plain loops");
            return null;
        }
    }

    /** The plain-Java loops, exactly as {@link UpsampleRowLoops} states them. */
    private static final class Scalar implements UpsampleRowLoops {
        @Override
        public void blendRows(double[] r, int r0, int r1, double a0, double a1, float[] y, int yr, int n) {
            for (int j = 0; j < n; j++) {
                y[yr + j] = (float) (a0 * r[r0 + j] + a1 * r[r1 + j]);
            }
        }

        @Override
        public void splitColumns(float[] gy, int at, double[] even, double[] odd, int w) {
            for (int m = 0; m < w; m++) {
                even[m] = gy[at + 2 * m];
                odd[m] = gy[at + 2 * m + 1];
            }
        }

        @Override
        public void gatherInterior(double[] even, double[] odd, double[] acc, int row, double quarter,
                                   double threeQuarters, int w) {
            for (int m = 2; m <= w - 2; m++) {
                double v = acc[row + m];
                v += quarter * odd[m - 1];
                v += threeQuarters * even[m];
                v += threeQuarters * odd[m];
                v += quarter * even[m + 1];
                acc[row + m] = v;
            }
        }

        @Override
        public String toString() {
            return "plain upsample loops";
        }
    }
}
