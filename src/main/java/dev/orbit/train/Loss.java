package dev.orbit.train;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Training losses, averaged over the batch. */
public sealed interface Loss {
    Tensor compute(Tensor output, Tensor target);

    /** Softmax cross-entropy from logits with int64 class targets (libtorch's fused, numerically stable form). */
    record CrossEntropy() implements Loss {
        @Override
        public Tensor compute(Tensor logits, Tensor classes) { return torch.cross_entropy_loss(logits, classes); }
    }

    /** Mean squared error against float targets of the output's shape. */
    record Mse() implements Loss {
        @Override
        public Tensor compute(Tensor output, Tensor target) { return torch.mse_loss(output, target); }
    }
}
