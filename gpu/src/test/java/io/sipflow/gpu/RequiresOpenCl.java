package io.sipflow.gpu;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Skips a test container when no OpenCL device can be created, printing why, except under {@code CI=true}, where
 * the tests run and fail with the creation error (a missing device in CI is a failure, not a skip).
 */
public final class RequiresOpenCl implements SkipExecutionHook {
    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        String problem = OpenClTestBackend.problem();
        if (problem == null || OpenClTestBackend.inCi()) {
            return SkipResult.doNotSkip();
        }
        String reason = "SKIPPED " + context.label() + ": no OpenCL device (set CI=true to make this a failure): "
                + problem;
        System.out.println(reason);
        return SkipResult.skip(reason);
    }
}
