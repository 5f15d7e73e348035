package dev.orbit.verify;

/**
 * One output under the {@link NoiseRule}: the unmoved float32 model's own error and the moved model's error, both
 * against the original evaluated in float64, their ratio, the bound k·own + floor, and why the output is
 * near-degenerate (empty when it is not): its scale is close to zero, it is nearly constant (a saturated map), or
 * float32 reproduces it exactly (only the floor is left as a bar).
 */
public record NoiseCheck(String output, double ownError, double movedError, double ratio, double allowed, boolean passed,
                         String degenerate) {
    static NoiseCheck of(String output, double own, double moved, NoiseRule rule, String degenerate) {
        double ratio = own > 0 ? moved / own : moved == 0 ? 1 : Double.POSITIVE_INFINITY;
        double allowed = rule.allowed(own);
        return new NoiseCheck(output, own, moved, ratio, allowed, moved <= allowed, degenerate);
    }
}
