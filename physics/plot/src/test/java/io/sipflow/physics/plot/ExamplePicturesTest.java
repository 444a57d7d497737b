package io.sipflow.physics.plot;

import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.Module;
import io.sipflow.physics.problem.HeatProblem;
import io.sipflow.physics.problem.PoissonProblem;
import io.sipflow.physics.problem.Problem;
import io.sipflow.physics.problem.SinProblem;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * examples.png of each built-in problem (and of a user's field problem) is a real picture, and drawing it leaves the
 * network as it was.
 */
class ExamplePicturesTest {
    @Test
    void eachBuiltInProblemDrawsAPngAndLeavesTheNetworkUnchanged() throws IOException {
        for (Problem problem : List.of(new HeatProblem(16), new PoissonProblem(16), new SinProblem(10, 0))) {
            Module net = problem.newNetwork(0);
            List<double[]> before = state(net);
            byte[] png = ExamplePictures.png(problem, net, problem.sample(4, new SplittableRandom(3)));
            assertNotNull(png, problem.id());
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertNotNull(image, problem.id() + ": not a readable PNG");
            assertTrue(image.getWidth() > 100 && image.getHeight() > 100, problem.id() + ": " + image.getWidth());
            List<double[]> after = state(net);
            for (int i = 0; i < before.size(); i++) {
                assertArrayEquals(before.get(i), after.get(i), 0.0, problem.id() + ": weights or running statistics");
            }
        }
    }

    /** A user's problem on (B, n, n) fields with a ground truth is drawn like heat; one without gets none. */
    @Test
    void aUsersFieldProblemIsDrawnAndOtherProblemsGetNull() throws IOException {
        Problem fields = unknown(new HeatProblem(16));
        byte[] png = ExamplePictures.png(fields, fields.newNetwork(0), fields.sample(2, new SplittableRandom(1)));
        assertNotNull(png, "a (B, n, n) field with a ground truth");
        assertNotNull(ImageIO.read(new ByteArrayInputStream(png)), "not a readable PNG");
        Problem vectors = unknown(new SinProblem(10, 0)); // x is (B, 2) and there is no ground truth
        assertNull(ExamplePictures.png(vectors, vectors.newNetwork(0), vectors.sample(2, new SplittableRandom(1))));
    }

    /** {@code inner} under another name and class, so ExamplePictures cannot recognise it. */
    private static Problem unknown(Problem inner) {
        return new Problem() {
            public String id() { return "unknown"; }
            public Batch sample(int size, SplittableRandom random) { return inner.sample(size, random); }
            public Tensor physics(Tensor x) { return inner.physics(x); }
            public Tensor sipTarget(Tensor x, Tensor y, Tensor yTarget) { return inner.sipTarget(x, y, yTarget); }
            public Module newNetwork(long seed) { return inner.newNetwork(seed); }
            public Tensor predict(Module network, Tensor yTarget) { return inner.predict(network, yTarget); }
            public java.util.LinkedHashMap<String, Tensor> metrics(Tensor x, Batch batch) { return inner.metrics(x, batch); }
            public java.util.LinkedHashMap<String, Object> settings() { return inner.settings(); }
        };
    }

    private static List<double[]> state(Module net) {
        List<double[]> values = new ArrayList<>();
        net.namedParameters().values().forEach(p -> values.add(p.value().toDoubleArray()));
        net.namedBuffers().values().forEach(b -> values.add(b.value().toDoubleArray()));
        return values;
    }
}
