import ArgumentParser
import Foundation
import SpeechFeatures

/// Output formats of `speechcmd features`.
enum FeatureFormat: String, ExpressibleByArgument, CaseIterable {
  case text, csv, json

  /// The matrix as lines of this format. Numbers use Swift's shortest round-trip form.
  func lines(_ m: FeatureMatrix, file: String, sampleRate: Int, preset: String) -> [String] {
    let rows = (0..<m.frames).map { t in
      m.row(t).map { self == .json ? Self.number($0) : "\($0)" }
    }
    switch self {
    case .text:
      return rows.map { $0.joined(separator: " ") }
    case .csv:
      return [(0..<m.coefficients).map { "c\($0)" }.joined(separator: ",")]
        + rows.map { $0.joined(separator: ",") }
    case .json:
      let data = rows.map { "[" + $0.joined(separator: ",") + "]" }.joined(separator: ",")
      let name = TextEscaping.jsonString(file), presetName = TextEscaping.jsonString(preset)
      return [
        "{\"file\":\(name),\"sampleRate\":\(sampleRate),\"preset\":\(presetName),"
          + "\"frames\":\(m.frames),\"coefficients\":\(m.coefficients),\"data\":[\(data)]}"
      ]
    }
  }

  /// A JSON number (non-finite values, which valid audio never produces, become null).
  static func number(_ v: Float) -> String { v.isFinite ? "\(v)" : "null" }
}
