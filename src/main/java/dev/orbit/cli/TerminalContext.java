package dev.orbit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;

import dev.orbit.experiment.Context;
import me.tongfei.progressbar.ProgressBar;

/** An experiment's context on a terminal: one progress bar per phase (unless quiet), log lines on stdout. */
final class TerminalContext implements Context, AutoCloseable {
    private final Path folder;
    private final PrintWriter out;
    private final boolean bars;
    private final boolean logs;
    private ProgressBar bar;

    TerminalContext(Path folder, PrintWriter out, boolean bars, boolean logs) {
        this.folder = folder;
        this.out = out;
        this.bars = bars;
        this.logs = logs;
    }

    @Override
    public Path folder() { return folder; }

    @Override
    public void phase(String task, long total) {
        close();
        if (bars) bar = Progress.bar(task, total);
    }

    @Override
    public void step(long done) {
        if (bar != null) bar.stepTo(done);
    }

    @Override
    public void log(String line) {
        if (!logs) return;
        out.println(line);
        out.flush();
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
        bar = null;
    }
}
