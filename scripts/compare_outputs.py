#!/usr/bin/env python3
"""Compares two folders written by scripts/compare-rewiring.sh (standard library only).

What is compared, file by file (a file present on one side only is a difference):
  *.rc                 exit status, equal
  */*.out (models)     stdout of symmetries/teleport/permute/apply (--json), byte-identical
  train/*.out          stdout of `orbit train --json`: equal as JSON once timing keys are dropped
  *.onnx               byte-identical; otherwise equal once every NodeProto.doc_string of the main graph is
                       cleared (the rewrite tag) -> reported as "equal except node doc_strings", with the tags;
                       or equal once the ModelProto.metadata_props entries are sorted -> reported as "equal
                       except the order of metadata entries" (some writers fill metadata from a Map.of, whose
                       iteration order changes from one JVM run to the next)
  *.element.json       byte-identical; otherwise equal as JSON (same keys, same numbers); otherwise equal once
                       loaded, i.e. as orbit-element/3 reads them: the "format" tag dropped, and an untagged
                       hyperbolic file (layer -> isometry) taken as {"isometries": ...} -> reported as "equal
                       once loaded (format version)"
  result.json, *.json  equal as JSON once timing keys are dropped
  other files          byte-identical
What is ignored: models/ (the inputs: inputs.sha256 must match instead), commit, *.err (progress bars),
exp/*.out (experiments print run times; their result.json is compared), report and index pages (*.html,
*.svg, *.png: they print run times). Timing keys: seconds, samples_per_second and any key ending in _seconds,
_ms or _millis.
"""
import json
import os
import sys

TIMING = {"seconds", "samples_per_second"}
TIMING_SUFFIXES = ("_seconds", "_ms", "_millis")
SKIP_SUFFIXES = (".err", ".html", ".svg", ".png")


def files(root):
    out = set()
    for d, _, names in os.walk(root):
        rel = os.path.relpath(d, root)
        if rel == "models" or rel.startswith("models" + os.sep):
            continue
        for n in names:
            p = os.path.normpath(os.path.join(rel, n))
            if p == "commit" or p.endswith(SKIP_SUFFIXES):
                continue
            if p.startswith("exp" + os.sep) and p.endswith(".out"):
                continue
            out.add(p)
    return out


def drop_timing(v):
    if isinstance(v, dict):
        return {k: drop_timing(x) for k, x in v.items() if k not in TIMING and not k.endswith(TIMING_SUFFIXES)}
    if isinstance(v, list):
        return [drop_timing(x) for x in v]
    return v


# ---- protobuf wire format, just enough to clear NodeProto.doc_string (ModelProto.graph = 7, GraphProto.node = 1,
# NodeProto.doc_string = 6)

def varint(b, i):
    shift = value = 0
    while True:
        c = b[i]
        i += 1
        value |= (c & 0x7F) << shift
        shift += 7
        if c < 0x80:
            return value, i


def fields(b):
    """Yields (field number, wire type, raw bytes of the whole field, payload of a length-delimited field)."""
    i = 0
    while i < len(b):
        start = i
        tag, i = varint(b, i)
        num, wt = tag >> 3, tag & 7
        payload = None
        if wt == 0:
            _, i = varint(b, i)
        elif wt == 1:
            i += 8
        elif wt == 5:
            i += 4
        elif wt == 2:
            n, i = varint(b, i)
            payload = b[i:i + n]
            i += n
        else:
            raise ValueError("unsupported wire type %d" % wt)
        yield num, wt, b[start:i], payload


def encode_len(num, payload):
    out = bytearray()
    for v in ((num << 3) | 2, len(payload)):
        while True:
            c = v & 0x7F
            v >>= 7
            out.append(c | (0x80 if v else 0))
            if not v:
                break
    return bytes(out) + payload


def rewrite(b, path, docs):
    """Copies message b; at the end of path (field numbers) drops the doc_string field and records it."""
    out = bytearray()
    for num, wt, raw, payload in fields(b):
        if not path and num == 6 and wt == 2:
            docs.append(payload.decode("utf-8", "replace"))
            continue
        if path and num == path[0] and wt == 2:
            out += encode_len(num, rewrite(payload, path[1:], docs))
        else:
            out += raw
    return bytes(out)


def strip_node_docs(b):
    docs = []
    return rewrite(b, [7, 1], docs), docs


def sort_metadata(b):
    """ModelProto with its metadata_props (field 14) entries sorted; every other field in place."""
    others, meta = bytearray(), []
    for num, wt, raw, payload in fields(b):
        if num == 14 and wt == 2:
            meta.append(raw)
        else:
            others += raw
    return bytes(others) + b"".join(sorted(meta))


# ---- comparison

def compare(a, b):
    diffs, tagged, reordered, upgraded, equal = [], [], [], [], 0
    sa, sb = files(a), files(b)
    for p in sorted(sa ^ sb):
        diffs.append("%s: only in %s" % (p, a if p in sa else b))
    for p in sorted(sa & sb):
        pa, pb = os.path.join(a, p), os.path.join(b, p)
        with open(pa, "rb") as f:
            ba = f.read()
        with open(pb, "rb") as f:
            bb = f.read()
        if ba == bb:
            equal += 1
            continue
        if p.endswith(".onnx"):
            xa, da = strip_node_docs(ba)
            xb, db = strip_node_docs(bb)
            if xa == xb:
                tagged.append((p, sorted(set(da) - {""}), sorted(set(db) - {""})))
            elif sort_metadata(ba) == sort_metadata(bb):
                reordered.append(p)
            else:
                diffs.append("%s: models differ beyond node doc_strings" % p)
        elif p.endswith(".json") or p.startswith("train" + os.sep) and p.endswith(".out"):
            try:
                ja, jb = json.loads(ba), json.loads(bb)
            except ValueError:
                diffs.append("%s: differs (not JSON)" % p)
                continue
            if not p.endswith(".element.json"):
                ja, jb = drop_timing(ja), drop_timing(jb)
            if ja == jb:
                equal += 1
            elif p.endswith(".element.json") and loaded_element(ja) == loaded_element(jb):
                upgraded.append((p, ja.get("format", "untagged") if isinstance(ja, dict) else "?",
                                 jb.get("format", "untagged") if isinstance(jb, dict) else "?"))
            else:
                diffs.append("%s: JSON differs%s" % (p, first_difference(ja, jb, "")))
        else:
            diffs.append("%s: differs" % p)
    return equal, tagged, reordered, upgraded, diffs


def loaded_element(j):
    """What ElementFile reads: versions 1-3 without their tag, the untagged hyperbolic files as "isometries"."""
    if not isinstance(j, dict):
        return j
    if "format" not in j and j and all(isinstance(v, dict) and "kind" in v for v in j.values()):
        return {"isometries": j}
    return {k: v for k, v in j.items() if k != "format"}


def first_difference(x, y, where):
    if type(x) is not type(y):
        return " at %s: %r vs %r" % (where or "/", short(x), short(y))
    if isinstance(x, dict):
        for k in sorted(set(x) | set(y)):
            if k not in x or k not in y:
                return " at %s/%s: present on one side only" % (where, k)
            if x[k] != y[k]:
                return first_difference(x[k], y[k], where + "/" + k)
    if isinstance(x, list):
        if len(x) != len(y):
            return " at %s: %d vs %d items" % (where or "/", len(x), len(y))
        for i, (u, v) in enumerate(zip(x, y)):
            if u != v:
                return first_difference(u, v, "%s[%d]" % (where, i))
    return " at %s: %r vs %r" % (where or "/", short(x), short(y))


def short(v):
    s = repr(v)
    return s if len(s) < 80 else s[:77] + "..."


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: compare_outputs.py DIR_A DIR_B")
    a, b = sys.argv[1:]
    with open(os.path.join(a, "inputs.sha256")) as f:
        ia = f.read()
    with open(os.path.join(b, "inputs.sha256")) as f:
        ib = f.read()
    ca = open(os.path.join(a, "commit")).read().strip()[:12]
    cb = open(os.path.join(b, "commit")).read().strip()[:12]
    print("comparing %s (%s) with %s (%s)" % (a, ca, b, cb))
    if ia != ib:
        print("WARNING: the input models differ between the two commits (inputs.sha256)")
    equal, tagged, reordered, upgraded, diffs = compare(a, b)
    print("identical files: %d" % equal)
    print("models equal except node doc_strings: %d" % len(tagged))
    for p, da, db in tagged:
        print("  %s: doc_strings %s -> %s" % (p, da or "none", db or "none"))
    print("models equal except the order of metadata entries: %d" % len(reordered))
    for p in reordered:
        print("  " + p)
    print("element files equal once loaded (format version): %d" % len(upgraded))
    for p, fa, fb in upgraded:
        print("  %s: %s -> %s" % (p, fa, fb))
    print("differences: %d" % len(diffs))
    for d in diffs:
        print("  " + d)
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
