package dev.orbit.checkpoint;

/** Which layer a parameter name belongs to, and its name within the layer. */
final class Layers {
    private Layers() {}

    static String prefix(Architecture a, int layer) {
        return switch (a) {
            case DecoderArchitecture d -> d.layer(layer, "");
            case Gpt2Architecture g -> g.layer(layer, "");
            case BertArchitecture b -> b.layer(layer, "");
        };
    }

    static int of(Architecture a, String name) {
        String base = prefix(a, 0);
        String head = base.substring(0, base.length() - 2); // "...layers." without "0."
        if (!name.startsWith(head)) throw new IllegalArgumentException(name + " is not a layer parameter");
        String rest = name.substring(head.length());
        return Integer.parseInt(rest.substring(0, rest.indexOf('.')));
    }

    static String suffix(Architecture a, int layer, String name) {
        return name.substring(prefix(a, layer).length());
    }
}
