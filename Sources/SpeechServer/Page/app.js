// speechcmd serve: the page. Talks only to this server (no other site): /api/model, /api/listen
// (WebSocket), /api/classify, /api/recordings and /api/train. Numbers the browser test reads are
// kept in window.speechcmdStats.
'use strict';

const $ = (id) => document.getElementById(id);
const stats = (window.speechcmdStats = { scoreUpdates: 0, audioSeconds: 0, detections: [], sampleRate: 0 });
let card = null;

async function api(path, options = {}) {
  const response = await fetch(path, options);
  const type = response.headers.get('content-type') || '';
  const body = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) throw new Error((body && body.error) || response.statusText);
  return body;
}

// ---- Views --------------------------------------------------------------------------------

function showView() {
  const name = (location.hash || '#live').slice(1);
  for (const view of document.querySelectorAll('.view')) view.classList.toggle('active', view.id === name);
  for (const link of document.querySelectorAll('nav a')) link.classList.toggle('active', link.dataset.view === name);
  // The views' ids are also anchors: the browser scrolled the header and nav out of sight.
  window.scrollTo(0, 0);
  if (name === 'record') refreshRecordings();
  if (name === 'model') loadModel();
}
window.addEventListener('hashchange', showView);

// ---- Model --------------------------------------------------------------------------------

const percent = (x) => (x == null ? '–' : (100 * x).toFixed(1) + ' %');

async function loadModel() {
  card = await api('/api/model');
  $('model-name').textContent = card.file + ' · ' + card.labels.length + ' labels';
  const slider = $('threshold');
  if (!slider.dataset.touched) slider.value = card.listen.threshold;
  $('threshold-value').textContent = Number(slider.value).toFixed(2);
  buildBars();
  const known = $('known-words');
  known.replaceChildren(...card.commandWords.map((l) => new Option(l)));
  const front = card.frontEnd;
  const data = card.data || {};
  const fit = card.operatingPoint && card.operatingPoint.fit;
  const rows = [
    ['Labels', card.labels.join(', ')],
    ['Front end', `${front.preset || 'custom'} MFCC: ${front.sampleRate} Hz, ` +
      `${front.melBands} mel bands over ${front.melRange.map(Math.round).join('–')} Hz, ${front.clipSeconds} s clips, ` +
      `${front.frames} frames × ${front.coefficientsPerFrame} (deltas ${front.deltas}, normalisation ${front.normalization})` +
      (front.viewShifts && front.viewShifts.length > 1
        ? `; ${front.viewShifts.length} views averaged (shifts ${front.viewShifts.map((s) => Math.round(s * 1000)).join(', ')} ms)` : '')],
    ['Network', networkText(card.network) +
      `, ${card.network.parameters.toLocaleString()} parameters, loss ${card.loss}`],
    ['Accuracy', ['train', 'validation', 'test'].filter((k) => card.accuracy[k] != null)
      .map((k) => `${k} ${percent(card.accuracy[k])}` +
        (k === 'validation' && data.refitClips ? ' (before training on it)' : '')).join(' · ') || '–'],
    ['Operating point', `threshold ${card.listen.threshold.toFixed(2)}, average ${card.listen.averageWindowMs} ms, ` +
      `suppression ${card.listen.suppressionMs} ms` + (!card.listen.fromModel ? ' (listen’s defaults)'
        : card.operatingPointInherited ? ' (the old model’s: none could be fitted when retraining)' : ' (fitted by training)') +
      (fit ? ` — on validation streams: ${percent(fit.right)} right, ${fit.falseAcceptsPerWord.toFixed(2)} false accepts per non-command word` : '')],
    ['Data', [(data.sources || []).join(', '), Object.entries(data.clips || {}).map(([k, v]) => `${k} ${v}`).join(', ')].filter(Boolean).join(' · ') || '–'],
    ['Trained', [data.date, data.epochs && `${data.epochs} epochs (kept ${data.bestEpoch})`, data.from && `retrained from ${data.from}`,
      data.refitClips && `then trained again on training + validation (${data.refitClips} clips)`].filter(Boolean).join(' · ') || '–'],
    ['File', `${card.file} (${(card.fileBytes / 1024).toFixed(0)} KiB)`],
  ];
  $('card').replaceChildren(...rows.map(([k, v]) => {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    const td = document.createElement('td');
    th.textContent = k;
    td.textContent = v;
    tr.append(th, td);
    return tr;
  }));
  $('card-title').textContent = 'Model ' + card.file;
}

// "convolutions 64x5,64x3d2,64x3d4 over the frames (980 → 2112), then MLP 2112→128→12", as `info` says.
function networkText(network) {
  const mlp = (input) => `MLP ${input}→${network.hidden.join('→')}→${network.output}`;
  if (!network.convolution) return mlp(network.input);
  return `convolutions ${network.convolution} over the frames (${network.input} → ${network.convolutionOutput}), ` +
    `then ${mlp(network.convolutionOutput)}`;
}

// ---- Microphone ---------------------------------------------------------------------------

let audio = null; // { context, stream, node, listeners: Set }

async function microphone() {
  if (audio) return audio;
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1 },
  });
  const context = new AudioContext();
  await context.audioWorklet.addModule('/capture-worklet.js');
  const source = context.createMediaStreamSource(stream);
  const node = new AudioWorkletNode(context, 'capture');
  const listeners = new Set();
  node.port.onmessage = (event) => { for (const l of listeners) l(event.data); };
  source.connect(node);
  audio = { context, stream, node, listeners };
  stats.sampleRate = context.sampleRate;
  return audio;
}

const level = (block) => {
  let peak = 0;
  for (const x of block) peak = Math.max(peak, Math.abs(x));
  return Math.min(1, Math.sqrt(peak));
};

function toPCM16(block) {
  const out = new Int16Array(block.length);
  for (let i = 0; i < block.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(block[i] * 32768)));
  return out;
}

// ---- Live ---------------------------------------------------------------------------------

let socket = null;
let captureLive = null;

function buildBars() {
  const bars = $('bars');
  bars.replaceChildren(...card.labels.map((label) => {
    const row = document.createElement('div');
    row.className = 'bar';
    row.dataset.label = label;
    row.innerHTML = '<span class="name"></span><span class="track"><span class="fill"></span></span><span class="value">0.00</span>';
    row.querySelector('.name').textContent = label;
    return row;
  }));
}

function showScores(scores) {
  const threshold = Number($('threshold').value);
  for (const row of $('bars').children) {
    const value = scores[row.dataset.label] ?? 0;
    row.querySelector('.fill').style.width = (100 * value).toFixed(1) + '%';
    row.querySelector('.value').textContent = value.toFixed(2);
    row.classList.toggle('hit', value >= threshold && !row.dataset.label.startsWith('_'));
  }
}

function showDetection(message) {
  stats.detections.push({ label: message.label, score: message.score, time: message.time, at: performance.now() });
  const item = document.createElement('li');
  item.innerHTML = '<b></b> <span class="muted"></span>';
  item.querySelector('b').textContent = message.label;
  item.querySelector('span').textContent = `at ${message.time.toFixed(2)} s, score ${message.score.toFixed(2)}`;
  $('detections').prepend(item);
}

async function startLive() {
  const mic = await microphone();
  await mic.context.resume();
  const rate = Math.round(mic.context.sampleRate);
  const threshold = Number($('threshold').value).toFixed(2);
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/listen?rate=${rate}&threshold=${threshold}`;
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  socket = ws;
  let pending = [];
  let pendingLength = 0;
  captureLive = (block) => {
    $('live-level').style.width = (100 * level(block)).toFixed(0) + '%';
    if (ws.readyState !== WebSocket.OPEN) return;
    pending.push(block);
    pendingLength += block.length;
    if (pendingLength >= rate / 20) { // send every ~50 ms
      const joined = new Float32Array(pendingLength);
      let offset = 0;
      for (const b of pending) { joined.set(b, offset); offset += b.length; }
      ws.send(toPCM16(joined).buffer);
      stats.audioSeconds += pendingLength / rate;
      pending = [];
      pendingLength = 0;
    }
  };
  mic.listeners.add(captureLive);
  ws.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.type === 'scores') {
      stats.scoreUpdates += 1;
      stats.lastScoreTime = message.time;
      showScores(message.scores);
    } else if (message.type === 'detection') {
      showDetection(message);
    } else if (message.type === 'error') {
      $('live-status').textContent = message.error;
    }
  };
  ws.onopen = () => { $('live-status').textContent = `Listening at ${rate} Hz`; };
  ws.onclose = () => { if (socket === ws) stopLive('Disconnected'); };
  $('live-toggle').textContent = 'Stop';
}

function stopLive(status = 'Microphone off') {
  if (audio && captureLive) audio.listeners.delete(captureLive);
  captureLive = null;
  const ws = socket;
  socket = null;
  if (ws) ws.close();
  $('live-toggle').textContent = 'Start microphone';
  $('live-status').textContent = status;
}

$('live-toggle').addEventListener('click', () => {
  if (socket) stopLive();
  else startLive().catch((error) => { $('live-status').textContent = 'Microphone: ' + error.message; });
});

$('threshold').addEventListener('input', () => {
  $('threshold').dataset.touched = '1';
  $('threshold-value').textContent = Number($('threshold').value).toFixed(2);
});
$('threshold').addEventListener('change', () => { if (socket) { stopLive(); startLive(); } });

// ---- Files --------------------------------------------------------------------------------

async function classifyFiles(files) {
  const body = $('file-results');
  for (const file of files) {
    const row = body.insertRow(0);
    row.insertCell().textContent = file.name;
    const label = row.insertCell();
    const score = row.insertCell();
    const top = row.insertCell();
    score.className = 'num';
    label.textContent = '…';
    try {
      const result = await api('/api/classify?top_k=3', { method: 'POST', body: file });
      label.textContent = result.label;
      score.textContent = result.score.toFixed(3);
      top.textContent = result.top.map((t) => `${t.label} ${t.score.toFixed(2)}`).join(', ');
      if (result.warning) {
        const warning = document.createElement('div');
        warning.className = 'warning';
        warning.textContent = result.warning;
        top.append(warning);
      }
    } catch (error) {
      label.textContent = 'error';
      label.className = 'error';
      top.textContent = error.message;
    }
  }
}

const drop = $('drop');
drop.addEventListener('dragover', (event) => { event.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (event) => {
  event.preventDefault();
  drop.classList.remove('over');
  classifyFiles([...event.dataTransfer.files]);
});
$('file-input').addEventListener('change', (event) => classifyFiles([...event.target.files]));

// ---- Record -------------------------------------------------------------------------------

function wavFile(samples, rate) {
  const pcm = toPCM16(samples);
  const buffer = new ArrayBuffer(44 + pcm.byteLength);
  const view = new DataView(buffer);
  const text = (offset, s) => { for (let i = 0; i < s.length; i++) view.setUint8(offset + i, s.charCodeAt(i)); };
  text(0, 'RIFF'); view.setUint32(4, 36 + pcm.byteLength, true); text(8, 'WAVE');
  text(12, 'fmt '); view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
  view.setUint32(24, rate, true); view.setUint32(28, rate * 2, true); view.setUint16(32, 2, true); view.setUint16(34, 16, true);
  text(36, 'data'); view.setUint32(40, pcm.byteLength, true);
  new Int16Array(buffer, 44).set(pcm);
  return new Blob([buffer], { type: 'audio/wav' });
}

async function recordTake() {
  const word = $('word').value.trim().toLowerCase();
  const speaker = $('speaker').value.trim();
  const status = $('record-status');
  if (!word) { status.textContent = 'Type a word first'; return; }
  // The server's rules (RecordingNames), checked before the countdown rather than after the take.
  if (!/^[a-z0-9][a-z0-9_-]{0,31}$/.test(word)) {
    status.textContent = `“${word}” cannot name a word: use 1–32 of a–z, 0–9, _ and -, starting with a letter or digit`;
    return;
  }
  if (!/^[A-Za-z0-9-]{1,32}$/.test(speaker)) {
    status.textContent = speaker ? `“${speaker}” cannot name a speaker: use 1–32 of A–Z, a–z, 0–9 and -`
      : 'Type a speaker name first (your name: takes are split by speaker)';
    return;
  }
  const button = $('record-take');
  button.disabled = true;
  try {
    const mic = await microphone();
    await mic.context.resume();
    for (const n of [3, 2, 1]) {
      status.textContent = `Say “${word}” in ${n}…`;
      await new Promise((r) => setTimeout(r, 600));
    }
    status.textContent = 'Recording…';
    const rate = mic.context.sampleRate;
    const samples = new Float32Array(Math.round(rate));
    let filled = 0;
    await new Promise((resolve) => {
      const take = (block) => {
        $('record-level').style.width = (100 * level(block)).toFixed(0) + '%';
        const n = Math.min(block.length, samples.length - filled);
        samples.set(block.subarray(0, n), filled);
        filled += n;
        if (filled >= samples.length) { mic.listeners.delete(take); resolve(); }
      };
      mic.listeners.add(take);
    });
    const saved = await api(`/api/recordings?label=${encodeURIComponent(word)}&speaker=${encodeURIComponent(speaker)}`,
      { method: 'POST', body: wavFile(samples, rate) });
    status.textContent = 'Saved ' + saved.path;
    refreshRecordings();
  } catch (error) {
    status.textContent = error.message;
  } finally {
    button.disabled = false;
  }
}
$('record-take').addEventListener('click', recordTake);

async function refreshRecordings() {
  const { words } = await api('/api/recordings');
  const takes = $('takes');
  const names = Object.keys(words).sort();
  if (names.length === 0) { takes.innerHTML = '<p class="muted">No recordings yet.</p>'; return; }
  takes.replaceChildren(...names.map((word) => {
    const block = document.createElement('div');
    block.className = 'word';
    const title = document.createElement('h3');
    title.textContent = `${word} (${words[word].count})`;
    block.append(title);
    for (const file of words[word].files) {
      const take = document.createElement('span');
      take.className = 'take';
      const player = document.createElement('audio');
      player.controls = true;
      player.preload = 'none';
      player.src = `/api/recordings/${encodeURIComponent(word)}/${encodeURIComponent(file)}`;
      const remove = document.createElement('button');
      remove.className = 'small';
      remove.textContent = '✕';
      remove.title = 'Delete ' + file;
      remove.onclick = async () => {
        await api(player.src.replace(location.origin, ''), { method: 'DELETE' });
        refreshRecordings();
      };
      take.append(player, remove);
      block.append(take);
    }
    return block;
  }));
}

async function retrain() {
  try {
    await api('/api/train', { method: 'POST' });
  } catch (error) {
    $('train-status').textContent = error.message;
    return;
  }
  $('retrain').disabled = true;
  pollTraining();
}
$('retrain').addEventListener('click', retrain);

function curvesSVG(history) {
  const w = 320, h = 140, pad = 24;
  const x = (e) => pad + ((w - 2 * pad) * (e - 1)) / Math.max(1, history.length - 1);
  const y = (a) => h - pad - (h - 2 * pad) * a;
  const line = (key) => history.filter((p) => p[key] != null).map((p) => `${x(p.epoch).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ');
  return `<svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><rect width="${w}" height="${h}" fill="#fff"/>` +
    `<line x1="${pad}" y1="${y(0)}" x2="${w - pad}" y2="${y(0)}" stroke="#ccc"/><line x1="${pad}" y1="${y(1)}" x2="${w - pad}" y2="${y(1)}" stroke="#eee"/>` +
    `<polyline fill="none" stroke="#8a93a6" stroke-width="2" points="${line('trainAccuracy')}"/>` +
    `<polyline fill="none" stroke="#2f6fdf" stroke-width="2" points="${line('validationAccuracy')}"/>` +
    `<text x="${pad}" y="14" font-size="11" fill="#2f6fdf">validation</text><text x="${pad + 70}" y="14" font-size="11" fill="#8a93a6">training accuracy</text></svg>`;
}

// `initial`: the page was just loaded, so the model it shows is already the one served.
async function pollTraining(initial = false) {
  const s = await api('/api/train');
  const bar = $('train-bar');
  bar.style.width = s.epochs ? ((100 * s.epoch) / s.epochs).toFixed(0) + '%' : '0';
  const parts = [s.state];
  if (s.epochs) parts.push(`epoch ${s.epoch}/${s.epochs}`);
  if (s.validationAccuracy != null) parts.push('validation ' + percent(s.validationAccuracy));
  if (s.state === 'running' && s.secondsLeft != null) parts.push(`~${Math.ceil(s.secondsLeft)} s left`);
  if (s.message) parts.push(s.message);
  $('train-status').textContent = parts.join(' · ');
  const report = $('train-report');
  if (s.state === 'running') {
    $('retrain').disabled = true;
    report.innerHTML = s.history.length ? curvesSVG(s.history) : '';
    setTimeout(pollTraining, 500);
    return;
  }
  $('retrain').disabled = false;
  if (s.state === 'done') {
    bar.style.width = '100%';
    // Each chart opens full size in a new tab: in the narrow column its labels are small.
    report.innerHTML = s.report.filter((f) => f.endsWith('.svg')).map((f) => {
      const src = `/api/train/report/${f}?t=${Date.now()}`;
      return `<a href="${src}" target="_blank" title="open ${f} full size"><img alt="${f}" src="${src}"></a>`;
    }).join('');
    if (!initial) await loadModel();
  }
}

// ---- Start --------------------------------------------------------------------------------

loadModel().then(() => {
  showView();
  // A job running, done or failed before this page was loaded is shown as it stands.
  api('/api/train').then((s) => { if (s.state !== 'idle') pollTraining(true); });
}).catch((error) => { document.body.insertAdjacentHTML('afterbegin', `<p class="error">${error.message}</p>`); });
