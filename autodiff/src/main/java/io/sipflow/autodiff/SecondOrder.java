package io.sipflow.autodiff;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * What a recorded backward pass ({@link Autodiff.Differentiable#YES}) does where an op's VJP cannot be
 * differentiated: the gradient keeps its value, but differentiating it again throws, naming the op.
 */
final class SecondOrder {
    private SecondOrder() {
    }

    /**
     * {@code gradient} with a node whose VJP throws {@link UnsupportedOperationException} naming {@code op}: the
     * first-order value stays usable, a second derivative through it is refused. {@code dependsOn} are the tensors
     * the true gradient depends on (the op's inputs, its output gradient), so every later backward that needs the
     * missing derivative reaches this node.
     */
    static Tensor firstOrderOnly(String op, String why, Tensor gradient, Tensor... dependsOn) {
        String message = "'" + op + "' has no second derivative (" + why + "): its gradient cannot be"
                + " differentiated again, so an HVP, JVP or gradient of a gradient through it is not available";
        return Graph.record("firstOrderOnly(" + op + ")", gradient.constant(), dependsOn, g -> {
            throw new UnsupportedOperationException(message);
        });
    }

    /**
     * Runs a {@link Autodiff#customVjp} rule. When the backward pass is recorded, a gradient that reaches neither the
     * op's inputs nor its output through recorded ops (other than through {@code g}) lost their dependence: it
     * becomes {@link #firstOrderOnly}.
     */
    static Tensor[] customGradients(String name, Autodiff.CustomVjp vjp, Tensor[] inputs, Tensor output, Tensor g) {
        Tensor[] grads = vjp.apply(inputs, output, g);
        if (!Graph.isRecording() || grads == null) {
            return grads;
        }
        Tensor[] dependsOn = new Tensor[inputs.length + 1];
        System.arraycopy(inputs, 0, dependsOn, 0, inputs.length);
        dependsOn[inputs.length] = g;
        for (int k = 0; k < grads.length; k++) {
            if (grads[k] != null && !reachesAny(grads[k], g, inputs, output)) {
                grads[k] = firstOrderOnly(name, "customVjp whose VJP does not use its inputs through tensor ops",
                        grads[k], dependsOn);
            }
        }
        return grads;
    }

    /** True when {@code root}'s recorded graph reaches one of {@code targets} or {@code output}, not through {@code g}. */
    private static boolean reachesAny(Tensor root, Tensor g, Tensor[] targets, Tensor output) {
        Set<Tensor> wanted = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor t : targets) {
            if (t != null && t.requiresGrad()) {
                wanted.add(t);
            }
        }
        if (output.requiresGrad()) {
            wanted.add(output);
        }
        Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Tensor> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Tensor t = stack.pop();
            if (t == g || !visited.add(t)) {
                continue;
            }
            if (wanted.contains(t)) {
                return true;
            }
            if (t.node() != null) {
                for (Tensor in : t.node().inputArray()) {
                    if (in != null && in.requiresGrad()) {
                        stack.push(in);
                    }
                }
            }
        }
        return false;
    }
}
