package dev.orbit.train;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.orbit.graph.Graph;
import dev.orbit.graph.Node;
import dev.orbit.graph.ValueInfo;

/** Training losses, averaged over the batch: on the model's output, or computed by the graph itself. */
public sealed interface Loss {
    /** A batch's scores (what accuracy reads; null where there are none) and its loss, a scalar. */
    record Evaluated(Tensor scores, Tensor loss) {}

    /** Runs the model on a batch (features shaped like its input, targets as the loss wants them). */
    Evaluated evaluate(TrainableModel model, Tensor features, Tensor targets, boolean training);

    /** Whether the targets are class labels, so that accuracy means something. */
    boolean classifies();

    /** A loss applied to the single output of the model. */
    sealed interface OnOutput extends Loss permits CrossEntropy, Mse {
        Tensor compute(Tensor output, Tensor target);

        @Override
        default Evaluated evaluate(TrainableModel model, Tensor features, Tensor targets, boolean training) {
            Tensor out = model.forwardOne(features, training);
            return new Evaluated(out, compute(out, targets));
        }
    }

    /** Softmax cross-entropy from logits with int64 class targets (libtorch's fused, numerically stable form). */
    record CrossEntropy() implements OnOutput {
        @Override
        public Tensor compute(Tensor logits, Tensor classes) { return torch.cross_entropy_loss(logits, classes); }

        @Override
        public boolean classifies() { return true; }
    }

    /** Mean squared error against float targets of the output's shape. */
    record Mse() implements OnOutput {
        @Override
        public Tensor compute(Tensor output, Tensor target) { return torch.mse_loss(output, target); }

        @Override
        public boolean classifies() { return false; }
    }

    /**
     * The graph ends in its own loss: a SoftmaxCrossEntropyLoss or NegativeLogLikelihoodLoss whose target is a
     * graph input. Features and labels feed the graph, and the loss node's own reduction, class weights and
     * ignore_index apply. Accuracy reads the loss node's first input (scores, or log-probabilities for the
     * likelihood loss: the argmax is the same).
     */
    record InGraph(String features, String labels, String lossValue, String scores) implements Loss {
        private static final Set<String> LOSS_OPS = Set.of("SoftmaxCrossEntropyLoss", "NegativeLogLikelihoodLoss");

        /**
         * The in-graph loss of {@code g}, or empty when its output is not produced by a loss op.
         * @throws IllegalArgumentException when it is, but cannot be trained (why is in the message)
         */
        public static Optional<InGraph> find(Graph g) {
            if (g.outputs().size() != 1) return Optional.empty();
            String out = g.outputs().getFirst().name();
            Node loss = g.producer(out);
            if (loss == null || !LOSS_OPS.contains(loss.opType()) || !loss.output(0).equals(out)) return Optional.empty();
            String what = loss.opType() + " node '" + loss.label() + "'";
            if ("none".equals(loss.attributes().getString("reduction", "mean"))) {
                throw new IllegalArgumentException(what + " has reduction 'none': training needs a scalar loss (mean or sum)");
            }
            String labels = loss.input(1);
            List<String> inputs = g.inputs().stream().map(ValueInfo::name).toList();
            if (!inputs.contains(labels)) {
                throw new IllegalArgumentException(what + ": its target '" + labels + "' is not a graph input, so the labels cannot feed it");
            }
            if (inputs.size() != 2) {
                throw new IllegalArgumentException("a graph that ends in " + what + " must take two inputs, the features and the labels; it takes "
                        + inputs.size());
            }
            String features = inputs.get(0).equals(labels) ? inputs.get(1) : inputs.get(0);
            return Optional.of(new InGraph(features, labels, out, loss.input(0)));
        }

        @Override
        public Evaluated evaluate(TrainableModel model, Tensor features, Tensor targets, boolean training) {
            Map<String, Tensor> v = model.forwardValues(Map.of(this.features, features, labels, targets), training,
                    List.of(lossValue, scores));
            return new Evaluated(v.get(scores), v.get(lossValue));
        }

        @Override
        public boolean classifies() { return true; }
    }
}
