package dev.orbit.train;

/** Learning rate as a function of the epoch (0-based). */
public sealed interface Schedule {
    double lr(double base, int epoch);

    record Constant() implements Schedule {
        @Override public double lr(double base, int epoch) { return base; }
    }

    /** lr · gamma^(epoch / every). */
    record Step(int every, double gamma) implements Schedule {
        public Step {
            if (every <= 0 || !(gamma > 0)) throw new IllegalArgumentException("step schedule needs every > 0 and gamma > 0");
        }
        @Override public double lr(double base, int epoch) { return base * Math.pow(gamma, epoch / every); }
    }

    /** Cosine annealing from lr to 0 over {@code total} epochs. */
    record Cosine(int total) implements Schedule {
        public Cosine {
            if (total <= 0) throw new IllegalArgumentException("cosine schedule needs a positive number of epochs");
        }
        @Override public double lr(double base, int epoch) { return 0.5 * base * (1 + Math.cos(Math.PI * Math.min(epoch, total) / total)); }
    }

    /** "constant", "step:EVERY:GAMMA" or "cosine" (over the run's epochs). */
    static Schedule parse(String s, int epochs) {
        String[] p = s.split(":");
        return switch (p[0]) {
            case "constant" -> new Constant();
            case "cosine" -> new Cosine(epochs);
            case "step" -> {
                if (p.length != 3) throw new IllegalArgumentException("step schedule is step:EVERY:GAMMA, e.g. step:2:0.5");
                yield new Step(Integer.parseInt(p[1]), Double.parseDouble(p[2]));
            }
            default -> throw new IllegalArgumentException("unknown schedule '" + s + "' (constant, step:EVERY:GAMMA, cosine)");
        };
    }
}
