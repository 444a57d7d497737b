package io.sipflow.physics.plot;

import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * examples.png: each panel's label is its own range; a scale group shares one colour range over all rows (read off
 * its colour bar); a NaN prediction cannot blank the ground truth.
 */
class FieldGridTest {
    private static final FieldGrid.Column TRUTH = new FieldGrid.Column("Ground Truth",
            Tensor.of(Shape.of(1, 2, 2), 0, 0.25, 0.5, 1), 0);

    @Test
    void thePredictionsLabelIsThePredictionsRange() {
        FieldGrid.Column pred = new FieldGrid.Column("NN Prediction", Tensor.of(Shape.of(1, 2, 2), 5, 5.5, 5.5, 6), 0);
        assertEquals("5.00 … 6.00", FieldGrid.label(pred, 0));
        assertEquals("0.00 … 1.00", FieldGrid.label(TRUTH, 0));
        assertArrayEquals(new double[] {0, 6}, FieldGrid.colourRange(List.of(TRUTH, pred), 0, 1), 0.0,
                "drawn on one shared colour scale");
    }

    @Test
    void aScaleGroupSharesOneRangeOverAllRows() {
        FieldGrid.Column truth = new FieldGrid.Column("Ground Truth", Tensor.of(Shape.of(2, 1, 2), 0, 1, 2, 3), 0);
        FieldGrid.Column observed = new FieldGrid.Column("Observation", Tensor.of(Shape.of(2, 1, 2), 9, 9, 9, 10), 1);
        List<FieldGrid.Column> columns = List.of(truth, observed);
        assertArrayEquals(new double[] {0, 3}, FieldGrid.colourRange(columns, 0, 2), 0.0);
        assertArrayEquals(new double[] {0, 1}, FieldGrid.colourRange(columns, 0, 1), 0.0, "only the rows drawn");
        assertArrayEquals(new double[] {9, 10}, FieldGrid.colourRange(columns, 1, 2), 0.0);
        assertTrue(FieldGrid.png(columns, 2).length > 0);
    }

    @Test
    void aNanPredictionIsCountedAndLeavesTheGroundTruthsScale() {
        FieldGrid.Column pred = new FieldGrid.Column("NN Prediction",
                Tensor.of(Shape.of(1, 2, 2), Double.NaN, 0.5, Double.NaN, 0.75), 0);
        assertEquals("0.500 … 0.750 (2 NaN/inf)", FieldGrid.label(pred, 0));
        assertArrayEquals(new double[] {0, 1}, FieldGrid.colourRange(List.of(TRUTH, pred), 0, 1), 0.0);
        assertTrue(FieldGrid.png(List.of(TRUTH, pred), 1).length > 0);
    }
}
