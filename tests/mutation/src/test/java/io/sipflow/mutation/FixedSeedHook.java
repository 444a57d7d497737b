package io.sipflow.mutation;

import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyAttributes;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Makes every jqwik property in a mutation run reproducible and cheap to fail: when the system property
 * {@code sipflow.pit.seed} is set, each property runs from that seed, without shrinking (a mutant needs one failing
 * try, not the smallest one) and without replaying a failure recorded by an earlier mutant; when
 * {@code sipflow.pit.maxTries} is set too, each property runs at most that many tries. Registered for all tests by
 * this module's {@code META-INF/services}, which only the mutation run puts on the class path.
 */
public final class FixedSeedHook implements AroundPropertyHook {
    static final String SEED = "sipflow.pit.seed";
    static final String MAX_TRIES = "sipflow.pit.maxTries";
    private static volatile boolean announced;

    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        String seed = System.getProperty(SEED);
        if (seed != null) {
            PropertyAttributes attributes = context.attributes();
            attributes.setSeed(seed);
            attributes.setShrinking(ShrinkingMode.OFF);
            attributes.setAfterFailure(AfterFailureMode.RANDOM_SEED);
            String maxTries = System.getProperty(MAX_TRIES);
            if (!announced) {
                announced = true;
                System.err.println("FixedSeedHook: jqwik seed " + seed + ", no shrinking, tries capped at "
                        + (maxTries == null ? "each property's own count" : maxTries));
            }
            if (maxTries != null) {
                int cap = Integer.parseInt(maxTries);
                attributes.setTries(Math.min(cap, attributes.tries().orElse(cap)));
            }
        }
        return property.execute();
    }
}
