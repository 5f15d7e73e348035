package dev.orbit.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Terminal progress bars (on stderr, so they never mix with printed results). */
final class Progress {
    private Progress() {}

    /** A bar for {@code max} steps. */
    static ProgressBar bar(String task, long max) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII).build();
    }

    /** A bar for {@code bytes} bytes, shown in MB with the rate. */
    static ProgressBar bytes(String task, long bytes) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(bytes).setStyle(ProgressBarStyle.ASCII)
                .setUnit(" MB", 1_000_000).showSpeed().build();
    }
}
