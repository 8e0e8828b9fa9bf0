#!/usr/bin/python3
"""Word end -> detection latency of `speechcmd serve`'s /api/listen.

Sends STREAM.wav (16-bit mono) in real time, 50 ms per frame as the page does, from one thread,
and receives on another. A word's end is the end of the last 10 ms frame of its clip (truth CSV:
label,start seconds; clips are 1 s) within 20 dB of the clip's loudest frame. For each detection
of a word in the truth, latency = receive time - the time the frame holding the word's end was
sent. Prints the median, mean and maximum.
Usage: scripts/serve-latency.py URL STREAM.wav TRUTH.csv   (needs python3-websocket)
"""
import json, math, statistics, struct, sys, threading, time, wave

import websocket

url, path, truth_path = sys.argv[1:4]
with wave.open(path) as w:
    rate, frames = w.getframerate(), w.readframes(w.getnframes())
samples = struct.unpack(f"<{len(frames) // 2}h", frames)
truth = [(line.split(",")[0], float(line.split(",")[1])) for line in open(truth_path).read().split("\n")[1:] if line]

def word_end(start):
    hop = rate // 100
    first = int(start * rate)
    energies = []
    for i in range(first, min(first + rate, len(samples)) - hop + 1, hop):
        energies.append(sum(x * x for x in samples[i:i + hop]) / hop)
    peak = max(energies)
    last = max(i for i, e in enumerate(energies) if e >= peak / 100)
    return start + (last + 1) * hop / rate

ends = [(label, start, word_end(start)) for label, start in truth]
socket = websocket.create_connection(url.replace("http", "ws") + f"api/listen?rate={rate}", timeout=60)
frame = rate // 20
sent_at = {}  # frame index -> wall time sent
received = []

def receive():
    while True:
        try:
            message = socket.recv()
        except Exception:
            return
        if not message:
            return
        m = json.loads(message)
        if m["type"] == "detection":
            received.append((time.monotonic(), m))

thread = threading.Thread(target=receive)
thread.start()
t0 = time.monotonic()
for k, start in enumerate(range(0, len(samples), frame)):
    delay = t0 + k * frame / rate - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    socket.send_binary(frames[2 * start:2 * (start + frame)])
    sent_at[k] = time.monotonic()
socket.send(json.dumps({"type": "end"}))
thread.join(30)

latencies, missed = [], []
for label, start, end in ends:
    hit = next(((t, m) for t, m in received if m["label"] == label and abs(m["time"] - start) <= 0.75), None)
    if hit is None:
        missed.append(label)
        continue
    end_frame = math.ceil(end * rate / frame) - 1
    latencies.append(hit[0] - sent_at[end_frame] + 0.0)
if latencies:
    print(f"word end -> detection: median {1000 * statistics.median(latencies):.0f} ms, "
          f"mean {1000 * statistics.mean(latencies):.0f} ms, max {1000 * max(latencies):.0f} ms "
          f"({len(latencies)} of {len(ends)} words detected; missed: {missed or 'none'})")
else:
    print(f"no words detected (missed: {missed})")
