#!/usr/bin/env python3
"""The exactness table of docs/ZOO.md: per zoo file the expected totals (MODEL_opN.expected.json), what Orbit finds
(zoo/status.json, recorded by ZooTest -Dzoo.record=true) and whether the analysis is exact (ZooTest's check)."""
import json
import os

ZOO = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "zoo")
status = json.load(open(os.path.join(ZOO, "status.json")))["files"]


def totals(t):
    return "%d / %d / %d / %d / %d" % (t["permutable_channels"], t["head_permutable_channels"], t["scalable_channels"],
                                       t["matrix_channels"], t["matrix_dimension"])


print("| file | expected: perm / heads / scale / matrix ch. / matrix dim | found | free dims: perm+heads / scale / matrix | coverage | exact |")
print("|---|---|---|---|---|---|")
for f in sorted(status):
    e = json.load(open(os.path.join(ZOO, f.replace(".onnx", ".expected.json"))))["totals"]
    fo = status[f].get("found", {})
    if not fo:
        print("| %s | %s | - | - | - | %s |" % (f[:-5], totals(e), status[f].get("symmetries", "-")))
        continue
    print("| %s | %s | %s | %d / %d / %d | %d/%d = %.0f %% | %s |" % (
        f[:-5], totals(e), totals(fo), fo["permutable_channels"] + fo["head_permutable_channels"], fo["scalable_channels"],
        fo["matrix_dimension"], fo["covered_channels"], fo["hidden_channels"], 100.0 * fo["covered_channels"] / fo["hidden_channels"],
        "**yes**" if status[f].get("exact") == "pass" else status[f].get("exact", "-")))
