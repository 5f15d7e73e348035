package dev.orbit.cli;

import dev.orbit.graph.EvaluationException;
import dev.orbit.graph.ModelFormatException;
import dev.orbit.graph.ShapeException;
import dev.orbit.io.AtomicFiles;
import dev.orbit.ops.UnsupportedOpException;
import dev.orbit.tensor.DType;
import dev.orbit.verify.VerificationException;
import picocli.CommandLine;

/**
 * Turns exceptions into one line on stderr and an exit code. User mistakes never show a stack trace; bugs
 * do only with ORBIT_DEBUG=1.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        Throwable e = ex;
        int code = codeFor(e);
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        cmd.getErr().println("orbit: " + (code == ExitCodes.INTERNAL ? "internal error: " : "") + oneLine(msg));
        if (code == ExitCodes.INTERNAL) {
            if ("1".equals(System.getenv("ORBIT_DEBUG"))) e.printStackTrace(cmd.getErr());
            else cmd.getErr().println("orbit: this is a bug; run again with ORBIT_DEBUG=1 for details and report it");
        }
        cmd.getErr().flush();
        return code;
    }

    /** Longer messages are cut: names in them come from files and may be long. */
    static final int MAX_MESSAGE = 1000;
    /** A word (a name, usually) longer than this is shown by its start and its length. */
    static final int MAX_WORD = 160;

    /**
     * A message as one printable line. Names inside messages come from files, which may hold newlines or
     * terminal escape sequences, or run to megabytes: control characters are shown escaped, never sent to the
     * terminal, and a long name is cut so the rest of the message still says what is wrong.
     */
    static String oneLine(String msg) {
        StringBuilder b = new StringBuilder(Math.min(msg.length(), MAX_MESSAGE) + 32);
        int word = 0;
        for (int i = 0; i < msg.length() && b.length() < MAX_MESSAGE; i++) {
            char c = msg.charAt(i);
            if (c == ' ') {
                word = 0;
            } else if (++word > MAX_WORD) {
                int end = msg.indexOf(' ', i);
                if (end < 0) end = msg.length();
                b.append("...(").append(end - i + MAX_WORD).append(" characters)");
                char last = msg.charAt(end - 1);
                if (last == '\'' || last == ',' || last == ')') b.append(last);
                i = end - 1;
                word = 0;
                continue;
            }
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) b.append(String.format("\\x%02x", (int) c));
            else b.append(c);
        }
        if (b.length() >= MAX_MESSAGE) b.append("... (message cut)");
        return b.toString();
    }

    static int codeFor(Throwable e) {
        return switch (e) {
            case UserError u -> u.exitCode();
            case ModelFormatException m -> ExitCodes.BAD_INPUT;
            case ShapeException s -> ExitCodes.BAD_INPUT;
            case DType.UnsupportedDTypeException d -> ExitCodes.BAD_INPUT;
            case AtomicFiles.OutputException o -> ExitCodes.OUTPUT;
            case UnsupportedOpException u -> ExitCodes.UNSUPPORTED;
            case VerificationException v -> ExitCodes.BAD_INPUT;
            case EvaluationException v -> ExitCodes.BAD_INPUT;
            default -> ExitCodes.INTERNAL;
        };
    }
}
