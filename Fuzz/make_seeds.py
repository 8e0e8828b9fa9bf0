#!/usr/bin/env python3
"""Writes the seed corpus of speechcmd-fuzz into Fuzz/corpus/<target>/ (small valid inputs of
each parser; libFuzzer mutates them). Run from the repository root: python3 Fuzz/make_seeds.py.
Needs sox for the FLAC, AIFF and Ogg seeds."""
import json, math, os, struct, subprocess, wave

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def path(target, name):
    os.makedirs(os.path.join(root, target), exist_ok=True)
    return os.path.join(root, target, name)


def tiny_model(memory_rows=0):
    """A valid model of 25 inputs (5 frames x 5 coefficients of a 0.1 s clip at 8 kHz), one
    hidden layer of 4, three labels: what the model-file reader and Classifier accept. With
    memory_rows, also a replay memory of that many rows (memory.features, memory.labels)."""
    mfcc = {"coefficients": 5, "deltaWidth": 2, "deltas": "none", "energyInC0": True,
            "fftLength": 256, "framing": "padTail", "hopLength": 160, "lifter": 22,
            "logFloor": 2.220446e-16, "logarithm": "natural", "melAreaNormalization": False,
            "melBands": 10, "melBinning": "rounded", "melScale": "htk", "minFrequency": 0,
            "normalization": "none", "normalizeByFFTLength": True, "padding": "constant",
            "periodicWindow": True, "preEmphasis": 0.97, "sampleRate": 8000, "spectrum": "power",
            "window": "rectangular", "windowLength": 200}
    feature = {"clipSeconds": 0.1, "focusSeconds": 0.05, "mfcc": mfcc}
    sizes = [25, 4, 3]
    tensors, blob = {}, b""
    for layer in range(len(sizes) - 1):
        fan_in, fan_out = sizes[layer], sizes[layer + 1]
        for name, shape in (("weight", [fan_out, fan_in]), ("bias", [fan_out])):
            count = math.prod(shape)
            values = [((i * 7919) % 17 - 8) / 16 for i in range(count)]
            data = struct.pack("<%df" % count, *values)
            tensors["layers.%d.%s" % (layer, name)] = {
                "dtype": "F32", "shape": shape, "data_offsets": [len(blob), len(blob) + len(data)]}
            blob += data
    if memory_rows:
        features = [((i * 31) % 13 - 6) / 4 for i in range(memory_rows * 25)]
        labels = [float(i % 3) for i in range(memory_rows)]
        for name, shape, values in (("memory.features", [memory_rows, 25], features),
                                    ("memory.labels", [memory_rows], labels)):
            data = struct.pack("<%df" % len(values), *values)
            tensors[name] = {
                "dtype": "F32", "shape": shape, "data_offsets": [len(blob), len(blob) + len(data)]}
            blob += data
    metadata = {
        "architecture": json.dumps({"activation": "relu", "dropout": 0, "hidden": [4],
                                    "input": 25, "output": 3}, separators=(",", ":")),
        "featureConfig": json.dumps(feature, separators=(",", ":"), sort_keys=True),
        "format": "pt", "formatVersion": "1",
        "inputMean": json.dumps([0.0] * 25), "inputStd": json.dumps([1.0] * 25),
        "labels": json.dumps(["_silence_", "_unknown_", "yes"]), "loss": "ce",
        "training": json.dumps({"data": "fuzz seed"}),
    }
    header = json.dumps(dict(tensors, __metadata__=metadata), separators=(",", ":")).encode()
    header += b" " * (-len(header) % 8)
    name = "tiny-memory.safetensors" if memory_rows else "tiny.safetensors"
    with open(path("model", name), "wb") as f:
        f.write(struct.pack("<Q", len(header)) + header + blob)


def text_seeds():
    seeds = {
        ("manifest", "three-columns.csv"):
            "path,label,split\nyes/a.wav,yes,train\nno/b.wav,no,validation\n"
            "\"odd, name.flac\",\"quoted \"\"label\"\"\",test\n_background_noise_/n.wav,"
            "_background_noise_,\n",
        ("manifest", "two-columns.csv"): "label,path\nyes,/abs/c.wav\n\nno,d.ogg\n",
        ("truth", "header.csv"): "label,time_seconds\nyes,1.250\nno,3.5\n",
        ("truth", "quoted.csv"): "\"up\",0\r\n\"left, right\",12.75\r\n",
        # The head target's first byte says where the rest is cut in two.
        ("head", "get.txt"): "xGET /api/model HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
            "Connection: keep-alive\r\n\r\n",
        ("head", "upgrade.txt"): " GET /api/listen?rate=16000 HTTP/1.1\r\nHost: localhost:8080\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: x\r\n\r\n",
        ("head", "post-lf.txt"): "\x05POST /api/classify HTTP/1.1\nHost: h\nExpect: 100-continue\n"
            "Content-Length: 4\n\nRIFF",
    }
    for (target, name), text in seeds.items():
        with open(path(target, name), "w", newline="") as f:
            f.write(text)


def audio_seeds():
    frames = [int(8000 * math.sin(i / 3)) for i in range(200)]
    with wave.open(path("audio", "mono16.wav"), "wb") as w:
        w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)
        w.writeframes(struct.pack("<%dh" % len(frames), *frames))
    with wave.open(path("audio", "stereo8.wav"), "wb") as w:
        w.setnchannels(2); w.setsampwidth(1); w.setframerate(11025)
        w.writeframes(bytes((128 + f // 256) & 255 for f in frames))
    source = path("audio", "mono16.wav")
    for name, options in (("tone.flac", []), ("tone.aiff", []), ("float.wav", ["-e", "float"]),
                          ("tone.ogg", ["-C", "-1"])):
        subprocess.run(["sox", source] + options + [path("audio", name)], check=True)


tiny_model()
tiny_model(memory_rows=4)
text_seeds()
audio_seeds()
