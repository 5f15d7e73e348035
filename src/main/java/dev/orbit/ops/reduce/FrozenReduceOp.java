package dev.orbit.ops.reduce;

import static dev.orbit.ops.SpaceRules.label;

import dev.orbit.graph.Node;
import dev.orbit.ops.SpaceRules;

/**
 * A reduction whose value does not scale with its input (norms, products, log-sums): the shape rules of
 * {@link ReduceOp}, but the input freezes with the reason the op gives. Integer inputs keep their type.
 */
abstract class FrozenReduceOp extends ReduceOp {
    private final String freezeReason;

    FrozenReduceOp(String opType, String freezeReason) {
        super(opType);
        this.freezeReason = freezeReason;
    }

    @Override
    public void spaceRule(Node n, SpaceRules rules) { rules.freezeInputs(n, label(n) + ": " + freezeReason); }
}
