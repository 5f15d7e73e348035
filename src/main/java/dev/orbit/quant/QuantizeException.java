package dev.orbit.quant;

/** A requested preparation or quantization that this model offers nothing to act on; the message is the one-line reason. */
public final class QuantizeException extends RuntimeException {
    public QuantizeException(String message) { super(message); }
}
