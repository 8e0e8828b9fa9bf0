import SpeechFeatures

/// `listen`'s features with every MFCC frame of the stream computed once.
///
/// Windows start every stride and overlap by most of a clip, so computing each window's clip
/// from scratch repeats almost every frame (49 frames a window at the 30 ms stride, of which 1.5
/// are new). Here frames are cut on one grid over the whole stream (frame g covers stream samples
/// `g·hop ..< g·hop + windowLength`) and kept while windows still reach them.
///
/// The clip rule is `FrontEnd.fitClip`'s with one change: the clip's start is moved to the
/// nearest grid point (at most half a hop, 10 ms with the training front end), so its frames are
/// grid frames. Each window's features then equal, bit for bit, `MFCC.compute` of that clip (the
/// clip cut as `fitClip` cuts it, zeros outside the window): frames that lie inside the window
/// come from the cache; the first frame (whose pre-emphasis starts afresh), frames that reach
/// past the window (zeros), and all-zero frames are computed as the clip would compute them.
/// Each view of the clip (`FrontEnd.viewFeatures`) is read the same way, moved by its shift.
/// Only for front ends whose frames are local (`MFCC.framesAreLocal`); not thread-safe.
final class StreamFrameCache {
  let frontEnd: FrontEnd
  /// Samples between frame starts, and per frame.
  let hop: Int
  let frameLength: Int
  /// Static coefficients per frame, and the full row width (with deltas).
  let statics: Int
  let stride: Int
  /// Cached static rows: grid frames `firstFrame ..< firstFrame + rows.count / statics`.
  private var rows: [Float] = []
  private var firstFrame: Int64 = 0
  /// The static row of a frame of zeros (outside the window on both sides).
  private let silentRow: [Float]
  /// One frame's samples gathered for `writeView` (`frameLength` values), reused.
  private var frameSamples: [Float]
  /// Frames computed so far (grid frames and window-specific ones), for the benchmarks.
  private(set) var framesComputed = 0

  /// A cache for `frontEnd`, or nil when its frames depend on the whole clip.
  init?(frontEnd: FrontEnd) {
    let mfcc = frontEnd.mfcc
    guard mfcc.framesAreLocal else { return nil }
    self.frontEnd = frontEnd
    hop = mfcc.layout.hop
    frameLength = mfcc.layout.window
    frameSamples = [Float](repeating: 0, count: mfcc.layout.window)
    statics = mfcc.config.coefficients
    let width = mfcc.coefficientsPerFrame
    stride = width
    var silent = [Float](repeating: 0, count: width)
    let zeros = [Float](repeating: 0, count: mfcc.layout.window)
    zeros.withUnsafeBufferPointer { z in
      silent.withUnsafeMutableBufferPointer {
        mfcc.staticCoefficients(z, previous: 0, frames: 1, into: $0.baseAddress!, stride: width)
      }
    }
    silentRow = Array(silent.prefix(mfcc.config.coefficients))
  }

  /// The window's features (`frontEnd.views × frontEnd.inputSize` values: one row per view,
  /// as `FrontEnd.viewFeatures(clip:)` orders them) into `out`. The window is the clip length of
  /// stream samples from `start`; `buffer[0]` is stream sample `origin` and the buffer holds the
  /// whole window; `energySums` are the buffer's running energy sums (`LoudestWindow`:
  /// `energySums[i]` before `buffer[i]`), which place the clip without rescanning the window.
  /// Each view is the clip moved by its shift (rounded to whole hops, so its frames stay grid
  /// frames), holding only the clip's own samples. With `view`, only that view is written
  /// (`frontEnd.inputSize` values). Windows must come in increasing order of `start`.
  func features(
    windowAt start: Int64, buffer: UnsafeBufferPointer<Float>,
    energySums: UnsafeBufferPointer<Int64>, origin: Int64, view: Int? = nil,
    into out: UnsafeMutablePointer<Float>
  ) {
    let length = frontEnd.config.clipSamples
    let offset = Int(start - origin)
    let windowSums = UnsafeBufferPointer(rebasing: energySums[offset...(offset + length)])
    let exactStart = start + Int64(frontEnd.clipStart(ofWindowSums: windowSums))
    let clipStart = Self.roundedDown(exactStart + Int64(hop / 2), to: Int64(hop))
    // The clip's own samples: the window's where the clip overlaps it, zeros elsewhere.
    let clip = max(start, clipStart)..<min(start + Int64(length), clipStart + Int64(length))
    features(
      clipAt: clipStart, samples: clip, windowStart: start, buffer: buffer, origin: origin,
      view: view, into: out)
  }

  /// The features of the views of the clip starting at stream sample `clipStart` (a grid
  /// point), whose own samples are `samples` (zeros elsewhere), into `out`: every view, or only
  /// `view`. `windowStart` is the earliest sample any later call reads (older frames are
  /// dropped). `FrontEnd.viewFeatures` uses it on one fitted clip, so that the views share
  /// their frames there too.
  func features(
    clipAt clipStart: Int64, samples clip: Range<Int64>, windowStart start: Int64,
    buffer: UnsafeBufferPointer<Float>, origin: Int64, view: Int? = nil,
    into out: UnsafeMutablePointer<Float>
  ) {
    let shifts = view.map { [frontEnd.viewShiftSamples[$0]] } ?? frontEnd.viewShiftSamples
    let views = shifts.map { clipStart + Self.roundedDown($0 + hop / 2, to: hop) }
    let gridFrames = views.map { gridFrameRange(viewStart: $0, samples: clip) }
    let lowest = gridFrames.compactMap { $0?.lowerBound }.min()
    let highest = gridFrames.compactMap { $0?.upperBound }.max()
    if let lowest, let highest { ensure(lowest...highest, from: start, buffer, origin) }
    for (v, viewStart) in views.enumerated() {
      writeView(
        viewStart: viewStart, samples: clip, buffer: buffer, origin: origin,
        into: out + v * frontEnd.inputSize)
    }
  }

  /// Whether frame `t` of the view starting at stream sample `viewStart` is a grid frame: not
  /// the view's first frame (whose pre-emphasis starts afresh), its samples and the one before
  /// (pre-emphasis) among the clip's own `samples`, and not reaching past the view's end (tail
  /// padding).
  private func isGridFrame(_ t: Int, viewStart: Int64, samples: Range<Int64>) -> Bool {
    let from = viewStart + Int64(t * hop)
    return t > 0 && from - 1 >= samples.lowerBound
      && from + Int64(frameLength) <= samples.upperBound
      && t * hop + frameLength <= frontEnd.config.clipSamples
  }

  /// The grid frames (stream frame numbers) a view uses, or nil when it uses none.
  private func gridFrameRange(viewStart: Int64, samples: Range<Int64>) -> ClosedRange<Int64>? {
    let frames = (0..<frontEnd.frames).filter {
      isGridFrame($0, viewStart: viewStart, samples: samples)
    }
    guard let first = frames.first, let last = frames.last else { return nil }
    let firstGrid = viewStart / Int64(hop)
    return (firstGrid + Int64(first))...(firstGrid + Int64(last))
  }

  /// One view's features (`frontEnd.inputSize` values) into `out`: grid frames from the cache
  /// (which `ensure` has filled), the others computed from the clip's own `samples` with zeros
  /// elsewhere, as `MFCC.compute` of the view's clip computes them.
  private func writeView(
    viewStart: Int64, samples clip: Range<Int64>, buffer: UnsafeBufferPointer<Float>,
    origin: Int64, into out: UnsafeMutablePointer<Float>
  ) {
    let length = frontEnd.config.clipSamples
    let frames = frontEnd.frames
    let firstGrid = viewStart / Int64(hop)
    let mfcc = frontEnd.mfcc
    for t in 0..<frames {
      let row = out + t * stride
      if isGridFrame(t, viewStart: viewStart, samples: clip) {
        let index = Int(firstGrid + Int64(t) - firstFrame) * statics
        rows.withUnsafeBufferPointer { row.update(from: $0.baseAddress! + index, count: statics) }
        continue
      }
      func sample(_ i: Int) -> Float {
        let position = viewStart + Int64(i)
        guard i >= 0, i < length, clip.contains(position) else { return 0 }
        return buffer[Int(position - origin)]
      }
      // Past the view's end the MFCC pads with zeros after pre-emphasis: pass only its samples.
      let count = min(frameLength, length - t * hop)
      // A frame wholly outside the clip's samples is silence: nothing to gather. Its reach
      // includes the sample before it (pre-emphasis).
      let reachFrom = viewStart + Int64(t * hop - 1)
      let reachTo = viewStart + Int64(t * hop + count)
      if reachTo <= clip.lowerBound || reachFrom >= clip.upperBound {
        row.update(from: silentRow, count: statics)
        continue
      }
      let previous = t == 0 ? 0 : sample(t * hop - 1)
      var silent = previous == 0
      frameSamples.withUnsafeMutableBufferPointer { frame in
        for i in 0..<count {
          frame[i] = sample(t * hop + i)
          if frame[i] != 0 { silent = false }
        }
      }
      if silent {
        row.update(from: silentRow, count: statics)
        continue
      }
      frameSamples.withUnsafeBufferPointer {
        mfcc.staticCoefficients(
          UnsafeBufferPointer(rebasing: $0[0..<count]), previous: previous, frames: 1, into: row,
          stride: stride)
      }
      framesComputed += 1
    }
    mfcc.finishFrames(out, frames: frames, stride: stride)
  }

  /// Makes the cache hold grid frames `needed`, computing the missing ones from `buffer`, and
  /// drops frames no later window can use (they reach before the window at `windowStart`).
  private func ensure(
    _ needed: ClosedRange<Int64>, from windowStart: Int64, _ buffer: UnsafeBufferPointer<Float>,
    _ origin: Int64
  ) {
    // Frames whose pre-emphasis reaches before this window are never grid frames again.
    let firstUsable = Self.roundedDown(windowStart + Int64(hop), to: Int64(hop)) / Int64(hop)
    var count = Int64(rows.count / statics)
    let stale = min(count, max(0, firstUsable - firstFrame))
    rows.removeFirst(Int(stale) * statics)
    firstFrame += stale
    count -= stale
    // Windows move forward, so a gap or a frame before the cache is rare: start afresh.
    if count == 0 || needed.lowerBound < firstFrame || needed.lowerBound > firstFrame + count {
      rows.removeAll(keepingCapacity: true)
      firstFrame = needed.lowerBound
      count = 0
    }
    let next = firstFrame + count
    guard needed.upperBound >= next else { return }
    let newFrames = Int(needed.upperBound - next + 1)
    let from = Int(next * Int64(hop) - origin)
    let span = (newFrames - 1) * hop + frameLength
    rows.append(contentsOf: repeatElement(0, count: newFrames * statics))
    var computed = [Float](repeating: 0, count: newFrames * stride)
    computed.withUnsafeMutableBufferPointer { destination in
      let slice = UnsafeBufferPointer(rebasing: buffer[from..<from + span])
      frontEnd.mfcc.staticCoefficients(
        slice, previous: buffer[from - 1], frames: newFrames, into: destination.baseAddress!,
        stride: stride)
    }
    let base = Int(count) * statics
    for f in 0..<newFrames {
      for c in 0..<statics { rows[base + f * statics + c] = computed[f * stride + c] }
    }
    framesComputed += newFrames
  }

  /// The largest multiple of `step` not above `value` (also for negative values).
  static func roundedDown(_ value: Int64, to step: Int64) -> Int64 {
    let q = value / step
    return (value % step < 0 ? q - 1 : q) * step
  }

  /// The largest multiple of `step` not above `value` (also for negative values).
  static func roundedDown(_ value: Int, to step: Int) -> Int64 {
    roundedDown(Int64(value), to: Int64(step))
  }
}
