package dev.orbit.io.inputs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.orbit.graph.ModelFormatException;
import dev.orbit.io.LimitExceededException;
import dev.orbit.io.ReadLimits;
import dev.orbit.io.Text;
import dev.orbit.tensor.DType;
import dev.orbit.tensor.NdArray;

/**
 * Reads NumPy's {@code .npy} format, versions 1.0, 2.0 and 3.0: the magic {@code \x93NUMPY}, a version, a
 * little-endian header length (2 bytes in 1.0, 4 after), a Python dict literal
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }}, then the values. Element types: f4, f8,
 * i4, i8 and u1, little or big endian (big-endian values are swapped to Orbit's little-endian storage); C order
 * only. The header is parsed by a strict grammar, never evaluated, is at most 64 KiB, and its declared size must
 * fit {@link ReadLimits#maxBytes()} and match the bytes that follow exactly.
 */
public final class NpyReader {
    /** NumPy itself refuses headers over 10,000 bytes unless told otherwise; 64 KiB leaves room for odd writers. */
    static final int MAX_HEADER = 64 << 10;
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private NpyReader() {}

    public static NdArray read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), ReadLimits.current());
        } catch (NoSuchFileException e) {
            throw new ModelFormatException("cannot read '" + file + "': no such file");
        } catch (IOException e) {
            throw new ModelFormatException("cannot read '" + file + "': " + e.getMessage());
        }
    }

    public static NdArray read(InputStream in, String label, ReadLimits limits) throws IOException {
        byte[] lead = in.readNBytes(8);
        if (lead.length < 8 || !java.util.Arrays.equals(lead, 0, 6, MAGIC, 0, 6)) {
            throw new ModelFormatException("'" + label + "' is not a .npy file (no \\x93NUMPY magic)");
        }
        int major = lead[6] & 0xff;
        if (major < 1 || major > 3 || lead[7] != 0) {
            throw new ModelFormatException("'" + label + "' is .npy version " + major + "." + (lead[7] & 0xff) + "; Orbit reads 1.0, 2.0 and 3.0");
        }
        byte[] len = in.readNBytes(major == 1 ? 2 : 4);
        if (len.length != (major == 1 ? 2 : 4)) throw new ModelFormatException("'" + label + "' is truncated in its header");
        long headerLength = (len[0] & 0xff) | (len[1] & 0xff) << 8
                | (major == 1 ? 0L : ((len[2] & 0xffL) << 16 | (len[3] & 0xffL) << 24));
        if (headerLength > MAX_HEADER) {
            throw new LimitExceededException("'" + label + "' has a " + headerLength + "-byte header, more than " + MAX_HEADER + " allowed");
        }
        byte[] headerBytes = in.readNBytes((int) headerLength);
        if (headerBytes.length != headerLength) throw new ModelFormatException("'" + label + "' is truncated in its header");
        String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Header h = Header.parse(header, label);
        long count = 1;
        for (long d : h.shape()) {
            try {
                count = Math.multiplyExact(count, d);
            } catch (ArithmeticException e) {
                throw new LimitExceededException("'" + label + "' declares more values than a 64-bit count holds");
            }
        }
        long bytes = count > Long.MAX_VALUE / h.dtype().byteSize ? -1 : count * h.dtype().byteSize;
        limits.checkBytes(bytes, "'" + label + "' (" + count + " values)");
        if (bytes > Integer.MAX_VALUE - 8) throw new LimitExceededException("'" + label + "' holds more than 2 GiB of values");
        byte[] payload = in.readNBytes((int) bytes); // grows with what arrives, never to the declared size up front
        if (payload.length != bytes) {
            throw new ModelFormatException("'" + label + "' is truncated: its header declares " + bytes + " bytes of values, the file holds " + payload.length);
        }
        if (in.read() >= 0) throw new ModelFormatException("'" + label + "' has bytes after its values");
        if (h.bigEndian() && h.dtype().byteSize > 1) swap(payload, h.dtype().byteSize);
        return NdArray.ofBytes(h.dtype(), h.shape(), payload);
    }

    private static void swap(byte[] b, int size) {
        for (int i = 0; i < b.length; i += size) {
            for (int j = 0; j < size / 2; j++) {
                byte t = b[i + j];
                b[i + j] = b[i + size - 1 - j];
                b[i + size - 1 - j] = t;
            }
        }
    }

    /** The header dict: exactly the keys descr, fortran_order and shape, in any order, trailing comma allowed. */
    record Header(DType dtype, boolean bigEndian, long[] shape) {
        static Header parse(String text, String label) {
            var p = new Literal(text, label);
            p.expect('{');
            String descr = null;
            Boolean fortran = null;
            long[] shape = null;
            while (!p.peek('}')) {
                String key = p.string();
                p.expect(':');
                switch (key) {
                    case "descr" -> {
                        if (descr != null) throw p.error("'descr' twice");
                        descr = p.string();
                    }
                    case "fortran_order" -> {
                        if (fortran != null) throw p.error("'fortran_order' twice");
                        fortran = p.bool();
                    }
                    case "shape" -> {
                        if (shape != null) throw p.error("'shape' twice");
                        shape = p.tuple();
                    }
                    default -> throw p.error("unknown key " + Text.quote(key));
                }
                if (!p.peek('}')) p.expect(',');
            }
            p.expect('}');
            p.end();
            if (descr == null || fortran == null || shape == null) throw p.error("needs descr, fortran_order and shape");
            if (fortran) throw new ModelFormatException("'" + label + "' is in Fortran order; Orbit reads C-order arrays only");
            return dtype(descr, shape, label);
        }

        private static Header dtype(String descr, long[] shape, String label) {
            if (descr.length() != 3) throw unsupported(descr, label);
            char order = descr.charAt(0);
            DType t = switch (descr.substring(1)) {
                case "f4" -> DType.FLOAT32;
                case "f8" -> DType.FLOAT64;
                case "i4" -> DType.INT32;
                case "i8" -> DType.INT64;
                case "u1" -> DType.UINT8;
                default -> throw unsupported(descr, label);
            };
            boolean big = switch (order) {
                case '<' -> false;
                case '>' -> true;
                case '|' -> {
                    if (t.byteSize != 1) throw unsupported(descr, label);
                    yield false;
                }
                case '=' -> ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;
                default -> throw unsupported(descr, label);
            };
            return new Header(t, big, shape);
        }

        private static ModelFormatException unsupported(String descr, String label) {
            return new ModelFormatException("'" + label + "' holds element type " + Text.quote(descr)
                    + "; Orbit reads f4, f8, i4, i8 and u1 (little or big endian)");
        }
    }

    /** A cursor over the few Python literals a .npy header uses: strings, True/False, tuples of ints. */
    private static final class Literal {
        private final String s;
        private final String label;
        private int at;

        Literal(String s, String label) {
            this.s = s;
            this.label = label;
        }

        ModelFormatException error(String what) {
            return new ModelFormatException("'" + label + "' has a malformed .npy header (" + what + ")");
        }

        private void skipSpace() {
            while (at < s.length() && (s.charAt(at) == ' ' || s.charAt(at) == '\t' || s.charAt(at) == '\n' || s.charAt(at) == '\r')) at++;
        }

        boolean peek(char c) {
            skipSpace();
            return at < s.length() && s.charAt(at) == c;
        }

        void expect(char c) {
            if (!peek(c)) throw error("expected '" + c + "' at " + at);
            at++;
        }

        void end() {
            skipSpace();
            if (at != s.length()) throw error("text after the dict");
        }

        String string() {
            skipSpace();
            if (at >= s.length() || (s.charAt(at) != '\'' && s.charAt(at) != '"')) throw error("expected a string at " + at);
            char quote = s.charAt(at++);
            int start = at;
            while (at < s.length() && s.charAt(at) != quote) {
                if (s.charAt(at) == '\\') throw error("escapes in strings");
                at++;
            }
            if (at >= s.length()) throw error("unterminated string");
            return s.substring(start, at++);
        }

        boolean bool() {
            skipSpace();
            if (s.startsWith("True", at)) {
                at += 4;
                return true;
            }
            if (s.startsWith("False", at)) {
                at += 5;
                return false;
            }
            throw error("expected True or False at " + at);
        }

        long[] tuple() {
            expect('(');
            List<Long> dims = new ArrayList<>();
            while (!peek(')')) {
                dims.add(integer());
                if (!peek(')')) expect(',');
                if (dims.size() > 64) throw error("more than 64 dimensions");
            }
            expect(')');
            return dims.stream().mapToLong(Long::longValue).toArray();
        }

        private long integer() {
            skipSpace();
            int start = at;
            while (at < s.length() && Character.isDigit(s.charAt(at)) && s.charAt(at) < 128) at++;
            if (start == at) throw error("expected a non-negative whole number at " + at);
            if (at - start > 18) throw error("a dimension with more than 18 digits");
            long v = Long.parseLong(s.substring(start, at));
            if (at < s.length() && (s.charAt(at) == 'L' || s.charAt(at) == 'l')) at++; // Python 2 writers
            return v;
        }
    }
}
