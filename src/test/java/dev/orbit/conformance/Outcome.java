package dev.orbit.conformance;

/** What one backend did with one test: pass, or not yet with the reason (one line, deterministic). */
record Outcome(Status status, String reason) {
    enum Status {
        PASS("pass"), NOT_YET("not-yet");

        final String label;

        Status(String label) { this.label = label; }

        static Status parse(String s) {
            for (Status st : values()) if (st.label.equals(s)) return st;
            throw new IllegalArgumentException("unknown status '" + s + "' (pass or not-yet)");
        }
    }

    static final Outcome PASS = new Outcome(Status.PASS, "");

    static Outcome notYet(String reason) {
        String oneLine = reason == null ? "unknown" : reason.lines().findFirst().orElse("unknown").replace('\t', ' ').strip();
        if (oneLine.length() > 200) oneLine = oneLine.substring(0, 197) + "...";
        return new Outcome(Status.NOT_YET, oneLine);
    }

    boolean passed() { return status == Status.PASS; }
}
