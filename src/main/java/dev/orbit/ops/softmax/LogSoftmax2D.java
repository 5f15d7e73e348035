package dev.orbit.ops.softmax;

/** LogSoftmax before opset 13: log of {@link Softmax2D}. */
public final class LogSoftmax2D extends Softmax2D {
    public LogSoftmax2D() { super("LogSoftmax"); }
}
