import Foundation

/// The filter bank of a rational-ratio resampler: a Kaiser-windowed sinc low-pass designed at the
/// upsampled rate `from × up` and split into `up` phases, each stored in time order so an output
/// sample is one dot product with a contiguous run of input.
///
/// Output `m` sits at input time `m × down / up`; with the prototype `h` centred on `halfLength`,
/// `y[m] = Σₙ x[n] · h[m·down − n·up + halfLength]`, which is what `resample_poly` computes.
struct PolyphaseFilter: Sendable {
  /// Largest reduced factor accepted; beyond it the prototype grows past ~100 000 taps.
  static let maximumFactor = 4096

  /// Output-rate factor (`to / gcd`).
  let up: Int
  /// Input-rate factor (`from / gcd`).
  let down: Int
  /// Prototype half-length in upsampled samples: `10 × max(up, down)`.
  let halfLength: Int
  /// Taps per phase (`⌈(2·halfLength + 1) / up⌉`), zero-padded to the same length.
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
    taps = (length + up - 1) / up

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

  /// One output sample: phase `phase` · `input[start ..< start + taps]`.
  @inline(__always)
  func dot(_ input: UnsafePointer<Float>, phase: Int) -> Float {
    phases.withUnsafeBufferPointer { bank in
      let h = bank.baseAddress! + phase * taps
      // Four partial sums let the loop pipeline (Float addition is not reassociated for us).
      var s0: Float = 0
      var s1: Float = 0
      var s2: Float = 0
      var s3: Float = 0
      var k = 0
      while k + 4 <= taps {
        s0 += h[k] * input[k]
        s1 += h[k + 1] * input[k + 1]
        s2 += h[k + 2] * input[k + 2]
        s3 += h[k + 3] * input[k + 3]
        k += 4
      }
      while k < taps {
        s0 += h[k] * input[k]
        k += 1
      }
      return (s0 + s1) + (s2 + s3)
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
