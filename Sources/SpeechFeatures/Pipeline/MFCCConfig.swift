/// Every setting of the MFCC front end, in one value.
///
/// The property defaults below are the `classic` preset (`MFCCConfig.classic == MFCCConfig()`);
/// the product's front end is the `training` preset. Every preset is in `Presets.swift`; a model
/// file stores its whole configuration, so changing a default never changes a saved model.
///
/// Pipeline, in order: pre-emphasis → framing → window → real FFT (`fftLength`, zero-padded) →
/// power or magnitude spectrum → mel filterbank → logarithm → DCT-II (orthonormal) → lifter →
/// log energy in c0 → deltas → per-utterance normalisation.
public struct MFCCConfig: Codable, Sendable, Hashable {
  /// Sample rate in Hz the samples are expected at (audio is decoded/resampled to it). Default 16000.
  public var sampleRate: Int = 16000

  /// Pre-emphasis coefficient `a` in `y[n] = x[n] − a·x[n−1]` (`y[0] = x[0]`); 0 disables it.
  /// Default 0 (python_speech_features and Kaldi use 0.97).
  public var preEmphasis: Float = 0

  /// Frame (analysis window) length in samples. Default 480 (30 ms at 16 kHz).
  public var windowLength: Int = 480
  /// Hop between frame starts in samples. Default 160 (10 ms at 16 kHz).
  public var hopLength: Int = 160
  /// FFT length in samples (≥ `windowLength`; the frame is zero-padded to it). Default 512.
  public var fftLength: Int = 512

  /// How frames are laid over the signal (centred like librosa, or starting at sample 0). Default
  /// `.padTail` (python_speech_features: the last partial frame is zero-padded).
  public var framing: Framing = .padTail
  /// What lies beyond the signal's edges when `framing` is `.centered`. Default `.constant` (zeros).
  public var padding: Padding = .constant

  /// Window function applied to each frame. Default `.hann`.
  public var window: WindowFunction = .hann
  /// Periodic (DFT-even, `cos(2πn/N)`, librosa/torchaudio) or symmetric (`cos(2πn/(N−1))`,
  /// Kaldi/numpy) window. Default true. Povey windows are always symmetric (Kaldi's definition).
  public var periodicWindow: Bool = true

  /// Power `|X|²` or magnitude `|X|` spectrum fed to the filterbank. Default `.power`.
  public var spectrum: Spectrum = .power
  /// Divide the spectrum by `fftLength` (python_speech_features' `powspec`). Default false.
  public var normalizeByFFTLength: Bool = false

  /// Number of triangular mel filters. Default 40.
  public var melBands: Int = 40
  /// Mel scale formula used to space the filters. Default `.htk` (2595·log10(1 + f/700)).
  public var melScale: MelScale = .htk
  /// How triangle corners meet FFT bins: exact frequencies (librosa, torchaudio) or corners
  /// rounded to bins (python_speech_features). Default `.exact`.
  public var melBinning: MelBinning = .exact
  /// Scale each filter to unit area (Slaney's `norm='slaney'`: 2 / (f[i+2] − f[i])). Default false.
  public var melAreaNormalization: Bool = false
  /// Lowest filter edge in Hz. Default 20.
  public var minFrequency: Double = 20
  /// Highest filter edge in Hz; nil means the Nyquist frequency (`sampleRate / 2`). Default 7600.
  public var maxFrequency: Double? = 7600

  /// Logarithm applied to the filterbank energies. Default `.natural`.
  public var logarithm: Logarithm = .natural
  /// Floor applied before the logarithm, `log(max(x, logFloor))` (librosa's `amin` for decibels).
  /// Same unit as the spectrum. Default 1e-6.
  public var logFloor: Float = 1e-6
  /// With `.decibels`: clamp every value to at least `max − topDecibels`, the max taken over the
  /// whole utterance (librosa's `power_to_db(top_db=…)`); nil disables. Default nil.
  public var topDecibels: Float? = nil

  /// Cepstral coefficients kept per frame (c0 … c(n−1)), at most `melBands`. Default 13.
  public var coefficients: Int = 13
  /// Sinusoidal lifter `L`: coefficient n is scaled by `1 + (L/2)·sin(πn/L)`; 0 disables.
  /// Default 0 (python_speech_features uses 22).
  public var lifter: Int = 0
  /// Replace c0 with the logarithm of the frame energy (sum of the spectrum, after
  /// `normalizeByFFTLength`, floored at `logFloor`), python_speech_features' `appendEnergy`.
  /// Default false.
  public var energyInC0: Bool = false

  /// Appended time derivatives. Default `.none`.
  public var deltas: Deltas = .none
  /// Half-width `N` of the regression window for deltas, in frames:
  /// `d[t] = Σₙ n·(c[t+n] − c[t−n]) / (2·Σₙ n²)`, n = 1…N, edges repeated. Default 2.
  public var deltaWidth: Int = 2

  /// Per-utterance normalisation of every output column over the frames. Default `.none`.
  public var normalization: Normalization = .none

  /// The documented defaults, i.e. the `default` preset.
  public init() {}

  /// Frame placement.
  public enum Framing: String, Codable, Sendable, Hashable, CaseIterable {
    /// Frame t is centred on sample `t·hop` (the signal is padded by `fftLength/2` on both sides);
    /// `1 + n/hop` frames. librosa and torchaudio with `center=True`.
    case centered
    /// Frame t starts at `t·hop`; a last partial frame is zero-padded, so
    /// `1 + ⌈(n − window)/hop⌉` frames (at least 1). python_speech_features.
    case padTail
    /// Frame t starts at `t·hop`; only whole frames: `1 + ⌊(n − window)/hop⌋` (0 if too short).
    /// Kaldi's `snip_edges=true`.
    case dropTail
  }

  /// Edge padding for centred frames.
  public enum Padding: String, Codable, Sendable, Hashable, CaseIterable {
    /// Zeros (librosa ≥ 0.10 default `pad_mode='constant'`).
    case constant
    /// Mirror without repeating the edge sample (numpy/torch `reflect`).
    case reflect
  }

  /// Window functions.
  public enum WindowFunction: String, Codable, Sendable, Hashable, CaseIterable {
    /// `0.5 − 0.5·cos(2πn/M)`.
    case hann
    /// `0.54 − 0.46·cos(2πn/M)`.
    case hamming
    /// Kaldi's `(0.5 − 0.5·cos(2πn/(N−1)))^0.85`.
    case povey
    /// All ones (python_speech_features' default).
    case rectangular
  }

  /// Spectrum fed to the filterbank.
  public enum Spectrum: String, Codable, Sendable, Hashable, CaseIterable {
    /// `|X|²`.
    case power
    /// `|X|`.
    case magnitude
  }

  /// Mel scale formulas.
  public enum MelScale: String, Codable, Sendable, Hashable, CaseIterable {
    /// `2595·log10(1 + f/700)`.
    case htk
    /// Slaney's Auditory Toolbox: linear below 1 kHz (3 mel per 200 Hz), logarithmic above.
    case slaney
  }

  /// Placement of the triangle corners.
  public enum MelBinning: String, Codable, Sendable, Hashable, CaseIterable {
    /// Triangles in Hz evaluated at each bin's exact frequency `k·sampleRate/fftLength`.
    case exact
    /// Corners rounded down to bins, `⌊(fftLength+1)·f/sampleRate⌋`, python_speech_features.
    case rounded
  }

  /// Logarithm of the filterbank energies.
  public enum Logarithm: String, Codable, Sendable, Hashable, CaseIterable {
    /// `ln(max(x, logFloor))`.
    case natural
    /// `10·log10(max(x, logFloor))` (reference power 1).
    case decibels
  }

  /// Time derivatives appended to each frame.
  public enum Deltas: String, Codable, Sendable, Hashable, CaseIterable {
    /// Static coefficients only.
    case none
    /// Static coefficients then their deltas.
    case first
    /// Static coefficients, deltas, then delta-deltas.
    case second
  }

  /// Per-utterance normalisation of each output column over the frames.
  public enum Normalization: String, Codable, Sendable, Hashable, CaseIterable {
    /// No normalisation.
    case none
    /// Subtract each column's mean (CMN).
    case mean
    /// Subtract the mean and divide by the (population) standard deviation (CMVN); columns with
    /// a standard deviation below 1e-8 are only centred.
    case meanVariance
  }
}

extension MFCCConfig {
  /// The highest filter edge in Hz with the Nyquist default resolved.
  public var resolvedMaxFrequency: Double { maxFrequency ?? Double(sampleRate) / 2 }

  /// Number of values per output frame: `coefficients × (1 + number of delta orders)`.
  public var coefficientsPerFrame: Int {
    switch deltas {
    case .none: coefficients
    case .first: coefficients * 2
    case .second: coefficients * 3
    }
  }

  /// Checks every setting; the first problem found is thrown.
  public func validate() throws(FeatureError) {
    func bad(_ field: String, _ reason: String) -> FeatureError {
      .invalidConfig(field: field, reason: reason)
    }
    guard (1000...384_000).contains(sampleRate) else {
      throw bad("sampleRate", "must lie in 1000…384000 Hz, got \(sampleRate)")
    }
    guard preEmphasis.isFinite else { throw bad("preEmphasis", "must be finite") }
    guard windowLength >= 1 else { throw bad("windowLength", "must be at least 1 sample") }
    guard hopLength >= 1, hopLength <= 1 << 20 else {
      throw bad("hopLength", "must lie in 1…2^20 samples, got \(hopLength)")
    }
    guard fftLength >= windowLength, fftLength <= 1 << 20 else {
      throw bad(
        "fftLength", "must be between windowLength (\(windowLength)) and 2^20, got \(fftLength)")
    }
    // More bands than spectrum bins would leave bands empty; the cap keeps a model file from
    // asking for gigabytes of filter bank.
    guard melBands >= 1, melBands <= fftLength / 2 + 1, melBands <= 1024 else {
      throw bad("melBands", "must lie in 1…min(fftLength/2 + 1, 1024), got \(melBands)")
    }
    guard minFrequency >= 0, minFrequency.isFinite else {
      throw bad("minFrequency", "must be ≥ 0 Hz, got \(minFrequency)")
    }
    let fmax = resolvedMaxFrequency
    guard fmax.isFinite, fmax > minFrequency, fmax <= Double(sampleRate) / 2 else {
      throw bad("maxFrequency", "must lie in (minFrequency, sampleRate/2], got \(fmax) Hz")
    }
    guard logFloor >= Float.leastNormalMagnitude, logFloor.isFinite else {
      throw bad("logFloor", "must be a positive normal number (≥ 1.2e-38)")
    }
    if let top = topDecibels {
      guard top > 0, top.isFinite else { throw bad("topDecibels", "must be positive") }
    }
    guard coefficients >= 1, coefficients <= melBands else {
      throw bad("coefficients", "must lie in 1…melBands (\(melBands)), got \(coefficients)")
    }
    guard lifter >= 0 else { throw bad("lifter", "must be ≥ 0") }
    guard deltaWidth >= 1, deltaWidth <= 100 else {
      throw bad("deltaWidth", "must lie in 1…100 frames, got \(deltaWidth)")
    }
  }
}
