/// Finding the loudest window of samples (the most energy: sum of squares), in exact integer
/// arithmetic.
///
/// Why integers: `listen` needs the loudest half second of every stream window, one window each
/// 30 ms stride, and rescanning each window from its samples took half of its time. With every
/// sample's square rounded to a whole number of units, a window's energy is an exact difference of
/// running sums, so one running sum over the whole stream serves every window and picks exactly
/// the window a fresh sum over the clip alone picks (`fitClip`): the stream's windows and the
/// files `classify` reads are centred by one rule, bit for bit.
enum LoudestWindow {
  /// Units per full-scale sample squared: 2³⁰, so a 16-bit sample's square (k/32768)² is the
  /// whole number k² and 16-bit audio loses nothing to the rounding.
  static let unitsPerFullScale: Double = 1_073_741_824
  /// Largest square counted (a sample beyond 8× full scale, or not a number, counts as 8×), so a
  /// window of up to 2²⁷ samples (35 minutes at 64 kHz) cannot overflow.
  static let largestSquare: Double = 64

  /// The energy units of one sample: its square rounded to a whole number of units.
  @inline(__always)
  static func units(_ sample: Float) -> Int64 {
    let square = Double(sample) * Double(sample)
    // Rounded half up by truncation (the value is never negative); `rounded()` costs a libm call.
    return Int64((square <= largestSquare ? square : largestSquare) * unitsPerFullScale + 0.5)
  }

  /// Appends to `sums` the running sum after each of `samples`, continuing from `sums.last`
  /// (0 when empty). `sums[j] − sums[i]` is then the energy of the samples between. The sums wrap
  /// around (`&+`): only differences are used, and those are exact.
  static func appendRunningSums(of samples: UnsafeBufferPointer<Float>, to sums: inout [Int64]) {
    guard let source = samples.baseAddress else { return }
    var total = sums.last ?? 0
    let start = sums.count
    // Written through a pointer into room made once: appending value by value checked the
    // array's capacity and uniqueness per sample, which cost more than the arithmetic.
    sums.append(contentsOf: repeatElement(0, count: samples.count))
    sums.withUnsafeMutableBufferPointer { buffer in
      let out = buffer.baseAddress! + start
      for i in 0..<samples.count {
        total &+= units(source[i])
        out[i] = total
      }
    }
  }

  /// The running sums of `samples` with a leading 0: `samples.count + 1` values.
  static func runningSums(_ samples: [Float]) -> [Int64] {
    var sums: [Int64] = [0]
    samples.withUnsafeBufferPointer { appendRunningSums(of: $0, to: &sums) }
    return sums
  }

  /// Start of the `width`-sample window with the most energy among the samples whose running
  /// sums are `sums` (`sums[i]` before sample i; `sums.count − 1 ≥ width` samples). When several
  /// neighbouring windows tie (a sound shorter than `width` amid silence), the middle one of the
  /// run, so the sound ends up centred and centring a centred clip changes nothing.
  static func start(sums: UnsafeBufferPointer<Int64>, width: Int) -> Int {
    let count = sums.count - width
    precondition(width >= 1 && count >= 1, "the window must fit in the samples")
    @inline(__always) func energy(_ start: Int) -> Int64 { sums[start + width] &- sums[start] }
    // One pass: the first window with the most energy so far, and how far the run of windows
    // equal to it right after it reaches (later runs of the same energy do not count).
    var best = energy(0)
    var first = 0
    var last = 0
    for start in 1..<count {
      let e = energy(start)
      if e > best {
        (best, first, last) = (e, start, start)
      } else if e == best && last == start - 1 {
        last = start
      }
    }
    return (first + last) / 2
  }

  /// Start of the loudest `width`-sample window of `samples` (`width ≤ samples.count`): the
  /// window `start(sums:width:)` picks from the running sums, found without them (`Scan`).
  static func start(of samples: [Float], width: Int) -> Int {
    precondition(width >= 1 && samples.count >= width, "the window must fit in the samples")
    var scan = Scan(width: width)
    samples.withUnsafeBufferPointer { scan.append($0) }
    return scan.start!
  }

  /// The loudest `width`-sample window of samples that arrive in blocks: each window's energy
  /// is the last one's plus the sample that enters less the one that leaves, in the same whole
  /// units (exact), and the entering samples' units wait in a ring of `width` values until they
  /// leave. So a recording of any length needs `width` values of memory, and the window found is
  /// the one `start(sums:width:)` picks (same energies, same tie rule).
  struct Scan {
    let width: Int
    /// Samples seen so far.
    private(set) var count = 0
    private var ring: [Int64]
    private var oldest = 0  // the ring slot of the sample that leaves next
    private var energy: Int64 = 0
    private var best: Int64 = 0
    private var first = 0
    private var last = 0

    init(width: Int) {
      precondition(width >= 1, "the window must hold a sample")
      self.width = width
      ring = [Int64](repeating: 0, count: width)
    }

    /// The start of the loudest window so far; nil before `width` samples.
    var start: Int? { count >= width ? (first + last) / 2 : nil }

    mutating func append(_ samples: UnsafeBufferPointer<Float>) {
      let width = self.width
      var (count, oldest, energy, best, first, last) =
        (self.count, self.oldest, self.energy, self.best, self.first, self.last)
      ring.withUnsafeMutableBufferPointer { window in
        for sample in samples {
          let entering = LoudestWindow.units(sample)
          if count < width {
            window[count] = entering
            energy &+= entering
            count += 1
            if count == width { (best, first, last) = (energy, 0, 0) }
            continue
          }
          let start = count - width + 1
          energy = energy &+ entering &- window[oldest]
          window[oldest] = entering
          oldest = oldest + 1 == width ? 0 : oldest + 1
          count += 1
          if energy > best {
            (best, first, last) = (energy, start, start)
          } else if energy == best && last == start - 1 {
            last = start
          }
        }
      }
      (self.count, self.oldest, self.energy, self.best, self.first, self.last) =
        (count, oldest, energy, best, first, last)
    }
  }
}
