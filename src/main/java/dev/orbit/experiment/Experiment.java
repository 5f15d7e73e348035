package dev.orbit.experiment;

import dev.orbit.report.HtmlReport;

/**
 * One experiment: a configuration in, a result out, a report of the result. Configurations and results are records
 * that Jackson writes and reads (snake_case, {@link dev.orbit.report.Json}); a configuration holds everything a run
 * needs — seeds, sizes, the model file (null for the bundled classifier) — so a run can be repeated, or sent
 * elsewhere, from its configuration alone. An experiment keeps no state between runs.
 *
 * <pre>{@code
 * var e = new LevelCurvesExperiment();
 * var result = e.run(e.quick(e.defaults()), Context.quiet(null));
 * System.out.println(e.summary(result));
 * ExperimentFiles.write(Path.of("out"), e, result);          // result.json, report.html, index.html
 * }</pre>
 *
 * @param <C> the configuration record
 * @param <R> the result record
 */
public interface Experiment<C, R> {
    /** The experiment's name on the command line and in index pages, e.g. {@code level-curves}. */
    String name();

    /** The configuration of a full run (what the command line uses without options). */
    C defaults();

    /**
     * The seconds-long version of {@code config}, for tests and first looks: sizes shrink (teleports, epochs,
     * samples), while choices such as seeds, ranges and the model stay as given.
     */
    C quick(C config);

    /** Runs the experiment; {@code context} receives progress and log lines and says where extra files go. */
    R run(C config, Context context);

    /** The HTML report: what the claim is, what was run, what was measured, with charts whose captions say what to look at. */
    HtmlReport report(R result);

    /** One line for the index page (after the experiment's name). */
    String headline(R result);

    /** The short text summary a terminal shows, one or more lines, each ending in a newline. */
    String summary(R result);

    /** Whether the run's own checks passed (those that verify exports or moves); most experiments only measure. */
    default Verdict verdict(R result) { return Verdict.PASSED; }
}
