"""Speaker hashing shared by the scripts that split Speech Commands-style folders by speaker
(speaker-split.py, bench-accuracy.sh, tune-accuracy.sh, bench-retrain.sh), so that they agree on who is held out.

The speaker of a clip is the 8-hex id before `_nohash_` (for `_unknown_/word_<id>_nohash_0.wav`
the part after the last `_` of the prefix); `_silence_` clips have no speaker and go by file
name. The key is hashed with SHA-1 and read as a percentage (digest mod 100), so all of a
speaker's clips land in the same part and a speaker keeps its part when the data grows.
"""
import hashlib
import os

NOISE = "_background_noise_"


def speaker(label, name):
    """The speaker id of the clip `name` in folder `label` (the file name for `_silence_`)."""
    return name if label == "_silence_" else name.split("_nohash_")[0].split("_")[-1]


def digest(key):
    """SHA-1 of `key` as an integer."""
    return int(hashlib.sha1(key.encode()).hexdigest(), 16)


def percent(label, name):
    """The speaker's hash percentage (0-99) of the clip `name` in folder `label`."""
    return digest(speaker(label, name)) % 100


def clips(data):
    """(path, label, name) of every .wav file in the label folders of `data`, in sorted order
    (hidden files left out); `_background_noise_` files come with their label like the others."""
    for label in sorted(os.listdir(data)):
        folder = os.path.join(data, label)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if name.lower().endswith(".wav") and not name.startswith("."):
                yield os.path.join(folder, name), label, name
