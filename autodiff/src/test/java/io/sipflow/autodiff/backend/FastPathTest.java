package io.sipflow.autodiff.backend;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The choice between Vector API and scalar kernels, made once from whether the JVM has the module. */
class FastPathTest {
    @Test
    void moduleCheckAsksTheBootLayer() {
        assertEquals(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), FastPath.vectorModulePresent());
        assertTrue(FastPath.vectorModulePresent(), "Surefire runs with --add-modules jdk.incubator.vector");
    }

    @Test
    void missingModuleFallsBackToThePlainJavaTwins() {
        FastKernels k = FastPath.load(false, false);
        assertFalse(k.usesVectorApi());
        assertEquals("scalar", k.toString());
    }

    @Test
    void forcedScalarWinsOverThePresentModule() {
        assertFalse(FastPath.load(true, true).usesVectorApi());
    }

    @Test
    void presentModuleLoadsTheVectorKernels() {
        FastKernels k = FastPath.load(true, false);
        assertNotNull(k);
        assertEquals("io.sipflow.autodiff.backend.fast.VectorKernels", k.getClass().getName());
        assertTrue(CpuBackend.instance().usesVectorKernels(), "the default backend runs the Vector API kernels");
        assertFalse(CpuBackend.scalar().usesVectorKernels(), "CpuBackend.scalar() runs the reference loops");
        assertTrue(FastPath.describe().startsWith("vector("), FastPath.describe());
        assertTrue(FastPath.usesVectorApi());
        assertEquals("reference", CpuBackend.scalar().kernels());
    }

    /**
     * The vector width the kernels run at is the JVM's preferred one; with {@code -Dsipflow.test.expectVectorBits=N}
     * (set by .ci/run for its {@code -XX:UseAVX=2} run) also that it is N bits, so a flag that did not take effect
     * fails the run instead of repeating the 512-bit tests under a misleading name.
     */
    @Test
    void kernelsRunAtThePreferredVectorWidth() {
        int preferred = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
        assertTrue(FastPath.describe().contains("S_" + preferred + "_BIT"), FastPath.describe());
        String expected = System.getProperty("sipflow.test.expectVectorBits");
        if (expected != null) {
            assertEquals(Integer.parseInt(expected), preferred, "-Dsipflow.test.expectVectorBits vs the JVM's "
                    + "preferred species (" + FastPath.describe() + ")");
        }
    }
}
