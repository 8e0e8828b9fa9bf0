"""Reference outputs of scipy.signal.resample_poly for SpeechAudioTests (ResampleQuality.polyphase).

Run: python3 make_resample_poly.py > resample_poly.json   (scipy 1.17.1, numpy 2.4.6)
Input: x[n] = 0.5 sin(0.3 n) + 0.3 cos(0.002 n^2 mod 2pi), n = 0..count-1, float64.
"""
import json
import numpy as np
from math import gcd
from scipy.signal import resample_poly

cases = []
for rate_from, rate_to, count in [(8000, 16000, 400), (48000, 16000, 1200), (44100, 16000, 1323),
                                  (22050, 16000, 661), (16000, 22050, 500)]:
    n = np.arange(count, dtype=np.float64)
    x = 0.5 * np.sin(0.3 * n) + 0.3 * np.cos(np.mod(0.002 * n * n, 2 * np.pi))
    g = gcd(rate_from, rate_to)
    y = resample_poly(x, rate_to // g, rate_from // g)
    cases.append({"from": rate_from, "to": rate_to, "count": count,
                  "output": [round(float(v), 8) for v in y]})
print(json.dumps({"generator": "scipy.signal.resample_poly (default kaiser 5.0 window)",
                  "cases": cases}))
