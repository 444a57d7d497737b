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

/** examples.png of each built-in problem is a real picture, and drawing it leaves the network as it was. */
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

    @Test
    void aProblemWithoutAPictureGetsNull() {
        HeatProblem heat = new HeatProblem(16);
        Problem unknown = new Problem() {
            public String id() { return "unknown"; }
            public Batch sample(int size, SplittableRandom random) { return heat.sample(size, random); }
            public Tensor physics(Tensor x) { return heat.physics(x); }
            public Tensor sipTarget(Tensor x, Tensor y, Tensor yTarget) { return heat.sipTarget(x, y, yTarget); }
            public Module newNetwork(long seed) { return heat.newNetwork(seed); }
            public Tensor predict(Module network, Tensor yTarget) { return heat.predict(network, yTarget); }
            public java.util.LinkedHashMap<String, Tensor> metrics(Tensor x, Batch batch) { return heat.metrics(x, batch); }
            public java.util.LinkedHashMap<String, Object> settings() { return heat.settings(); }
        };
        assertNull(ExamplePictures.png(unknown, unknown.newNetwork(0), unknown.sample(2, new SplittableRandom(1))));
    }

    private static List<double[]> state(Module net) {
        List<double[]> values = new ArrayList<>();
        net.namedParameters().values().forEach(p -> values.add(p.value().toDoubleArray()));
        net.namedBuffers().values().forEach(b -> values.add(b.value().toDoubleArray()));
        return values;
    }
}
