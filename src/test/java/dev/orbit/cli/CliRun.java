package dev.orbit.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the orbit command in-process and captures what it prints. */
record CliRun(int exitCode, String out, String err) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = OrbitCommand.commandLine(args); // the tree the launcher builds for these arguments
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** A user mistake: one clear line (plus at most a usage hint), never a stack trace. */
    boolean cleanError() {
        return !err.contains("\tat ") && !err.contains("Exception") && err.startsWith("orbit: ") && err.lines().count() <= 2;
    }
}
