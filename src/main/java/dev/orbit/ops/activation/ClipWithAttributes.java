package dev.orbit.ops.activation;

import java.util.List;

/** Clip before opset 11: the bounds are attributes. */
public final class ClipWithAttributes extends ClipOp {
    @Override
    public List<String> names() { return List.of(); }
}
