import Foundation

/// The filter bank of a rational-ratio resampler: a Kaiser-windowed sinc low-pass designed at the
/// upsampled rate `from × up` and split into `up` phases, each stored in time order so an output
/// sample is one dot product with a contiguous run of input.
///
/// Output `m` sits at input time `m × down / up`; with the prototype `h` centred on `halfLength`,
/// `y[m] = Σₙ x[n] · h[m·down − n·up + halfLength]`, which is what `resample_poly` computes.
struct PolyphaseFilter: Sendable {
  private struct RatePair: Hashable {
    let from: Int
    let to: Int
  }
  private static let cacheLock = NSLock()
  /// Designed filters by rate pair (nil: the ratio is too irregular); guarded by `cacheLock`.
  nonisolated(unsafe) private static var cache: [RatePair: PolyphaseFilter?] = [:]

  /// Largest reduced factor accepted; beyond it the prototype grows past ~100 000 taps.
  static let maximumFactor = 4096

  /// Output-rate factor (`to / gcd`).
  let up: Int
  /// Input-rate factor (`from / gcd`).
  let down: Int
  /// Prototype half-length in upsampled samples: `10 × max(up, down)`.
  let halfLength: Int
  /// Taps per phase: `⌈(2·halfLength + 1) / up⌉` rounded up to a multiple of 8, zero-padded.
  let taps: Int
  /// `up × taps` coefficients; phase `r` occupies `r·taps ..< (r+1)·taps`, oldest input first.
  let phases: [Float]

  /// Designs the filter for `from` Hz → `to` Hz, or returns nil when the reduced ratio is too
  /// irregular for a polyphase bank of reasonable size.
  init?(from: Int, to: Int) {
    let divisor = Self.gcd(from, to)
    up = to / divisor
    down = from / divisor
    guard up <= Self.maximumFactor, down <= Self.maximumFactor else { return nil }
    let maxFactor = max(up, down)
    halfLength = 10 * maxFactor
    let length = 2 * halfLength + 1
    // Rounded up to whole SIMD8 vectors; the extra taps are leading zeros.
    taps = ((length + up - 1) / up + 7) / 8 * 8

    // scipy.signal.firwin(length, 1 / maxFactor, window=("kaiser", 5.0)), scaled to unit DC gain,
    // then multiplied by `up` to make up for the zeros an upsampler inserts.
    let cutoff = 1 / Double(maxFactor)
    var prototype = [Double](repeating: 0, count: length)
    let beta = 5.0
    let normaliser = Self.besselI0(beta)
    for k in 0..<length {
      let offset = Double(k - halfLength)
      let ratio = offset / Double(halfLength)
      let window = Self.besselI0(beta * (1 - ratio * ratio).squareRoot()) / normaliser
      prototype[k] = cutoff * Self.sinc(cutoff * offset) * window
    }
    let gain = Double(up) / prototype.reduce(0, +)

    // Phase r holds h[r + j·up] for j = taps−1 … 0: the tap that meets x[base − j] comes j from
    // the end, so the run x[base − taps + 1 … base] is read forwards.
    var phases = [Float](repeating: 0, count: up * taps)
    for r in 0..<up {
      for j in 0..<taps where r + j * up < length {
        phases[r * taps + taps - 1 - j] = Float(prototype[r + j * up] * gain)
      }
    }
    self.phases = phases
  }

  /// The filter for `from` → `to`, designed once per rate pair and process (a 44.1 → 16 kHz
  /// prototype has 8 821 taps, worth designing only once when decoding thousands of clips).
  static func shared(from: Int, to: Int) -> PolyphaseFilter? {
    cacheLock.withLock {
      let key = RatePair(from: from, to: to)
      if let filter = cache[key] { return filter }
      let filter = PolyphaseFilter(from: from, to: to)
      if cache.count < 64 { cache[key] = filter }
      return filter
    }
  }

  /// Output samples for `inputCount` input samples: `⌈inputCount × up / down⌉`.
  func outputCount(inputCount: Int) -> Int {
    (inputCount * up + down - 1) / down
  }

  /// For output `m`: the index of the newest input it reads, and the phase holding its taps.
  @inline(__always)
  func position(ofOutput m: Int) -> (newest: Int, phase: Int) {
    let t = m * down + halfLength
    return (t / up, t % up)
  }

  /// Outputs that can be computed when inputs up to (not including) global index `available`
  /// are known: every `m` with `position(ofOutput: m).newest < available`.
  func outputsReady(available: Int) -> Int {
    let numerator = available * up - halfLength
    return numerator <= 0 ? 0 : (numerator + down - 1) / down
  }

  /// Appends outputs `first ..< first + count` to `output`. `input[0]` is global input index
  /// `inputStart`, and every input those outputs read (`newest − taps + 1 … newest`) must lie in
  /// `input`. Each output is one dot product of `taps` values, eight lanes at a time.
  func appendOutputs(
    _ first: Int, count: Int, input: UnsafeBufferPointer<Float>, inputStart: Int,
    to output: inout [Float]
  ) {
    guard count > 0, let x = input.baseAddress else { return }
    var (newest, phase) = position(ofOutput: first)
    // Stepping one output advances the upsampled time by `down`: no division in the loop.
    let (stepQuotient, stepRemainder) = down.quotientAndRemainder(dividingBy: up)
    phases.withUnsafeBufferPointer { bank in
      let coefficients = bank.baseAddress!
      for _ in 0..<count {
        let h = coefficients + phase * taps
        let run = x + (newest - taps + 1 - inputStart)
        var lanes = SIMD8<Float>()
        var k = 0
        while k < taps {
          let a = UnsafeRawPointer(h + k).loadUnaligned(as: SIMD8<Float>.self)
          let b = UnsafeRawPointer(run + k).loadUnaligned(as: SIMD8<Float>.self)
          lanes += a * b
          k += 8
        }
        output.append(lanes.sum())
        newest += stepQuotient
        phase += stepRemainder
        if phase >= up {
          phase -= up
          newest += 1
        }
      }
    }
  }

  private static func gcd(_ a: Int, _ b: Int) -> Int {
    var (a, b) = (a, b)
    while b != 0 { (a, b) = (b, a % b) }
    return a
  }

  /// sin(πx)/(πx), 1 at 0.
  private static func sinc(_ x: Double) -> Double {
    x == 0 ? 1 : sin(Double.pi * x) / (Double.pi * x)
  }

  /// The modified Bessel function of the first kind, order 0, by its power series (converges
  /// fast for the arguments a Kaiser window uses).
  private static func besselI0(_ x: Double) -> Double {
    var sum = 1.0
    var term = 1.0
    let quarterSquare = x * x / 4
    var k = 1.0
    while term > 1e-12 * sum {
      term *= quarterSquare / (k * k)
      sum += term
      k += 1
    }
    return sum
  }
}
