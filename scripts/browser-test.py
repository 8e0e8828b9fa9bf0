#!/usr/bin/python3
"""Drives `speechcmd serve`'s page in headless Chromium with a fake microphone, over the DevTools
protocol, and checks what a person would see: spoken words detected live (at least 10 score
updates per second of audio), files classified as `speechcmd classify` does, a take recorded,
the model card; a screenshot of each view is taken and checked. Also checks /api/listen over a
real socket against `speechcmd listen --rate R -` on the same PCM.

Usage: scripts/browser-test.py BIN_DIR OUT_DIR   (BIN_DIR holds speechcmd and speechcmd-serve)
SPEECHCMD_BROWSER_RETRAIN=1 also presses Retrain and waits for the new model (about a minute
more; used to refresh docs/serve/record.png, not in CI).
Needs Debian's chromium and python3-websocket (scripts/setup.sh installs them). Exit 0 on
success; 1 with a one-line reason per failed check.
"""
import json, os, shutil, signal, struct, subprocess, sys, tempfile, time, urllib.request, wave, zlib

import websocket  # python3-websocket

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN, OUT = sys.argv[1], sys.argv[2]
MODEL = os.path.join(ROOT, "samples", "model.safetensors")
CLIPS = os.path.join(ROOT, "samples", "real")  # real speech of unseen speakers (samples/real/ABOUT.md)
NOISE = os.path.join(ROOT, "samples", "clips", "_background_noise_", "pink_noise.wav")
failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what, flush=True)
    if not ok:
        failures.append(what)


def run(args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw).stdout


class DevTools:
    """One page target of Chromium over the DevTools protocol."""

    def __init__(self, ws_url):
        self.ws = websocket.create_connection(ws_url, timeout=60, suppress_origin=True)
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def eval(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression, seconds, what):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.eval(expression):
                return True
            time.sleep(0.2)
        check(False, f"{what} (waited {seconds} s for {expression})")
        return False

    def screenshot(self, name):
        path = os.path.join(OUT, name + ".png")
        data = self.call("Page.captureScreenshot", format="png")["data"]
        import base64
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        return path


def png_facts(path):
    """Width, height and the number of distinct colours in the PNG's first 200 rows (RGB/RGBA)."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, kind = struct.unpack(">IIBB", data[16:26])
    idat, pos = b"", 8
    while pos < len(data):
        length, tag = struct.unpack(">I4s", data[pos:pos + 8])
        if tag == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompress(idat)
    channels = {2: 3, 6: 4}[kind]
    stride = width * channels + 1
    colours = set()
    for row in range(0, min(height, 400), 4):  # filter bytes make exact pixels hard; sample raw rows
        line = raw[row * stride + 1:(row + 1) * stride]
        colours.update(line[i:i + 3] for i in range(0, len(line), channels * 16))
    return width, height, len(colours)


def check_screenshot(path, what):
    width, height, colours = png_facts(path)
    check(width >= 1000 and height >= 600 and colours > 20,
          f"{what} screenshot {os.path.basename(path)} is {width}x{height} with {colours} sampled colours")


def main():
    work = tempfile.mkdtemp(prefix="speechcmd-browser-")
    os.makedirs(OUT, exist_ok=True)
    server = chrome = None
    try:
        # The fake microphone: five words from the real sample clips, with known times.
        stream, truth = os.path.join(work, "stream.wav"), os.path.join(work, "stream.csv")
        run([os.path.join(BIN, "speechcmd"), "bench", "stream", CLIPS, stream, truth, "--words", "5",
             "--seed", "2", "--gap-min", "1", "--gap-max", "1.5", "--noise", NOISE, "--noise-volume", "0.02",
             "--sample-rate", "48000"])
        words = [line.split(",")[0] for line in open(truth).read().split("\n")[1:] if line]

        data = os.path.join(work, "data")
        server = subprocess.Popen([os.path.join(BIN, "speechcmd"), "serve", "--model", MODEL, "--data", data,
                                   "--port", "0"], stderr=subprocess.PIPE, text=True)
        url = server.stderr.readline().strip()
        check(url.startswith("http://127.0.0.1:"), f"serve printed its address ({url!r})")

        check_listen_socket(url, stream)

        profile = os.path.join(work, "chrome")
        chrome = subprocess.Popen(
            [shutil.which("chromium"), "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
             f"--use-file-for-fake-audio-capture={stream}", "--autoplay-policy=no-user-gesture-required",
             "--remote-debugging-port=0", f"--user-data-dir={profile}", "--window-size=1280,860",
             "--hide-scrollbars", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = os.path.join(profile, "DevToolsActivePort")
        for _ in range(300):
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            time.sleep(0.1)
        port = open(port_file).read().split()[0]
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))
        page = DevTools(next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"])
        page.call("Page.enable")
        page.call("Emulation.setDeviceMetricsOverride", width=1280, height=860, deviceScaleFactor=1, mobile=False)

        # Live: the spoken words are detected, with the bars updating 10 times per second of audio.
        page.call("Page.navigate", url=url + "#live")
        page.wait_for("document.querySelectorAll('#bars .bar').length > 0", 30, "Live view shows a bar per label")
        labels = page.eval("window.speechcmdStats && JSON.parse(JSON.stringify(document.querySelectorAll('#bars .bar').length))")
        card = json.load(urllib.request.urlopen(url + "api/model"))
        check(labels == len(card["labels"]), f"a bar per label ({labels} bars, {len(card['labels'])} labels)")
        slider = page.eval("Number(document.getElementById('threshold').value)")
        check(abs(slider - card["listen"]["threshold"]) < 0.006,
              f"threshold slider starts at the model's operating point ({slider} vs {card['listen']['threshold']})")
        page.eval("document.getElementById('live-toggle').click()")
        page.wait_for("window.speechcmdStats.scoreUpdates > 0", 30, "score updates arrive")
        first = (time.time(), page.eval("window.speechcmdStats.scoreUpdates"))
        # Screenshot while the bars still show the third word, then let the stream play out.
        page.wait_for("window.speechcmdStats.detections.length >= 2", 40, "two words detected")
        widest = page.eval("Math.max(...[...document.querySelectorAll('#bars .fill')].map(f => f.getBoundingClientRect().width))")
        check(widest > 100, f"the bars show the scores (widest bar {widest:.0f} px)")
        check_screenshot(page.screenshot("live"), "Live")
        page.wait_for("window.speechcmdStats.audioSeconds > 13.5", 40, "13.5 s of microphone audio streamed")
        stats = page.eval("JSON.parse(JSON.stringify(window.speechcmdStats))")
        last = (time.time(), stats["scoreUpdates"])
        audio = stats["audioSeconds"]
        # The first second fills the model's window; from then on one update per 100 ms of the audio
        # the server has heard (`time` of the last update; audio still in flight is not counted).
        heard = stats["lastScoreTime"]
        per_audio_second = stats["scoreUpdates"] / (heard - 1.0)
        wall_rate = (last[1] - first[1]) / (last[0] - first[0])
        check(heard > 12 and stats["scoreUpdates"] >= 10 * (heard - 1.0) - 1,
              f"{stats['scoreUpdates']} score updates for {heard:.1f} s of audio heard ({audio:.1f} s sent): "
              f"{per_audio_second:.2f} per second of audio after the first window (>= 10); "
              f"{wall_rate:.1f} per second of wall clock")
        found = [d["label"] for d in stats["detections"]]
        check(len(set(found) & set(words)) >= 2 and set(found) <= set(words),
              f"spoken words detected live: {found} (spoken: {words}, microphone at {stats['sampleRate']} Hz)")
        page.eval("document.getElementById('live-toggle').click()")

        # Files: the same labels and scores as `speechcmd classify`.
        files = [os.path.join(CLIPS, w, sorted(os.listdir(os.path.join(CLIPS, w)))[0]) for w in ["yes", "left", "go", "off"]]
        expected = run([os.path.join(BIN, "speechcmd"), "classify", "-m", MODEL, "--format", "csv", *files])
        expected_rows = {line.split(",")[0]: line.split(",")[1:3] for line in expected.strip().split("\n")[1:]}
        page.call("Page.navigate", url=url + "#files")
        page.wait_for("document.getElementById('files').classList.contains('active')", 10, "Files view opens")
        page.call("DOM.enable")
        document = page.call("DOM.getDocument")
        node = page.call("DOM.querySelector", nodeId=document["root"]["nodeId"], selector="#file-input")
        page.call("DOM.setFileInputFiles", nodeId=node["nodeId"], files=files)
        page.wait_for("[...document.querySelectorAll('#file-results tr')].filter(r => r.cells[2].textContent).length == 4",
                      60, "four files classified")
        rows = page.eval("[...document.querySelectorAll('#file-results tr')].map(r => [...r.cells].map(c => c.textContent))")
        for (name, label, score, _), path in zip(reversed(rows), files):  # newest row first
            want = expected_rows[path]
            check(label == want[0] and abs(float(score) - float(want[1])) < 0.0015,
                  f"page shows {name}: {label} {score}; classify says {want[0]} {want[1]}")
        check_screenshot(page.screenshot("files"), "Files")

        # Record: a take of a new word through the fake microphone is stored and listed.
        page.call("Page.navigate", url=url + "#record")
        page.wait_for("document.getElementById('record').classList.contains('active')", 10, "Record view opens")
        page.eval("document.getElementById('word').value = 'lights'")
        retrain = os.environ.get("SPEECHCMD_BROWSER_RETRAIN") == "1"
        takes = 5 if retrain else 2  # a new word needs 5 takes before retraining
        for _ in range(takes):
            page.eval("document.getElementById('record-take').click()")
            page.wait_for("document.getElementById('record-status').textContent.startsWith('Saved')", 30, "a take is saved")
            page.wait_for("!document.getElementById('record-take').disabled", 10, "ready for the next take")
            page.eval("document.getElementById('record-status').textContent = ''")
        listed = json.load(urllib.request.urlopen(url + "api/recordings"))["words"]
        check(listed.get("lights", {}).get("count") == takes, f"{takes} takes of 'lights' stored: {listed}")
        with wave.open(os.path.join(data, "lights", "me_nohash_0.wav")) as take:
            check(take.getframerate() == card["sampleRate"] and take.getnchannels() == 1 and take.getsampwidth() == 2,
                  f"the take is {take.getframerate()} Hz, {take.getnchannels()} channel(s), {8 * take.getsampwidth()}-bit")
        page.wait_for(f"document.querySelectorAll('#takes audio').length == {takes}", 10, "the takes are listed with players")
        page.eval(f"document.getElementById('record-status').textContent = 'Saved lights/me_nohash_{takes - 1}.wav'")
        if retrain:  # about a minute more (debug build)
            page.eval("document.getElementById('retrain').click()")
            page.wait_for("document.getElementById('train-status').textContent.startsWith('done')", 600, "Retrain finishes")
            page.wait_for("[...document.querySelectorAll('#train-report img')].filter(i => i.complete && i.naturalWidth > 0).length == 2",
                          20, "the report's curves and confusion matrix are shown")
            served = json.load(urllib.request.urlopen(url + "api/model"))
            check("lights" in served["labels"], f"the server switched to the retrained model ({served['file']})")
            card = served  # the Model view now shows the retrained model's card
        check_screenshot(page.screenshot("record"), "Record")

        # Model: the card.
        page.call("Page.navigate", url=url + "#model")
        page.wait_for("document.querySelectorAll('#card tr').length >= 6", 10, "the model card is shown")
        text = page.eval("document.getElementById('card').textContent")
        check(all(label in text for label in card["labels"]) and "Operating point" in text, "the card lists labels and operating point")
        fe = card["frontEnd"]
        mel = f"{fe['melBands']} mel bands over {round(fe['melRange'][0])}–{round(fe['melRange'][1])} Hz"
        check(mel in text, f"the card gives the mel filter bank ('{mel}')")
        convolution = card["network"].get("convolution")
        if convolution:
            check(f"convolutions {convolution} over the frames" in text,
                  f"the card names the convolutions ('{convolution}')")
        refit = card["data"].get("refitClips")
        if refit:
            again = f"then trained again on training + validation ({refit} clips)"
            check(again in text and "(before training on it)" in text,
                  f"the card says the network trained again on the validation clips ('{again}')")
        shifts = card["frontEnd"].get("viewShifts") or [0]
        if len(shifts) > 1:
            views = f"{len(shifts)} views averaged (shifts {', '.join(str(round(s * 1000)) for s in shifts)} ms)"
            check(views in text, f"the card gives the views ('{views}')")
        check_screenshot(page.screenshot("model"), "Model")
        print(f"screenshots in {OUT}")
    finally:
        for process in (chrome, server):
            if process and process.poll() is None:
                process.send_signal(signal.SIGINT if process is server else signal.SIGTERM)
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
        if server:
            check(server.returncode == 0, f"serve stopped cleanly on Ctrl-C (status {server.returncode})")
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print(f"browser test: {len(failures)} check(s) failed", file=sys.stderr)
        sys.exit(1)
    print("browser test: all checks passed")


def check_listen_socket(url, stream_wav):
    """/api/listen over a real WebSocket gives listen's detections, at listen's times."""
    with wave.open(stream_wav) as w:
        rate, pcm = w.getframerate(), w.readframes(w.getnframes())
    expected = subprocess.run(
        [os.path.join(BIN, "speechcmd"), "listen", "-m", MODEL, "--rate", str(rate), "--format", "jsonl", "-"],
        input=pcm, capture_output=True, check=True).stdout.decode()
    want = [(d["label"], d["time"]) for d in map(json.loads, expected.strip().split("\n")) if d]
    socket = websocket.create_connection(url.replace("http", "ws") + f"api/listen?rate={rate}", timeout=120)
    for start in range(0, len(pcm), 4801 * 2 - 1):  # odd frame sizes split samples
        socket.send_binary(pcm[start:start + 4801 * 2 - 1])
    socket.send(json.dumps({"type": "end"}))
    got, scores = [], 0
    while True:
        try:
            message = socket.recv()
        except websocket.WebSocketConnectionClosedException:
            break
        if not message:
            break
        m = json.loads(message)
        if m["type"] == "detection":
            got.append((m["label"], m["time"]))
        scores += m["type"] == "scores"
    check(len(want) >= 2 and [(l, round(t, 2)) for l, t in got] == [(l, round(t, 2)) for l, t in want],
          f"/api/listen found {got}; listen --rate {rate} found {want}; {scores} score messages")


if __name__ == "__main__":
    main()
