#!/usr/bin/env python3
"""Writes a `speechcmd train --manifest` CSV (path,label,split) that splits a Speech Commands-style
folder by speaker, so no voice is in two parts.

The speaker is the 8-hex id before `_nohash_` (for `_unknown_/word_<id>_nohash_0.wav` the part
after the last `_` of the prefix); `_silence_` clips are split by file name; `_background_noise_`
files are noise sources (empty split). Each key is hashed with SHA-1 (percentage = digest mod 100):
below TEST -> test, below TEST+VALIDATION -> validation, else train. With the defaults (20, 10)
this is exactly the split of scripts/bench-accuracy.sh, so its test speakers stay held out.

Usage: scripts/speaker-split.py DATA OUT.csv [--validation 10] [--test 20] [--drop-test]
  --drop-test  leave the test speakers out of the manifest (train on train, tune on validation,
               keep test for reporting only)
"""
import argparse
import os
import sys

from speakers import NOISE, clips, percent


def part(label, name, validation, test):
    h = percent(label, name)
    return "test" if h < test else "validation" if h < test + validation else "train"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("data")
    p.add_argument("out")
    p.add_argument("--validation", type=int, default=10, help="validation share, %% of speakers")
    p.add_argument("--test", type=int, default=20, help="test share, %% of speakers")
    p.add_argument("--drop-test", action="store_true", help="omit the test speakers")
    a = p.parse_args()
    if not os.path.isdir(a.data):
        sys.exit(f"speaker-split: '{a.data}' is not a folder")
    if a.validation < 0 or a.test < 0 or a.validation + a.test >= 100:
        sys.exit("speaker-split: --validation and --test must be >= 0 and sum to under 100")
    data = os.path.abspath(a.data)
    rows, counts = [], {}
    for path, label, name in clips(data):
        split = "" if label == NOISE else part(label, name, a.validation, a.test)
        if split == "test" and a.drop_test:
            continue
        rows.append(f"{path},{label},{split}\n")
        counts[split or "noise"] = counts.get(split or "noise", 0) + 1
    tmp = a.out + ".tmp"
    with open(tmp, "w") as h:
        h.write("path,label,split\n")
        h.writelines(rows)
    os.replace(tmp, a.out)
    summary = ", ".join(f"{k} {counts[k]}" for k in sorted(counts))
    print(f"speaker-split: {a.out}: {summary}", file=sys.stderr)


if __name__ == "__main__":
    main()
