package dev.orbit.ode;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class OdeTrainingTest {
    @Test
    void trainingThroughTheSolverLowersTheLossButNotBelowTheBestAffineMap() {
        var rng = new SplittableRandom(1);
        TwistTask.Data train = TwistTask.sample(128, 1);
        TwistTask.Data test = TwistTask.sample(128, 2);
        double floor = TwistTask.bestAffineLoss(train);
        LinearField f = new LinearField(GridFunction.random(4, new long[] {2, 2}, 0.3, 1, rng), GridFunction.random(4, new long[] {2}, 0.1, 1, rng));
        var config = new OdeTraining.Config(new Solver.Rk4(8), 1, 60, 0.05, 0);
        OdeTraining.History h = OdeTraining.train(f, train, test, config, k -> { });
        double first = h.loss().getFirst();
        assertTrue(h.trainLoss() < 0.5 * first, first + " → " + h.trainLoss());
        assertTrue(h.trainLoss() >= floor - 1e-12, "a linear ODE computes an affine map: " + h.trainLoss() + " < floor " + floor);
        assertTrue(h.trainLoss() < 2 * floor, "close to the affine floor " + floor + ": " + h.trainLoss());
    }
}
