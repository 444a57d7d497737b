package io.sipflow.nn;

import io.sipflow.autodiff.BufferPool;
import io.sipflow.autodiff.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A fully connected network, PhiFlow's {@code dense_net(in, out, hidden)}: Linear layers in → hidden[0] → … →
 * out with the activation after every layer but the last (no batch norm, so examples never interact).
 * <pre>
 *   new MLP(new MLP.Config(2, 2, List.of(32, 64, 32), Activation.RELU), seed)   // 4,354 parameters
 * </pre>
 * Parameters are named {@code linear0.weight}, {@code linear0.bias}, … in layer order.
 */
public final class MLP extends Module {
    /**
     * The network's layout.
     *
     * @param in input width
     * @param out output width
     * @param hidden hidden widths, first to last (copied; may be empty for a single layer)
     * @param activation the nonlinearity between layers
     */
    public record Config(int in, int out, List<Integer> hidden, Activation activation) {
        /**
         * Copies {@code hidden}, so a config never changes after it is made.
         *
         * @param in input width
         * @param out output width
         * @param hidden hidden widths, first to last
         * @param activation the nonlinearity between layers
         */
        public Config {
            hidden = List.copyOf(hidden);
        }
    }

    private final List<Linear> layers = new ArrayList<>();
    private final Activation activation;

    /**
     * A network with freshly drawn weights (see {@link Linear}) in the current default type.
     *
     * @param config the widths and activation
     * @param seed seeds the weights, drawn layer by layer
     * @throws IllegalArgumentException if a width is below 1
     */
    public MLP(Config config, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Integer> widths = new ArrayList<>();
        widths.add(config.in());
        widths.addAll(config.hidden());
        widths.add(config.out());
        for (int i = 0; i + 1 < widths.size(); i++) {
            layers.add(addModule("linear" + i, new Linear(widths.get(i), widths.get(i + 1), rng)));
        }
        this.activation = config.activation();
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = x;
        for (int i = 0; i < layers.size(); i++) {
            Tensor in = h;
            h = layers.get(i).forward(h);
            if (i > 0) {
                BufferPool.recycleInternal(in, "MLP.forward", h); // the activation, read by nothing else
            }
            if (i + 1 < layers.size()) {
                Tensor z = h;
                h = activation.apply(h);
                BufferPool.recycleInternal(z, "MLP.forward", h);
            }
        }
        return h;
    }
}
