#!/usr/bin/env python3
"""Markdown table of today's Orbit on the zoo, for docs/ZOO.md ("before" column of issue 15).

Inputs: the folder scripts/zoo_baseline.sh wrote, and the console output of
`./run-tests -Dtest=ZooTest` (its found-vs-expected summaries). numpy-free; any python3.

    scripts/zoo_baseline.sh /tmp/zoo-baseline
    ./run-tests -Dtest=ZooTest > /tmp/zootest.log
    python3 scripts/zoo_baseline_table.py /tmp/zoo-baseline /tmp/zootest.log
"""

import json
import os
import re
import sys


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def text(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return ""


def cli(d, name):
    """(exit code, parsed JSON or None, first stderr line) of one recorded command; None if not run."""
    rc = text(os.path.join(d, name + ".rc"))
    if not rc:
        return None
    err = text(os.path.join(d, name + ".err")).splitlines()
    return int(rc), load(os.path.join(d, name + ".json")), (err[0] if err else "")


def short_error(err):
    err = err.replace("orbit: ", "")
    m = re.search(r"cannot evaluate op '(\w+)'", err)
    if m:
        return "op %s missing" % m.group(1)
    if "internal error" in err:
        return "crash (%s)" % err.split("internal error: ")[-1]
    if "no attention this analysis can move" in err:
        return "no attention found"
    if "no residual stream that rotates exactly" in err:
        return "refused: " + err.split("rotates exactly: ")[-1][:70]
    return err[:80]


def verify_cell(r):
    if r is None:
        return "-"
    rc, js, err = r
    if js and js.get("outputs"):
        e = max(o["max_rel_error"] for o in js["outputs"])
        return "%s %.1e" % ("yes" if js.get("passed") else "**no**", e)
    return "no: " + short_error(err)


def move_cell(r):
    if r is None:
        return "n/a"
    rc, js, err = r
    if js and re.search(r": 0 of \d+ spaces scaled .*, 0 permutation classes permuted$", js.get("move", "")):
        return "nothing moved"
    if js and "verification" in js:
        v = js["verification"]
        e = max(o["max_rel_error"] for o in v["outputs"])
        return "%s %.1e" % ("verifies" if v.get("passed") else "**fails**", e)
    return "exit %d: %s" % (rc, short_error(err))


def summaries(log):
    """file -> (expected line, found line, counts line) from ZooTest's printed reports."""
    out = {}
    lines = text(log).splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"(\S+\.onnx)\s+expected: (.*)", line)
        if m and i + 2 < len(lines):
            found = lines[i + 1].split("found:")[-1].strip()
            counts = lines[i + 2].strip()
            out[m.group(1)] = (m.group(2), found, counts)
        m = re.match(r"(\S+\.onnx): orbit symmetries failed: (.*)", line)
        if m:
            out[m.group(1)] = None
    return out


def coverage(s):
    m = re.search(r"covered (\d+) of (\d+) \(([\d.]+)%\)", s)
    return "%s/%s" % (m.group(1), m.group(2)) if m else "?"


def dims(s):
    m = re.search(r"perm (\d+), heads (\d+), scale (\d+), matrix (\d+) ch / dim (\d+)", s)
    return "%s / %s / %s / %s" % (m.group(1), m.group(2), m.group(3), m.group(5)) if m else "?"


def main(base, log):
    reports = summaries(log)
    print("| file | imports | Orbit vs ORT | symmetries | covered: found vs expected | perm / heads / scale / matrix-dim: "
          "found vs expected | spaces and groups | teleport inter 0.9 + permute | --attention | --rotate-residual |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for stem in sorted(os.listdir(base)):
        d = os.path.join(base, stem)
        f = stem + ".onnx"
        inspect = cli(d, "inspect")
        sym = cli(d, "symmetries")
        if sym and sym[1]:
            spaces = sym[1]["spaces"]
            free = sum(1 for s in spaces if s.get("free"))
            sym_cell = "%d free / %d fixed" % (free, len(spaces) - free)
        else:
            sym_cell = "**%s**" % short_error(sym[2]) if sym else "-"
        rep = reports.get(f)
        if rep:
            cov = "%s vs %s" % (coverage(rep[1]), coverage(rep[0]))
            dim = "%s vs %s" % (dims(rep[1]), dims(rep[0]))
            counts = re.sub(r"(\d+) (match|different|missing|split|unexpected)", r"\1 \2", rep[2])
        else:
            cov, dim, counts = "-", "-", "-"
        print("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            stem, "yes" if inspect and inspect[0] == 0 else "**no**", verify_cell(cli(d, "verify")), sym_cell, cov, dim,
            counts, move_cell(cli(d, "teleport")), move_cell(cli(d, "teleport_attention")),
            move_cell(cli(d, "teleport_rotate"))))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/zoo-baseline", sys.argv[2] if len(sys.argv) > 2 else "/tmp/zootest.log")
