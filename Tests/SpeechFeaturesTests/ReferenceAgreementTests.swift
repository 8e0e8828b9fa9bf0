import Foundation
import Testing

@testable import SpeechFeatures

/// Presets against librosa 0.11 and python_speech_features 0.6 on the three reference signals.
@Suite struct ReferenceAgreementTests {
  /// A preset, the fixture key holding the peer's output for it, and whether values are in dB.
  struct Case: CustomTestStringConvertible, Sendable {
    let name: String
    let config: MFCCConfig
    let key: String
    let decibels: Bool
    var testDescription: String { name }
  }

  static let cases: [Case] = {
    var htk = MFCCConfig.librosa
    htk.melScale = .htk
    return [
      Case(name: "psf", config: .psf, key: "psf_default", decibels: false),
      Case(name: "hello-edge", config: .helloEdge, key: "psf_hello_edge", decibels: false),
      Case(name: "librosa", config: .librosa, key: "librosa_slaney", decibels: true),
      Case(name: "librosa htk", config: htk, key: "librosa_htk", decibels: true),
      Case(
        name: "torchaudio", config: .torchaudio, key: "librosa_torchaudio_match", decibels: true),
    ]
  }()

  @Test func signalsMatchTheStoredSamples() throws {
    for signal in ReferenceSignal.allCases {
      let stored = try #require(ReferenceFixture.shared.signals[signal.rawValue])
      let x = signal.samplesDouble
      #expect(x.count == stored.samples)
      for (i, v) in stored.head.enumerated() { #expect(abs(x[i] - v) < 1e-8) }
      for (i, v) in stored.tail.enumerated() { #expect(abs(x[x.count - 16 + i] - v) < 1e-8) }
    }
  }

  /// Every coefficient within 1e-3 of its frame's coefficient range (natural-log presets) or
  /// within 1e-2 absolute (dB-scaled presets).
  @Test(arguments: cases, ReferenceSignal.allCases)
  func presetAgreesWithPeer(_ c: Case, _ signal: ReferenceSignal) throws {
    let expected = try #require(ReferenceFixture.shared.signals[signal.rawValue]).outputs(c.key)
    let got = try MFCC(config: c.config).compute(signal.samples)
    try #require(got.frames == expected.count)
    try #require(got.coefficients == expected[0].count)
    var worst = 0.0
    for (t, row) in expected.enumerated() {
      let range = (row.max()! - row.min()!)
      let tolerance = c.decibels ? 1e-2 : 1e-3 * range
      for (k, v) in row.enumerated() {
        let error = abs(Double(got[t, k]) - v)
        worst = max(worst, error / tolerance)
        #expect(error <= tolerance, "frame \(t) coefficient \(k): \(got[t, k]) vs \(v)")
      }
    }
    print("\(c.name) on \(signal.rawValue): worst error \(worst) × tolerance")
  }

  /// The filterbanks themselves, weight by weight (Float storage: 1e-6 relative).
  @Test(arguments: [
    ("librosa_slaney", "librosa"), ("librosa_torchaudio_match", "torchaudio"),
    ("psf_default_26", "psf"),
  ])
  func filterbankAgrees(_ key: String, _ preset: String) throws {
    let config = try #require(MFCCConfig.preset(named: preset))
    let expected = try #require(ReferenceFixture.shared.filterbanks[key])
    let bank = MelFilterbank(config: config)
    try #require(bank.bands == expected.count)
    let dense = bank.dense
    for (j, filter) in expected.enumerated() {
      var row = [Double](repeating: 0, count: bank.bins)
      for (i, w) in filter.weights.enumerated() { row[filter.start + i] = w }
      let peak = row.max()!
      for k in 0..<bank.bins {
        #expect(abs(Double(dense[j][k]) - row[k]) <= 1e-6 * peak, "filter \(j) bin \(k)")
      }
    }
  }
}
