import Foundation
import SpeechFeatures
import SpeechModel

/// Everything needed to turn audio into the model's input vector.
///
/// Stored as JSON in a model's `metadata.featureConfig`, so `classify` and `listen` reproduce the
/// features training saw exactly (same MFCC settings, same clip length, same padding rule).
public struct FrontEndConfig: Codable, Sendable, Hashable {
  /// The MFCC settings; `mfcc.sampleRate` is the rate audio is decoded at. Default
  /// `MFCCConfig.training`.
  public var mfcc: MFCCConfig
  /// Length of one clip in seconds; every recording is padded or cropped to it. Default 1.0.
  public var clipSeconds: Double
  /// Length in seconds of the "loudest part" that is centred in every clip (see
  /// `FrontEnd.fitClip`). Default 0.5. `nil` (models written before this setting existed) keeps
  /// clips of exactly the clip length as they are and only pads or crops others.
  public var focusSeconds: Double?
  /// Shifts in seconds of the views of a clip whose probabilities are averaged when classifying
  /// (test-time shift averaging; positive: the word moves earlier in the clip): each view is the
  /// fitted clip moved by the shift, zeros filling the gap. Training sees one view per clip (its
  /// own random time shifts teach the network these positions). Default
  /// `FrontEndConfig.defaultViewShifts` (5 views, ±80 ms in steps of 40 ms, two MFCC hops of the
  /// training front end); `nil` (models written before) or `[0]`: one view, the clip as fitted.
  public var viewShifts: [Double]?

  /// The views of the product's default: −80, −40, 0, 40 and 80 ms. Chosen on the tuning folds of
  /// `scripts/tune-accuracy.sh` (README, "Tuning for unseen speakers").
  public static let defaultViewShifts: [Double] = [-0.08, -0.04, 0, 0.04, 0.08]

  /// Creates a configuration; the defaults are the product's training defaults.
  public init(
    mfcc: MFCCConfig = MFCCConfig.training, clipSeconds: Double = 1.0,
    focusSeconds: Double? = 0.5, viewShifts: [Double]? = FrontEndConfig.defaultViewShifts
  ) {
    self.mfcc = mfcc
    self.clipSeconds = clipSeconds
    self.focusSeconds = focusSeconds
    self.viewShifts = viewShifts
  }

  /// Evenly spaced view shifts: `count` views `spacing` seconds apart, centred on 0 (`count` 1:
  /// `[0]`, one view).
  public static func viewShifts(count: Int, spacing: Double) -> [Double] {
    (0..<max(1, count)).map { (Double($0) - Double(max(1, count) - 1) / 2) * spacing }
  }

  /// The product's default front end: `MFCCConfig.training` on 1 s clips centred on their loudest 0.5 s.
  public static let `default` = FrontEndConfig()

  /// Sample rate in Hz audio is decoded and analysed at (the MFCC configuration's rate).
  public var sampleRate: Int { mfcc.sampleRate }

  /// Samples in one clip: `clipSeconds × sampleRate`, rounded to the nearest sample.
  public var clipSamples: Int { max(1, Int((clipSeconds * Double(sampleRate)).rounded())) }

  /// The compact JSON stored in `ModelMetadata.featureConfig` (keys sorted, so it is stable).
  public func jsonString() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(self), as: UTF8.self)
  }

  /// Decodes the JSON written by `jsonString()`.
  public init(jsonString: String) throws {
    self = try JSONValueDecoder().decode(FrontEndConfig.self, from: jsonString)
  }
}

/// Turns decoded audio into the flattened, un-normalised feature vector the network reads.
///
/// Thread-safe: the MFCC plans are built once in `init`, and `fitClip`/`features` may be called
/// from many threads at once (training extracts features on all cores).
public struct FrontEnd: Sendable {
  /// The configuration this front end was built from.
  public let config: FrontEndConfig
  /// The MFCC extractor (shared with `listen`'s frame cache).
  let mfcc: MFCC
  /// MFCC frames in one clip.
  public let frames: Int
  /// Coefficients per frame (including deltas when the MFCC configuration asks for them).
  public let coefficients: Int
  /// The shifts of the views of a clip (`FrontEndConfig.viewShifts`) in samples, rounded; `[0]`
  /// without views.
  public let viewShiftSamples: [Int]

  /// Builds the MFCC plans for `config`; throws when the MFCC configuration is invalid, or a
  /// `SettingError` when the view shifts are not 1–15 finite shifts within half a clip (a model
  /// file's configuration is untrusted input).
  public init(config: FrontEndConfig = .default) throws {
    guard config.clipSeconds.isFinite, config.clipSeconds > 0, config.clipSeconds <= 60 else {
      throw SettingError("clipSeconds", "must lie in (0, 60] seconds; got \(config.clipSeconds)")
    }
    if let focus = config.focusSeconds {
      guard focus.isFinite, focus > 0, focus <= config.clipSeconds else {
        throw SettingError("focusSeconds", "must lie in (0, clipSeconds]; got \(focus)")
      }
    }
    if let shifts = config.viewShifts {
      guard (1...15).contains(shifts.count),
        shifts.allSatisfy({ $0.isFinite && abs($0) <= config.clipSeconds / 2 })
      else {
        throw SettingError(
          "viewShifts", "must hold 1 to 15 shifts of at most half a clip; got \(shifts)")
      }
    }
    self.config = config
    self.mfcc = try MFCC(config: config.mfcc)
    self.frames = mfcc.frameCount(samples: config.clipSamples)
    self.coefficients = mfcc.coefficientsPerFrame
    let rate = Double(config.sampleRate)
    self.viewShiftSamples = (config.viewShifts ?? [0]).map { Int(($0 * rate).rounded()) }
  }

  /// Length of the feature vector of one clip: `frames × coefficients`.
  public var inputSize: Int { frames * coefficients }

  /// Views of one clip (`viewShiftSamples.count`).
  public var views: Int { viewShiftSamples.count }

  /// Samples of the focus window (`focusSeconds`), or nil for the legacy rule.
  public var focusSamples: Int? {
    config.focusSeconds.map { max(1, Int(($0 * Double(config.sampleRate)).rounded())) }
  }

  /// Pads or crops `samples` to exactly `config.clipSamples` with the loudest part in the middle.
  ///
  /// The loudest `focusSeconds` window of the recording (most energy, sum of squares; the
  /// middle of a run of equal windows; the whole recording when it is shorter) is found, and the clip is cut so
  /// that window's centre is the clip's centre, with zeros where the clip reaches past the
  /// recording. A word thus sits in the middle of every clip, whether it came trimmed (FSDD),
  /// anywhere in a 1 s take (Speech Commands) or inside a longer recording; a network that reads
  /// the flattened frames then needs no translation invariance. Applying it twice changes nothing.
  ///
  /// With `focusSeconds == nil` (older models) a recording of exactly the clip length is kept as
  /// it is, a longer one is cropped to its loudest clip-length window and a shorter one is centred.
  public func fitClip(_ samples: [Float]) -> [Float] {
    guard let focus = focusSamples else {
      return Self.loudestClip(samples, length: config.clipSamples)
    }
    return Self.centre(samples, length: config.clipSamples, focus: focus)
  }

  /// The clip of `length` samples whose centre is the centre of the loudest `focus`-sample
  /// window of `samples`; O(samples).
  public static func centre(_ samples: [Float], length: Int, focus: Int) -> [Float] {
    let n = samples.count
    let from = centredStart(samples, length: length, focus: focus)
    var out = [Float](repeating: 0, count: length)
    let lo = max(0, -from)
    let hi = min(length, n - from)
    if lo < hi { out.replaceSubrange(lo..<hi, with: samples[(from + lo)..<(from + hi)]) }
    return out
  }

  /// Where `centre(_:length:focus:)` starts the clip, in samples from `samples[0]` (negative
  /// when the clip begins before the recording).
  static func centredStart(_ samples: [Float], length: Int, focus: Int) -> Int {
    centredStart(samples: samples.count, length: length, focus: focus) {
      LoudestWindow.start(of: samples, width: $0)
    }
  }

  /// The clip start that centres the loudest window of `focus` samples (at most `samples`),
  /// whose start `loudest` finds for a given width.
  private static func centredStart(
    samples n: Int, length: Int, focus: Int, loudest: (_ width: Int) -> Int
  ) -> Int {
    let w = max(1, min(n, focus))
    return (n == 0 ? 0 : loudest(w)) + w / 2 - length / 2
  }

  /// `centredStart(_:length:focus:)` of the samples whose running energy sums are `sums`
  /// (`LoudestWindow`: one more value than samples), which a stream can keep for all its windows.
  static func centredStart(sums: UnsafeBufferPointer<Int64>, length: Int, focus: Int) -> Int {
    centredStart(samples: sums.count - 1, length: length, focus: focus) {
      LoudestWindow.start(sums: sums, width: $0)
    }
  }

  /// Where `fitClip` starts the clip of a recording of exactly `config.clipSamples` samples,
  /// relative to its first sample (0 under the legacy rule, which keeps such a recording).
  func clipStart(ofWindow samples: [Float]) -> Int {
    LoudestWindow.runningSums(samples).withUnsafeBufferPointer { clipStart(ofWindowSums: $0) }
  }

  /// `clipStart(ofWindow:)` from the window's running energy sums (`config.clipSamples + 1`
  /// values; only their differences matter, so they may be a slice of a stream's sums).
  func clipStart(ofWindowSums sums: UnsafeBufferPointer<Int64>) -> Int {
    guard let focus = focusSamples else { return 0 }
    return Self.centredStart(sums: sums, length: config.clipSamples, focus: focus)
  }

  /// The legacy rule (`focusSeconds == nil`) for any `length`: crop to the loudest window,
  /// centre a shorter recording, keep one of exactly `length`; O(samples).
  public static func loudestClip(_ samples: [Float], length: Int) -> [Float] {
    let n = samples.count
    if n == length { return samples }
    if n < length {
      let before = (length - n) / 2
      var out = [Float](repeating: 0, count: length)
      out.replaceSubrange(before..<(before + n), with: samples)
      return out
    }
    let start = LoudestWindow.start(of: samples, width: length)
    return Array(samples[start..<(start + length)])
  }

  /// The flattened MFCC (frames × coefficients, row-major) of one clip.
  ///
  /// Any length is accepted: the clip first goes through `fitClip(_:)` (which leaves an
  /// already fitted clip unchanged), so the result always has `inputSize` values and every
  /// caller — training, `classify`, `listen`'s windows — sees words placed the same way.
  public func features(clip: [Float]) -> [Float] {
    mfcc.compute(fittedClip(clip)).values
  }

  /// `clip` as `fitClip` fits it, except that an older model's clip of exactly the clip length
  /// (`focusSamples == nil`) is kept as it is, without a copy.
  private func fittedClip(_ clip: [Float]) -> [Float] {
    clip.count == config.clipSamples && focusSamples == nil ? clip : fitClip(clip)
  }

  /// The features of every view of one clip, `views × inputSize` values (view after view, in
  /// the order of `viewShiftSamples`): the clip is fitted (`fitClip`), then each view is the
  /// fitted clip moved by its shift with zeros filling the gap, so views of a clip never reach
  /// audio the fitted clip does not hold. `Classifier` averages the views' probabilities.
  ///
  /// When the MFCC frames are local and the shifts whole hops (the defaults), the frames the
  /// views share are computed once (`StreamFrameCache` over the clip with zeros around it), the
  /// same values bit for bit: five views cost little more MFCC than one.
  public func viewFeatures(clip: [Float]) -> [Float] {
    viewFeatures(fitted: fittedClip(clip))
  }

  /// `viewFeatures(clip:)` of a clip already fitted (`fitClip`, or `fitClip(streamingFrom:)`):
  /// `config.clipSamples` samples, not fitted again.
  func viewFeatures(fitted: [Float]) -> [Float] {
    let shifts = viewShiftSamples
    if shifts == [0] { return mfcc.compute(fitted).values }
    let hop = mfcc.layout.hop
    if shifts.allSatisfy({ $0 % hop == 0 }), let cache = StreamFrameCache(frontEnd: self) {
      // Room for every view's frames and the sample before them (pre-emphasis).
      let margin = (shifts.map(abs).max() ?? 0) + mfcc.layout.window + hop
      let padded =
        [Float](repeating: 0, count: margin) + fitted
        + [Float](repeating: 0, count: margin)
      var out = [Float](repeating: 0, count: shifts.count * inputSize)
      padded.withUnsafeBufferPointer { samples in
        out.withUnsafeMutableBufferPointer {
          cache.features(
            clipAt: 0, samples: 0..<Int64(fitted.count), windowStart: 0, buffer: samples,
            origin: -Int64(margin), into: $0.baseAddress!)
        }
      }
      return out
    }
    var out: [Float] = []
    out.reserveCapacity(shifts.count * inputSize)
    for shift in shifts { out += mfcc.compute(Self.shifted(fitted, by: shift)).values }
    return out
  }

  /// The features of view `view` (an index into `viewShiftSamples`) of one clip: `inputSize`
  /// values, the rows of `viewFeatures(clip:)` for that view.
  public func viewFeatures(clip: [Float], view: Int) -> [Float] {
    let fitted = fittedClip(clip)
    return mfcc.compute(Self.shifted(fitted, by: viewShiftSamples[view])).values
  }

  /// `clip` moved `shift` samples earlier (later when negative), zeros filling the gap; same
  /// length.
  static func shifted(_ clip: [Float], by shift: Int) -> [Float] {
    if shift == 0 { return clip }
    let n = clip.count
    var out = [Float](repeating: 0, count: n)
    let from = max(0, -shift)
    let to = min(n, n - shift)
    if from < to { out.replaceSubrange(from..<to, with: clip[(from + shift)..<(to + shift)]) }
    return out
  }

  /// The MFCC of a clip of exactly `clipSamples` used as it is (no centring): training's path
  /// for augmented clips, whose random time shift must survive.
  func features(fitted clip: [Float]) -> [Float] {
    mfcc.compute(clip).values
  }
}
