package dev.orbit.io;

/** Names taken from files, made safe for a one-line message: quoted, control characters escaped, long ones cut. */
public final class Text {
    /** Longer names are cut in messages (the full name is never needed to find the problem). */
    public static final int MAX_QUOTED = 120;

    private Text() {}

    public static String quote(String s) {
        if (s == null) return "''";
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_QUOTED) + 8).append('\'');
        int n = Math.min(s.length(), MAX_QUOTED);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) b.append(String.format("\\x%02x", (int) c));
            else b.append(c);
        }
        if (s.length() > MAX_QUOTED) b.append("...(").append(s.length()).append(" characters)");
        return b.append('\'').toString();
    }
}
