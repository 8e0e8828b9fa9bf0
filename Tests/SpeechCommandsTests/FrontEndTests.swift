import Foundation
import SpeechFeatures
import Testing

@testable import SpeechCommands

@Suite struct FrontEndTests {
  /// A model file's front end is untrusted: lengths that would overflow, allocate gigabytes or
  /// never finish are refused when the front end is built.
  @Test func absurdConfigurationsAreRefused() {
    func rejects(_ change: (inout FrontEndConfig) -> Void) {
      var config = FrontEndConfig.default
      change(&config)
      #expect(throws: (any Error).self) { try FrontEnd(config: config) }
    }
    rejects { $0.clipSeconds = 1e15 }
    rejects { $0.clipSeconds = .nan }
    rejects { $0.focusSeconds = 2 }
    rejects { $0.focusSeconds = -1 }
    rejects { $0.mfcc.melBands = 10_000_000 }
    rejects { $0.mfcc.deltaWidth = 1_000_000_000 }
    rejects { $0.mfcc.sampleRate = 1 }
    rejects { $0.mfcc.hopLength = 1 << 40 }
  }

  @Test func shortClipsAreCentredWithZeros() {
    let clip = FrontEnd.loudestClip([1, 2, 3], length: 8)
    #expect(clip == [0, 0, 1, 2, 3, 0, 0, 0])
    #expect(FrontEnd.loudestClip([1, 2], length: 2) == [1, 2])
  }

  @Test func longClipsKeepTheLoudestWindow() {
    var x = [Float](repeating: 0.01, count: 100)
    for i in 60..<70 { x[i] = 0.9 }
    let clip = FrontEnd.loudestClip(x, length: 10)
    #expect(clip == [Float](repeating: 0.9, count: 10))
    // A burst wider than the window: the earliest window fully inside it.
    var y = [Float](repeating: 0, count: 50)
    for i in 20..<40 { y[i] = 0.5 }
    #expect(FrontEnd.loudestClip(y, length: 10) == [Float](repeating: 0.5, count: 10))
  }

  @Test func theLoudestPartIsCentred() throws {
    // A burst at 10..<14 in 20 samples, focus 4: its centre (12) moves to the clip's (5).
    var x = [Float](repeating: 0, count: 20)
    for i in 10..<14 { x[i] = 1 }
    let c = FrontEnd.centre(x, length: 10, focus: 4)
    #expect(c == [0, 0, 0, 1, 1, 1, 1, 0, 0, 0])
    #expect(FrontEnd.centre(c, length: 10, focus: 4) == c)  // idempotent
    // Near the start: zeros fill the part before the recording.
    #expect(FrontEnd.centre([1, 1, 0, 0, 0, 0], length: 6, focus: 2) == [0, 0, 1, 1, 0, 0])
    // Shorter than the focus: the whole recording is centred.
    #expect(FrontEnd.centre([1, 2, 3], length: 7, focus: 5) == [0, 0, 1, 2, 3, 0, 0])

    let fe = try FrontEnd(config: FrontEndConfig(clipSeconds: 1, focusSeconds: 0.25))
    var word = [Float](repeating: 0, count: 16000)
    for i in 1000..<5000 { word[i] = Float(sin(Double(i) / 3)) * 0.5 }
    let fitted = fe.fitClip(word)
    #expect(fitted.count == 16000)
    #expect(fitted.firstIndex { $0 != 0 }! > 5000)
    #expect(fe.features(clip: word) == fe.features(clip: fitted))
  }

  @Test func olderModelsWithoutFocusKeepTheLegacyRule() throws {
    let legacy = try FrontEndConfig(jsonString: FrontEndConfig(focusSeconds: nil).jsonString())
    #expect(legacy.focusSeconds == nil)
    let fe = try FrontEnd(config: legacy)
    let clip = (0..<16000).map { Float($0 % 100) / 100 }
    #expect(fe.fitClip(clip) == clip)
  }

  /// Each view is the fitted clip moved by its shift, zeros filling the gap; the middle view of
  /// the default is the clip itself.
  @Test func viewsAreTheFittedClipMoved() throws {
    let fe = try FrontEnd(config: .default)
    #expect(fe.viewShiftSamples == [-1280, -640, 0, 640, 1280])
    let word = (0..<11000).map { Float(sin(Double($0) * 0.05)) * Float($0 % 97) / 97 }
    let fitted = fe.fitClip(word)
    let views = fe.viewFeatures(clip: word)
    #expect(views.count == 5 * fe.inputSize)
    for (v, shift) in fe.viewShiftSamples.enumerated() {
      // The reference moves the clip sample by sample.
      let moved = (0..<fitted.count).map { i -> Float in
        let from = i + shift
        return from >= 0 && from < fitted.count ? fitted[from] : 0
      }
      let view = Array(views[(v * fe.inputSize)..<((v + 1) * fe.inputSize)])
      #expect(view == fe.mfcc.compute(moved).values, "view \(v)")
    }
    #expect(Array(views[(2 * fe.inputSize)..<(3 * fe.inputSize)]) == fe.features(clip: word))
  }

  /// Shifts that are not whole MFCC hops, and front ends whose frames depend on the whole clip,
  /// compute each view afresh: the same moved clips.
  @Test(arguments: [
    FrontEndConfig(viewShifts: [-0.01, 0, 0.025]),
    FrontEndConfig(mfcc: .librosa, viewShifts: [-0.04, 0.04]),
  ])
  func viewsOffTheFrameGridAreTheFittedClipMoved(config: FrontEndConfig) throws {
    let fe = try FrontEnd(config: config)
    let word = (0..<9000).map { Float(sin(Double($0) * 0.07)) * Float($0 % 89) / 89 }
    let fitted = fe.fitClip(word)
    let views = fe.viewFeatures(clip: word)
    for (v, shift) in fe.viewShiftSamples.enumerated() {
      let moved = fitted.indices.map { i -> Float in
        fitted.indices.contains(i + shift) ? fitted[i + shift] : 0
      }
      let view = Array(views[(v * fe.inputSize)..<((v + 1) * fe.inputSize)])
      #expect(view == fe.mfcc.compute(moved).values, "view \(v)")
      #expect(view == fe.viewFeatures(clip: word, view: v))
    }
  }

  @Test func olderModelsHaveOneView() throws {
    var json = try FrontEndConfig.default.jsonString()
    json = json.replacingOccurrences(
      of: #","viewShifts":[-0.08,-0.04,0,0.04,0.08]"#, with: "")
    #expect(!json.contains("viewShifts"))
    let fe = try FrontEnd(config: FrontEndConfig(jsonString: json))
    #expect(fe.config.viewShifts == nil && fe.views == 1)
    let clip = (0..<16000).map { Float($0 % 50) / 50 - 0.5 }
    #expect(fe.viewFeatures(clip: clip) == fe.features(clip: clip))
  }

  @Test func viewShiftsAreEvenlySpacedAndChecked() throws {
    #expect(FrontEndConfig.viewShifts(count: 5, spacing: 0.04) == FrontEndConfig.defaultViewShifts)
    #expect(FrontEndConfig.viewShifts(count: 1, spacing: 0.04) == [0])
    #expect(FrontEndConfig.viewShifts(count: 2, spacing: 0.1) == [-0.05, 0.05])
    for bad: [Double] in [[], [0.6], [.nan], Array(repeating: 0, count: 16)] {
      #expect(throws: SettingError.self, "\(bad)") {
        try FrontEnd(config: FrontEndConfig(viewShifts: bad))
      }
    }
  }

  @Test func configRoundTripsThroughJSON() throws {
    let config = FrontEndConfig(mfcc: .psf, clipSeconds: 0.75)
    let back = try FrontEndConfig(jsonString: config.jsonString())
    #expect(back == config)
    #expect(back.clipSamples == 12000)
  }

  @Test func featuresHaveInputSizeValuesForAnyLength() throws {
    let fe = try FrontEnd(config: .default)
    #expect(fe.inputSize == fe.frames * fe.coefficients)
    var rng = SystemRandomNumberGenerator()
    let short = (0..<7000).map { _ in Float.random(in: -0.5...0.5, using: &rng) }
    #expect(fe.features(clip: short).count == fe.inputSize)
    #expect(fe.features(clip: short) == fe.features(clip: fe.fitClip(short)))
  }

  @Test func mfccOverridesChangeOnlyTheNamedSettings() throws {
    let base = FrontEndConfig(mfcc: .classic)
    let changed = try base.applyingMFCCOverrides([
      "coefficients=20", "deltas=first", "maxFrequency=null", "preEmphasis=0.97",
    ])
    var expected = MFCCConfig.classic
    expected.coefficients = 20
    expected.deltas = .first
    expected.maxFrequency = nil
    expected.preEmphasis = 0.97
    #expect(changed.mfcc == expected)
    #expect(throws: SettingError.self) { try base.applyingMFCCOverrides(["colour=blue"]) }
    #expect(throws: SettingError.self) { try base.applyingMFCCOverrides(["deltas=third"]) }
    #expect(throws: SettingError.self) { try base.applyingMFCCOverrides(["hopLength=0"]) }
    // Bad values are said as they were written, not in the JSON decoder's words.
    #expect(throws: SettingError("mfcc", "hopLength=1.5: hopLength must be a whole number")) {
      try base.applyingMFCCOverrides(["hopLength=1.5"])
    }
    #expect(throws: SettingError("mfcc", "coefficients=1e400: coefficients must be a whole number"))
    {
      try base.applyingMFCCOverrides(["coefficients=1e400"])
    }
    #expect(throws: SettingError("mfcc", "window=null: window cannot be null (it has no default)"))
    {
      try base.applyingMFCCOverrides(["window=null"])
    }
    #expect(throws: SettingError("mfcc", "preEmphasis=high: preEmphasis must be a number")) {
      try base.applyingMFCCOverrides(["preEmphasis=high"])
    }
  }
}
