import Foundation
import SpeechFeatures

extension FrontEndConfig {
  /// The names of `MFCCConfig`'s settings (`windowLength`, `coefficients`, `deltas`…).
  public static var mfccSettingNames: [String] {
    Mirror(reflecting: MFCCConfig()).children.compactMap(\.label).sorted()
  }

  /// A copy with MFCC settings replaced by `KEY=VALUE` overrides (`--mfcc coefficients=20`).
  ///
  /// VALUE is read as JSON when it parses (numbers, `true`, `null`…), else as a string (enum
  /// cases such as `deltas=first`). Throws a `SettingError` for the setting `mfcc` naming a bad
  /// key or value.
  public func applyingMFCCOverrides(_ overrides: [String]) throws(SettingError) -> FrontEndConfig {
    guard !overrides.isEmpty else { return self }
    let names = Set(Self.mfccSettingNames)
    guard let encoded = try? JSONEncoder().encode(mfcc),
      var dict = (try? JSONSerialization.jsonObject(with: encoded)) as? [String: Any]
    else { throw SettingError("mfcc", "cannot be applied: the MFCC configuration does not encode") }
    for item in overrides {
      let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, names.contains(parts[0]) else {
        throw SettingError(
          "mfcc",
          "takes KEY=VALUE with KEY one of \(names.sorted().joined(separator: ", ")); got '\(item)'"
        )
      }
      let value =
        (try? JSONSerialization.jsonObject(with: Data(parts[1].utf8), options: .fragmentsAllowed))
        ?? parts[1]
      dict[parts[0]] = value is NSNull ? nil : value
    }
    var copy = self
    do {
      copy.mfcc = try JSONDecoder().decode(
        MFCCConfig.self, from: JSONSerialization.data(withJSONObject: dict))
      try copy.mfcc.validate()
    } catch {
      throw SettingError("mfcc", "\(overrides.joined(separator: " ")): \(error)")
    }
    return copy
  }
}
