import Foundation

// The front end, step by step (`compute` below runs them in this order):
//
// | step                                  | file                           |
// |---------------------------------------|--------------------------------|
// | settings, validation, presets         | Pipeline/MFCCConfig, Presets   |
// | framing: padding, pre-emphasis, hop   | Pipeline/Framing               |
// | analysis window                       | Pipeline/Window                |
// | power spectrum (FFTW real FFT)        | Kernels/RealFFT                |
// | mel filterbank, log                   | Pipeline/MelFilterbank         |
// | DCT-II and lifter                     | Pipeline/DCT                   |
// | deltas, per-utterance CMN/CMVN        | Pipeline/Deltas, Normalization |
// | output matrix                         | Pipeline/FeatureMatrix         |
//
// The per-frame loop uses the SIMD kernels in Kernels/Kernels over the tables packed by
// Kernels/PackedTables; errors are Pipeline/FeatureError.

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

  package let layout: FrameLayout
  package let fft: RealFFT
  let dct: DCTMatrix
  let tables: PackedTables

  /// Validates `config` and builds the FFT plan, window, filterbank and DCT matrix.
  public init(config: MFCCConfig) throws(FeatureError) {
    try config.validate()
    self.config = config
    coefficientsPerFrame = config.coefficientsPerFrame
    layout = FrameLayout(config: config)
    fft = try RealFFT(length: config.fftLength)
    filterbank = MelFilterbank(config: config)
    dct = DCTMatrix(
      bands: config.melBands, coefficients: config.coefficients, lifter: config.lifter)
    let window = config.window.coefficients(
      length: config.windowLength, periodic: config.periodicWindow)
    tables = PackedTables(window: window, filterbank: filterbank, dct: dct)
  }

  /// Frames produced from `samples` input samples (see `MFCCConfig.Framing`).
  public func frameCount(samples: Int) -> Int { layout.frameCount(samples: samples) }

  /// The `(frames, coefficientsPerFrame)` features of `samples` (at `config.sampleRate`).
  ///
  /// Never fails: an empty or too-short input gives the frame count `frameCount(samples:)` says
  /// (possibly 0). Samples must be finite (`AudioFile.read` guarantees it); otherwise the
  /// features are meaningless.
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

  /// Whether a frame's features depend on its own samples only (and the one before, through
  /// pre-emphasis), so frames cut from a long signal can be computed once and shared by every clip
  /// that contains them (`staticCoefficients`): not with centred framing (frames reach before the
  /// clip) nor with a top-dB floor (it depends on the loudest frame of the whole clip).
  package var framesAreLocal: Bool { config.framing != .centered && config.topDecibels == nil }

  /// Static coefficients of the first `frames` frames of `samples` (the DCT of the log-mel
  /// energies, c0 the log frame energy with `energyInC0`) into the first `config.coefficients`
  /// values of rows of `stride` floats at `out`; `previous` is the sample before `samples[0]`
  /// (pre-emphasis). Frame t covers `samples[t·hop ..< t·hop + windowLength]` (zeros past the
  /// end). Exactly the values `compute` has before deltas and normalisation, for a clip holding
  /// the same samples at the same place. Requires `framesAreLocal`.
  package func staticCoefficients(
    _ samples: UnsafeBufferPointer<Float>, previous: Float, frames: Int,
    into out: UnsafeMutablePointer<Float>, stride: Int
  ) {
    precondition(framesAreLocal, "frames of this configuration depend on the whole clip")
    precondition(frames <= frameCount(samples: samples.count), "more frames than samples give")
    if frames == 0 { return }
    let scratch = Scratch(self, samples: samples.count, frames: frames)
    _ = logMelSpectrogram(samples, previous: previous, frames: frames, scratch: scratch)
    writeStaticCoefficients(scratch, frames: frames, into: out, stride: stride)
  }

  /// Deltas and per-utterance normalisation of `frames` rows of `stride` floats whose static
  /// coefficients are filled: the last steps of `compute`.
  package func finishFrames(_ out: UnsafeMutablePointer<Float>, frames: Int, stride: Int) {
    let c = config
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

  /// The log-mel energies of every frame into `scratch.logMel` (`frames × melBands`) and, with
  /// `energyInC0`, the log frame energies into `scratch.logEnergy`. Returns the largest log-mel.
  func logMelSpectrogram(
    _ samples: UnsafeBufferPointer<Float>, previous: Float = 0, frames: Int, scratch: Scratch
  ) -> Float {
    let c = config
    layout.fill(scratch.padded, from: samples, preEmphasis: c.preEmphasis, previous: previous)
    let bins = fft.bins, bands = c.melBands, w = c.windowLength, hop = c.hopLength
    let scale: Float = c.normalizeByFFTLength ? 1 / Float(c.fftLength) : 1
    let magnitude = c.spectrum == .magnitude
    let floor = c.logFloor
    let logScale: Float = c.logarithm == .decibels ? Float(10 / M_LN10) : 1
    let input = scratch.fft.input, output = scratch.fft.output, spectrum = scratch.spectrum
    let window = tables.window
    var peak = -Float.infinity
    for t in 0..<frames {
      let src = scratch.padded + t * hop
      for i in 0..<w { input[i] = src[i] * window[i] }
      fft.execute(scratch.fft)
      Kernels.power(output, spectrum, bins: bins, scale: magnitude ? 1 : scale)
      if magnitude {
        for k in 0..<bins { spectrum[k] = spectrum[k].squareRoot() * scale }
      }
      if c.energyInC0 {
        let energy = Kernels.sum(spectrum, bins)
        scratch.logEnergy[t] = Kernels.fastLog(max(energy, floor)) * logScale
      }
      let row = scratch.logMel + t * bands
      tables.melEnergies(spectrum, row)
      Kernels.log(row, row, bands, floor: floor, scale: logScale)
      for j in 0..<bands { peak = max(peak, row[j]) }
    }
    return peak
  }

  private func computeInto(
    _ out: UnsafeMutablePointer<Float>, stride: Int, frames: Int,
    _ samples: UnsafeBufferPointer<Float>
  ) {
    let c = config
    let scratch = Scratch(self, samples: samples.count, frames: frames)
    let peak = logMelSpectrogram(samples, frames: frames, scratch: scratch)
    let bands = c.melBands
    if c.logarithm == .decibels, let top = c.topDecibels {
      let low = peak - top
      for i in 0..<frames * bands { scratch.logMel[i] = max(scratch.logMel[i], low) }
    }
    writeStaticCoefficients(scratch, frames: frames, into: out, stride: stride)
    finishFrames(out, frames: frames, stride: stride)
  }

  /// The DCT of each frame's log-mel energies (c0 replaced by the log energy with `energyInC0`)
  /// into the first `config.coefficients` values of each row.
  private func writeStaticCoefficients(
    _ scratch: Scratch, frames: Int, into out: UnsafeMutablePointer<Float>, stride: Int
  ) {
    let bands = config.melBands
    let n = config.coefficients
    for t in 0..<frames {
      tables.applyDCT(scratch.logMel + t * bands, scratch.cepstrum)
      (out + t * stride).update(from: scratch.cepstrum, count: n)
      if config.energyInC0 { out[t * stride] = scratch.logEnergy[t] }
    }
  }

  /// Per-call working memory (one allocation each, freed on return).
  final class Scratch {
    let fft: FFTBuffers
    let padded: UnsafeMutablePointer<Float>
    let spectrum: UnsafeMutablePointer<Float>
    let logMel: UnsafeMutablePointer<Float>
    let logEnergy: UnsafeMutablePointer<Float>
    let cepstrum: UnsafeMutablePointer<Float>

    init(_ m: MFCC, samples: Int, frames: Int) {
      fft = FFTBuffers(length: m.config.fftLength)
      padded = .allocate(capacity: max(1, m.layout.paddedLength(samples: samples)))
      spectrum = .allocate(capacity: m.tables.spectrumCapacity)
      spectrum.initialize(repeating: 0, count: m.tables.spectrumCapacity)
      logMel = .allocate(capacity: max(1, frames * m.config.melBands))
      logEnergy = .allocate(capacity: max(1, frames))
      cepstrum = .allocate(capacity: m.tables.dctStride)
    }

    deinit {
      padded.deallocate()
      spectrum.deallocate()
      logMel.deallocate()
      logEnergy.deallocate()
      cepstrum.deallocate()
    }
  }
}
