import Foundation

/// The trimmed reference figures in `Resources/mfcc-reference.json` (see Resources/README.md).
struct ReferenceFixture: Decodable {
  struct Signal: Decodable {
    let formula: String
    let samples: Int
    let head: [Double]
    let tail: [Double]
    let psf_default: [[Double]]
    let psf_hello_edge: [[Double]]
    let librosa_slaney: [[Double]]
    let librosa_htk: [[Double]]
    let librosa_torchaudio_match: [[Double]]

    func outputs(_ key: String) -> [[Double]] {
      switch key {
      case "psf_default": psf_default
      case "psf_hello_edge": psf_hello_edge
      case "librosa_slaney": librosa_slaney
      case "librosa_htk": librosa_htk
      default: librosa_torchaudio_match
      }
    }
  }
  struct Filter: Decodable {
    let start: Int
    let weights: [Double]
  }
  let signals: [String: Signal]
  let filterbanks: [String: [Filter]]

  static let shared: ReferenceFixture = {
    let url = Bundle.module.url(forResource: "Resources/mfcc-reference", withExtension: "json")!
    return try! JSONDecoder().decode(ReferenceFixture.self, from: Data(contentsOf: url))
  }()
}

/// The three reference signals, generated from the formulas stored with them (double precision,
/// then rounded to Float like any decoded audio).
enum ReferenceSignal: String, CaseIterable, Sendable {
  case sine440, chirp, noise_lcg

  var samplesDouble: [Double] {
    switch self {
    case .sine440:
      return (0..<8000).map { 0.5 * sin(2 * Double.pi * 440 * Double($0) / 16000) }
    case .chirp:
      return (0..<16000).map { n in
        let t = Double(n) / 16000
        return 0.5 * sin(2 * Double.pi * (100 * t + 0.5 * (4000 - 100) / 1.0 * t * t))
      }
    case .noise_lcg:
      var s: UInt64 = 12345
      return (0..<4000).map { _ in
        s = (1_664_525 &* s &+ 1_013_904_223) & 0xFFFF_FFFF
        return 0.5 * (2 * Double(s) / 4_294_967_296 - 1)
      }
    }
  }

  var samples: [Float] { samplesDouble.map { Float($0) } }
}
