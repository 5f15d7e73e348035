package dev.orbit.cli;

import java.util.List;
import java.util.ResourceBundle;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import dev.orbit.graph.OrbitVersion;

/** The {@code orbit} command. */
@Command(name = "orbit", mixinStandardHelpOptions = true, versionProvider = OrbitCommand.VersionInfo.class,
        description = "Find, move, prove and study the symmetries of neural networks.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:verification failed: an output differs beyond the tolerance",
                "2:wrong command-line arguments",
                "3:malformed, unreadable or hostile model or data (over a read limit, a path outside its folder), or shapes that do not fit",
                "4:a model produced NaN or infinity",
                "5:an output file cannot be written",
                "6:the model needs an op Orbit cannot evaluate",
                "10:orbit same: B is near an orbit copy of A, not on the orbit",
                "11:orbit same: B is not in A's orbit",
                "12:orbit quantize: a requested preparation has nothing to act on, or the model cannot take the needed opset",
                "70:internal error (a bug)"})
public final class OrbitCommand implements Runnable {
    /**
     * The subcommands, in the order help lists them. They are registered in {@link #commandLine(String...)} rather
     * than in the annotation, so that a run builds the picocli model of the one command it runs: picocli reflects
     * over every registered command's options at start-up, and its own classes (Java 5 bytecode) cannot come from
     * the AOT cache, which made that model most of a small command's start-up (bench/startup.sh).
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(DemoCommand.class, InspectCommand.class, VerifyCommand.class, SymmetriesCommand.class,
            TeleportCommand.class, PermuteCommand.class, ApplyCommand.class, TrainCommand.class, ExperimentCommand.class,
            RotateCommand.class, QuantizeCommand.class, SameCommand.class, AlignCommand.class, MergeCommand.class, CanonicalCommand.class,
            FingerprintCommand.class, SweepCommand.class, ScanCommand.class, LicenseCommand.class, TraceCommand.class,
            SpectrumCommand.class, JacobianCommand.class, KernelCommand.class,
            HyperbolicTrainCommand.class, HyperbolicOrbitCommand.class, HyperbolicEnsembleCommand.class,
            CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ReadLimitOptions limits;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        // no NativeSetup.init() here: the launcher exports its settings, and every path into libtorch (NdArray,
        // StoredTensor, the convolutions) calls it first; commands that compute nothing stay free of native code
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (tests call this). */
    public static int execute(String... args) {
        return commandLine(args).execute(args);
    }

    /** The whole command tree. */
    public static CommandLine commandLine() {
        return build(SUBCOMMANDS);
    }

    /**
     * The command tree that {@code args} need: only the subcommand they name; none for {@code --version} alone;
     * every one for help, usage, and anything unrecognised (so that errors can suggest the right name).
     */
    static CommandLine commandLine(String... args) {
        Class<?> named = null;
        for (String a : args) {
            if (a.startsWith("-")) continue;
            for (Class<?> c : SUBCOMMANDS) if (c.getAnnotation(Command.class).name().equals(a)) named = c;
            break; // the first word decides: later ones are the subcommand's own arguments
        }
        if (named != null && named != CommandLine.HelpCommand.class) return build(List.of(named));
        boolean versionOnly = args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
        return build(versionOnly ? List.of() : SUBCOMMANDS);
    }

    private static CommandLine build(List<Class<?>> subcommands) {
        CommandLine cl = new CommandLine(new OrbitCommand());
        // registered before the settings below, which picocli copies to the subcommands present at the time
        for (Class<?> c : subcommands) cl.addSubcommand(c);
        // per-command descriptions of the shared options (--seed, --json); loaded here, in Orbit's own module, because
        // a bundle inside a named module is invisible to picocli's own lookup
        cl.setResourceBundle(ResourceBundle.getBundle("dev.orbit.cli.Options"));
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpWidth(110); // descriptions are written as lines of up to ~100 characters
        // --max-bytes / --max-nodes hold for everything the command reads (ReadLimits.current())
        cl.setExecutionStrategy(parsed -> ReadLimitOptions.of(parsed).runWith(() -> new CommandLine.RunLast().execute(parsed)));
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("orbit: " + ex.getMessage());
            var suggestions = ex instanceof CommandLine.UnmatchedArgumentException u ? u.getSuggestions() : List.<String>of();
            String hint = suggestions.isEmpty() ? "" : "Did you mean '" + suggestions.getFirst() + "'? ";
            ex.getCommandLine().getErr().println(hint + "Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ExitCodes.USAGE;
        });
        return cl;
    }

    /**
     * Versions from the module descriptors (the jar names of automatic modules), not from the libraries: asking
     * ONNX Runtime for its version loads its native library, which took most of {@code orbit --version}'s time.
     */
    static final class VersionInfo implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"orbit " + OrbitVersion.VERSION,
                    "onnxruntime " + moduleVersion(ai.onnxruntime.OrtEnvironment.class) + ", libtorch "
                            + moduleVersion(org.bytedeco.pytorch.Tensor.class) + ", Java " + Runtime.version()};
        }

        /** The version of the module (or, on the class path, the jar) that holds {@code c}; a class literal loads no native code. */
        private static String moduleVersion(Class<?> c) {
            var descriptor = c.getModule().getDescriptor();
            if (descriptor != null && descriptor.rawVersion().isPresent()) return descriptor.rawVersion().get();
            try (var in = c.getModule().getResourceAsStream("META-INF/MANIFEST.MF")) {
                String v = in == null ? null : new java.util.jar.Manifest(in).getMainAttributes().getValue("Implementation-Version");
                return v != null ? v : "(version unknown)";
            } catch (java.io.IOException e) {
                return "(version unknown)";
            }
        }
    }
}
