package dev.orbit.ops.softmax;

/** LogSoftmax from opset 13: log of {@link Softmax}. */
public final class LogSoftmax extends Softmax {
    public LogSoftmax() { super("LogSoftmax"); }
}
