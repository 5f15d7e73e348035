package dev.orbit.cli;

import java.util.ResourceBundle;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import dev.orbit.graph.OrbitVersion;

/** The {@code orbit} command. */
@Command(name = "orbit", mixinStandardHelpOptions = true, versionProvider = OrbitCommand.VersionInfo.class,
        description = "Find, move, prove and study the symmetries of neural networks.",
        subcommands = {DemoCommand.class, InspectCommand.class, VerifyCommand.class, SymmetriesCommand.class,
                TeleportCommand.class, PermuteCommand.class, ApplyCommand.class, TrainCommand.class, ExperimentCommand.class,
                RotateCommand.class, QuantizeCommand.class, SameCommand.class, AlignCommand.class, MergeCommand.class, CanonicalCommand.class,
                FingerprintCommand.class, SweepCommand.class, ScanCommand.class, LicenseCommand.class, TraceCommand.class,
                SpectrumCommand.class, JacobianCommand.class, KernelCommand.class,
                HyperbolicTrainCommand.class, HyperbolicOrbitCommand.class, HyperbolicEnsembleCommand.class,
                CommandLine.HelpCommand.class},
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
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new OrbitCommand());
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
            ex.getCommandLine().getErr().println("Try 'orbit " + ex.getCommandLine().getCommandName() + " --help'.");
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
