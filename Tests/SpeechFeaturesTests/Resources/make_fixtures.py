"""Trims /work/shared/reference/librosa-psf-mfcc.json to the fixture mfcc-reference.json.

Run from this folder: python3 make_fixtures.py [path/to/librosa-psf-mfcc.json]
Only copies numbers (rounded to 9 significant digits); nothing is recomputed.
"""
import json, sys

src = sys.argv[1] if len(sys.argv) > 1 else "../../../../shared/reference/librosa-psf-mfcc.json"
ref = json.load(open(src))
r = lambda v: float("%.9g" % v)

def matrix(m, transpose=False):
    if transpose:
        m = [list(col) for col in zip(*m)]
    return [[r(v) for v in row] for row in m]

def sparse(fb):
    rows = []
    for row in fb:
        nz = [i for i, v in enumerate(row) if v != 0]
        lo, hi = (nz[0], nz[-1] + 1) if nz else (0, 0)
        rows.append({"start": lo, "weights": [r(v) for v in row[lo:hi]]})
    return rows

out = {
    "source": "librosa-psf-mfcc.json from the team's shared reference folder",
    "versions": {k: ref["meta"][k] for k in ("librosa", "python_speech_features", "numpy", "scipy")},
    "layout": "every MFCC matrix here is [frames][coefficients] (librosa's [ceps][frames] transposed)",
    "signals": {},
    "filterbanks": {k: sparse(v) for k, v in ref["filterbanks"].items()},
}
for name, s in ref["signals"].items():
    out["signals"][name] = {
        "formula": s["formula"],
        "samples": s["n_samples"],
        "head": [r(v) for v in s["x"][:16]],
        "tail": [r(v) for v in s["x"][-16:]],
        "psf_default": matrix(s["psf_default"]),
        "psf_hello_edge": matrix(s["psf_hello_edge"]),
        "librosa_slaney": matrix(s["librosa_slaney"], transpose=True),
        "librosa_htk": matrix(s["librosa_htk"], transpose=True),
        "librosa_torchaudio_match": matrix(s["librosa_torchaudio_match"], transpose=True),
    }
json.dump(out, open("mfcc-reference.json", "w"), separators=(",", ":"))
