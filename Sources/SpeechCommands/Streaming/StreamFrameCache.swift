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
  /// Frames computed so far (grid frames and window-specific ones), for the benchmarks.
  private(set) var framesComputed = 0

  /// A cache for `frontEnd`, or nil when its frames depend on the whole clip.
  init?(frontEnd: FrontEnd) {
    let mfcc = frontEnd.mfcc
    guard mfcc.framesAreLocal else { return nil }
    self.frontEnd = frontEnd
    hop = mfcc.layout.hop
    frameLength = mfcc.layout.window
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

  /// The window's features (`frontEnd.inputSize` values) into `out`. The window is the clip
  /// length of stream samples from `start`; `buffer[0]` is stream sample `origin` and the buffer
  /// holds the whole window; `energySums` are the buffer's running energy sums
  /// (`LoudestWindow`: `energySums[i]` before `buffer[i]`), which place the clip without
  /// rescanning the window. Windows must come in increasing order of `start`.
  func features(
    windowAt start: Int64, buffer: UnsafeBufferPointer<Float>,
    energySums: UnsafeBufferPointer<Int64>, origin: Int64, into out: UnsafeMutablePointer<Float>
  ) {
    let length = frontEnd.config.clipSamples
    let frames = frontEnd.frames
    let offset = Int(start - origin)
    let windowSums = UnsafeBufferPointer(rebasing: energySums[offset...(offset + length)])
    let exactStart = start + Int64(frontEnd.clipStart(ofWindowSums: windowSums))
    let clipStart = Self.roundedDown(exactStart + Int64(hop / 2), to: Int64(hop))
    let firstGrid = clipStart / Int64(hop)
    let end = start + Int64(length)
    // A frame is a grid frame when it is not the clip's first, its samples and the one before
    // (pre-emphasis) lie inside the window, and it does not reach past the clip (tail padding).
    func isGridFrame(_ t: Int) -> Bool {
      let from = clipStart + Int64(t * hop)
      return t > 0 && from - 1 >= start && from + Int64(frameLength) <= end
        && t * hop + frameLength <= length
    }
    let gridFrames = (0..<frames).filter(isGridFrame)
    if let first = gridFrames.first, let last = gridFrames.last {
      ensure(firstGrid + Int64(first)...firstGrid + Int64(last), from: start, buffer, origin)
    }
    let mfcc = frontEnd.mfcc
    for t in 0..<frames {
      let row = out + t * stride
      if isGridFrame(t) {
        let index = Int(firstGrid + Int64(t) - firstFrame) * statics
        rows.withUnsafeBufferPointer { row.update(from: $0.baseAddress! + index, count: statics) }
        continue
      }
      // The clip's own samples: the window's where the clip overlaps it, zeros elsewhere.
      func sample(_ i: Int) -> Float {
        let position = clipStart + Int64(i)
        guard i >= 0, i < length, position >= start, position < end else { return 0 }
        return buffer[Int(position - origin)]
      }
      // Past the clip's end the MFCC pads with zeros after pre-emphasis: pass only clip samples.
      let count = min(frameLength, length - t * hop)
      // A frame wholly outside the window (the clip reaching past it) is silence: no samples to
      // gather. Its reach includes the sample before it (pre-emphasis).
      let reachFrom = clipStart + Int64(t * hop - 1)
      let reachTo = clipStart + Int64(t * hop + count)
      if reachTo <= start || reachFrom >= end {
        row.update(from: silentRow, count: statics)
        continue
      }
      let previous = t == 0 ? 0 : sample(t * hop - 1)
      let samples = (0..<count).map { sample(t * hop + $0) }
      if previous == 0 && samples.allSatisfy({ $0 == 0 }) {
        row.update(from: silentRow, count: statics)
        continue
      }
      samples.withUnsafeBufferPointer {
        mfcc.staticCoefficients($0, previous: previous, frames: 1, into: row, stride: stride)
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
}
