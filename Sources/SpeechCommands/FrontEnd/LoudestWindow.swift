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
    var total = sums.last ?? 0
    sums.reserveCapacity(sums.count + samples.count)
    for sample in samples {
      total &+= units(sample)
      sums.append(total)
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
    var best = energy(0)
    for start in 1..<count { best = max(best, energy(start)) }
    var first = 0
    while energy(first) != best { first += 1 }
    var last = first
    while last + 1 < count && energy(last + 1) == best { last += 1 }
    return (first + last) / 2
  }

  /// Start of the loudest `width`-sample window of `samples` (`width ≤ samples.count`).
  static func start(of samples: [Float], width: Int) -> Int {
    runningSums(samples).withUnsafeBufferPointer { start(sums: $0, width: width) }
  }
}
