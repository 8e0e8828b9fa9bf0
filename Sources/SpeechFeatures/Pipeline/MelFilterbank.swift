import Foundation

extension MFCCConfig.MelScale {
  /// Hertz → mel.
  public func mel(fromHertz f: Double) -> Double {
    switch self {
    case .htk:
      return 2595 * log10(1 + f / 700)
    case .slaney:
      // Linear 0–1 kHz (f / (200/3)), logarithmic above with step ln(6.4)/27 (librosa).
      let linear = f / (200.0 / 3.0)
      return f >= 1000 ? 15 + log(f / 1000) / (log(6.4) / 27) : linear
    }
  }

  /// Mel → hertz (inverse of `mel(fromHertz:)`).
  public func hertz(fromMel m: Double) -> Double {
    switch self {
    case .htk:
      return 700 * (pow(10, m / 2595) - 1)
    case .slaney:
      return m >= 15 ? 1000 * exp(log(6.4) / 27 * (m - 15)) : m * (200.0 / 3.0)
    }
  }
}

/// Triangular mel filters over the `fftLength/2 + 1` spectrum bins, stored sparsely.
///
/// Filter j is non-zero only on bins `start[j] ..< start[j] + count[j]`; its weights are
/// `weights[offset[j] ..< offset[j] + count[j]]`. Weights are computed in double precision and
/// stored as Float (as librosa does).
public struct MelFilterbank: Sendable, Equatable {
  /// Number of filters.
  public let bands: Int
  /// Number of spectrum bins, `fftLength/2 + 1`.
  public let bins: Int
  /// First non-zero bin of each filter.
  public let start: [Int]
  /// Number of stored weights of each filter (0 for an empty filter).
  public let count: [Int]
  /// Offset of each filter's weights in `weights`.
  public let offset: [Int]
  /// All filters' weights, back to back.
  public let weights: [Float]

  /// Builds the filterbank for `config` (scale, binning, fmin/fmax, area normalisation).
  public init(config c: MFCCConfig) {
    let bins = c.fftLength / 2 + 1
    let dense =
      c.melBinning == .rounded
      ? Self.roundedTriangles(c, bins: bins) : Self.exactTriangles(c, bins: bins)
    self.init(dense: dense, bins: bins)
  }

  /// Sparse copy of a dense `[band][bin]` matrix.
  init(dense: [[Double]], bins: Int) {
    var start = [Int](), count = [Int](), offset = [Int](), weights = [Float]()
    for row in dense {
      let first = row.firstIndex { $0 != 0 } ?? 0
      let last = row.lastIndex { $0 != 0 } ?? -1
      start.append(first)
      count.append(max(0, last - first + 1))
      offset.append(weights.count)
      if last >= first { weights += row[first...last].map { Float($0) } }
    }
    self.bands = dense.count
    self.bins = bins
    self.start = start
    self.count = count
    self.offset = offset
    self.weights = weights
  }

  /// The dense `[band][bin]` matrix (for tests and inspection).
  public var dense: [[Float]] {
    (0..<bands).map { j in
      var row = [Float](repeating: 0, count: bins)
      for i in 0..<count[j] { row[start[j] + i] = weights[offset[j] + i] }
      return row
    }
  }

  /// Filter edge frequencies in Hz: `bands + 2` points equally spaced in mel.
  static func edges(_ c: MFCCConfig) -> [Double] {
    let lo = c.melScale.mel(fromHertz: c.minFrequency)
    let hi = c.melScale.mel(fromHertz: c.resolvedMaxFrequency)
    let n = c.melBands + 1
    return (0...n).map { c.melScale.hertz(fromMel: lo + (hi - lo) * Double($0) / Double(n)) }
  }

  /// librosa/torchaudio: `max(0, min(rising, falling))` at each bin's frequency.
  static func exactTriangles(_ c: MFCCConfig, bins: Int) -> [[Double]] {
    let f = edges(c)
    let binHz = (0..<bins).map { Double($0) * Double(c.sampleRate) / Double(c.fftLength) }
    return (0..<c.melBands).map { j in
      let lower = f[j + 1] - f[j], upper = f[j + 2] - f[j + 1]
      let norm = c.melAreaNormalization ? 2 / (f[j + 2] - f[j]) : 1
      return binHz.map { hz in
        let rising = (hz - f[j]) / lower
        let falling = (f[j + 2] - hz) / upper
        return max(0, min(rising, falling)) * norm
      }
    }
  }

  /// python_speech_features' `get_filterbanks`: corners at `⌊(nfft+1)·f/sr⌋`, triangles in bins.
  static func roundedTriangles(_ c: MFCCConfig, bins: Int) -> [[Double]] {
    let scale = Double(c.fftLength + 1) / Double(c.sampleRate)
    let corner = edges(c).map { Int(($0 * scale).rounded(.down)) }
    return (0..<c.melBands).map { j in
      var row = [Double](repeating: 0, count: bins)
      let (a, b, e) = (corner[j], corner[j + 1], corner[j + 2])
      if b > a {
        for i in max(a, 0)..<max(a, 0, min(b, bins)) { row[i] = Double(i - a) / Double(b - a) }
      }
      if e > b {
        for i in max(b, 0)..<max(b, 0, min(e, bins)) { row[i] = Double(e - i) / Double(e - b) }
      }
      if c.melAreaNormalization {
        let hz = Double(c.sampleRate) / Double(c.fftLength)
        let width = Double(e - a) * hz
        if width > 0 { row = row.map { $0 * 2 / width } }
      }
      return row
    }
  }
}
