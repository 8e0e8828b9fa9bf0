/// Errors of the feature front end.
public enum FeatureError: Error, Equatable, CustomStringConvertible {
  /// A configuration value is out of range.
  case invalidConfig(field: String, reason: String)
  /// FFTW could not make a plan of this size.
  case fftPlanFailed(length: Int)
  /// No preset has this name.
  case unknownPreset(name: String)

  public var description: String {
    switch self {
    case .invalidConfig(let field, let reason): "invalid MFCC setting '\(field)': \(reason)"
    case .fftPlanFailed(let n): "FFTW could not plan a real FFT of length \(n)"
    case .unknownPreset(let name):
      "unknown MFCC preset '\(name)' (known: \(MFCCConfig.presetNames.joined(separator: ", ")))"
    }
  }
}
