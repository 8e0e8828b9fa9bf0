import Foundation

/// Mel-frequency cepstral coefficients for one configuration.
///
/// Thread-safe: the FFTW plan, window, filterbank and DCT matrix are made once in `init` and never
/// change; `compute` allocates its own scratch buffers, so it may be called from many threads at
/// once and gives bit-identical results whatever the threading.
public final class MFCC: Sendable {
  /// The configuration this extractor was built from.
  public let config: MFCCConfig
  /// Values per output frame (coefficients times 1, 2 or 3 with deltas).
  public let coefficientsPerFrame: Int
  /// The mel filterbank in use.
  public let filterbank: MelFilterbank

  let layout: FrameLayout
  let fft: RealFFT
  let window: [Float]
  let dct: DCTMatrix

  /// Validates `config` and builds the FFT plan, window, filterbank and DCT matrix.
  public init(config: MFCCConfig) throws(FeatureError) {
    try config.validate()
    self.config = config
    coefficientsPerFrame = config.coefficientsPerFrame
    layout = FrameLayout(config: config)
    fft = try RealFFT(length: config.fftLength)
    window = config.window.coefficients(length: config.windowLength, periodic: config.periodicWindow)
    filterbank = MelFilterbank(config: config)
    dct = DCTMatrix(bands: config.melBands, coefficients: config.coefficients, lifter: config.lifter)
  }

  /// Frames produced from `samples` input samples (see `MFCCConfig.Framing`).
  public func frameCount(samples: Int) -> Int { layout.frameCount(samples: samples) }

  /// The `(frames, coefficientsPerFrame)` features of `samples` (at `config.sampleRate`).
  ///
  /// Never fails: an empty or too-short input gives the frame count `frameCount(samples:)` says
  /// (possibly 0); non-finite samples give non-finite features.
  public func compute(_ samples: [Float]) -> FeatureMatrix {
    samples.withUnsafeBufferPointer { compute($0) }
  }

  /// As `compute(_:)`, reading the samples in place.
  public func compute(_ samples: UnsafeBufferPointer<Float>) -> FeatureMatrix {
    let frames = frameCount(samples: samples.count)
    let stride = coefficientsPerFrame
    let values = [Float](unsafeUninitializedCapacity: frames * stride) { out, count in
      out.initialize(repeating: 0)
      if frames > 0 { computeInto(out.baseAddress!, stride: stride, frames: frames, samples) }
      count = frames * stride
    }
    return FeatureMatrix(frames: frames, coefficients: stride, values: values)
  }

  /// The log-mel energies of every frame into `logMel` (`frames × melBands`), and the log frame
  /// energies into `logEnergy` when given. Returns the largest log-mel value.
  func logMelSpectrogram(
    _ samples: UnsafeBufferPointer<Float>, frames: Int, logMel: UnsafeMutablePointer<Float>,
    logEnergy: UnsafeMutablePointer<Float>?, scratch: Scratch
  ) -> Float {
    let c = config
    layout.fill(scratch.padded, from: samples, preEmphasis: c.preEmphasis)
    let bins = fft.bins, bands = c.melBands, w = c.windowLength, hop = c.hopLength
    let scale: Float = c.normalizeByFFTLength ? 1 / Float(c.fftLength) : 1
    let magnitude = c.spectrum == .magnitude
    let floor = c.logFloor
    let decibels = c.logarithm == .decibels
    var peak = -Float.infinity
    let input = scratch.fft.input, output = scratch.fft.output, spectrum = scratch.spectrum
    window.withUnsafeBufferPointer { win in
      filterbank.weights.withUnsafeBufferPointer { weights in
        for t in 0..<frames {
          let src = scratch.padded + t * hop
          for i in 0..<w { input[i] = src[i] * win[i] }
          fft.execute(scratch.fft)
          for k in 0..<bins {
            let re = output[2 * k], im = output[2 * k + 1]
            spectrum[k] = (re * re + im * im) * scale
          }
          if magnitude {
            for k in 0..<bins { spectrum[k] = spectrum[k].squareRoot() * scale.squareRoot() }
          }
          if let logEnergy {
            logEnergy[t] = Self.log(Kernels.sum(spectrum, bins), floor: floor, decibels: decibels)
          }
          let row = logMel + t * bands
          for j in 0..<bands {
            let e = Kernels.dot(
              weights.baseAddress! + filterbank.offset[j], spectrum + filterbank.start[j],
              filterbank.count[j])
            let v = Self.log(e, floor: floor, decibels: decibels)
            row[j] = v
            peak = max(peak, v)
          }
        }
      }
    }
    return peak
  }

  @inline(__always)
  static func log(_ x: Float, floor: Float, decibels: Bool) -> Float {
    decibels ? 10 * log10f(max(x, floor)) : logf(max(x, floor))
  }

  private func computeInto(
    _ out: UnsafeMutablePointer<Float>, stride: Int, frames: Int,
    _ samples: UnsafeBufferPointer<Float>
  ) {
    let c = config
    let scratch = Scratch(self, samples: samples.count, frames: frames)
    let logEnergy: UnsafeMutablePointer<Float>? = c.energyInC0 ? scratch.logEnergy : nil
    let peak = logMelSpectrogram(
      samples, frames: frames, logMel: scratch.logMel, logEnergy: logEnergy, scratch: scratch)
    let bands = c.melBands
    if c.logarithm == .decibels, let top = c.topDecibels {
      let low = peak - top
      for i in 0..<frames * bands where scratch.logMel[i] < low { scratch.logMel[i] = low }
    }
    dct.matrix.withUnsafeBufferPointer { m in
      for t in 0..<frames {
        dct.apply(scratch.logMel + t * bands, out + t * stride, m.baseAddress!)
      }
    }
    if let logEnergy {
      for t in 0..<frames { out[t * stride] = logEnergy[t] }
    }
    let n = c.coefficients
    if c.deltas != .none {
      DeltaKernel.apply(
        out, frames: frames, stride: stride, source: 0, target: n, width: n,
        halfWidth: c.deltaWidth)
    }
    if c.deltas == .second {
      DeltaKernel.apply(
        out, frames: frames, stride: stride, source: n, target: 2 * n, width: n,
        halfWidth: c.deltaWidth)
    }
    NormalizationKernel.apply(out, frames: frames, columns: stride, mode: c.normalization)
  }

  /// Per-call working memory (one allocation each, freed on return).
  final class Scratch {
    let fft: FFTBuffers
    let padded: UnsafeMutablePointer<Float>
    let spectrum: UnsafeMutablePointer<Float>
    let logMel: UnsafeMutablePointer<Float>
    let logEnergy: UnsafeMutablePointer<Float>

    init(_ m: MFCC, samples: Int, frames: Int) {
      fft = FFTBuffers(length: m.config.fftLength)
      padded = .allocate(capacity: max(1, m.layout.paddedLength(samples: samples)))
      spectrum = .allocate(capacity: m.fft.bins)
      logMel = .allocate(capacity: max(1, frames * m.config.melBands))
      logEnergy = .allocate(capacity: max(1, frames))
    }

    deinit {
      padded.deallocate()
      spectrum.deallocate()
      logMel.deallocate()
      logEnergy.deallocate()
    }
  }
}
