package io.sipflow.autodiff;

/** The first op whose forward value or VJP gradient held a NaN or an infinity, under {@link Anomaly#detect()}. */
public final class AnomalyException extends ArithmeticException {
    /** The op whose value or gradient was not finite. */
    private final String op;

    AnomalyException(String op, String message) {
        super(message);
        this.op = op;
    }

    /** {@return the op's name, as in {@link Graph#toDot}} */
    public String op() {
        return op;
    }
}
