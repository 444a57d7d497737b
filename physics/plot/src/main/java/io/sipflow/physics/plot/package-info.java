/**
 * Pictures of fields and training curves: {@link io.sipflow.physics.plot.Viridis} maps values to colours,
 * {@link io.sipflow.physics.plot.FieldGrid} lays out ground truth / observation / prediction panels like the
 * notebook's last cell, {@link io.sipflow.physics.plot.Charts} draws log-scale curves with XChart. All return
 * PNG bytes, so callers decide where (and how atomically) to write them.
 */
package io.sipflow.physics.plot;
