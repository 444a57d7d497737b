package io.sipflow.nn;

import io.sipflow.autodiff.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Registration, naming, modes and parameter swapping. */
class ModuleTest {
    static final class Affine extends Module {
        final Parameter scale = addParameter("scale", Tensor.vector(2));

        @Override
        public Tensor forward(Tensor x) {
            return x.mul(scale.value());
        }
    }

    static final class Pair extends Module {
        final Affine first = addModule("first", new Affine());
        final BatchNorm2d norm = addModule("norm", new BatchNorm2d(1));

        @Override
        public Tensor forward(Tensor x) {
            return norm.forward(first.forward(x));
        }
    }

    @Test
    void childNamesArePrefixedAndOrdered() {
        Pair p = new Pair();
        assertEquals(List.of("first.scale", "norm.weight", "norm.bias"), List.copyOf(p.namedParameters().keySet()));
        assertEquals(List.of("norm.running_mean", "norm.running_var"), List.copyOf(p.namedBuffers().keySet()));
        assertEquals("first.scale", p.first.scale.name());
    }

    @Test
    void evalAndTrainReachChildren() {
        Pair p = new Pair();
        assertTrue(p.norm.isTraining());
        p.eval();
        assertFalse(p.norm.isTraining());
        p.train();
        assertTrue(p.norm.isTraining());
    }

    @Test
    void setSwapsTheValueAndChecksItsShape() {
        Affine a = new Affine();
        Tensor before = a.scale.value();
        a.scale.set(Tensor.vector(3));
        assertTrue(a.scale.value().isVariable());
        assertTrue(before != a.scale.value());
        assertEquals(3.0, a.scale.value().get(0), 0);
        var e = assertThrows(IllegalArgumentException.class, () -> a.scale.set(Tensor.vector(1, 2)));
        assertTrue(e.getMessage().contains("scale"), e.getMessage());
    }

    @Test
    void aModuleCannotBeAddedTwice() {
        Affine shared = new Affine();
        class Holder extends Module {
            Holder(String name) {
                addModule(name, shared);
            }

            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        }
        new Holder("a");
        assertThrows(IllegalArgumentException.class, () -> new Holder("b"));
    }
}
