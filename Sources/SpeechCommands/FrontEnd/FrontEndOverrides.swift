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
      // Decoded after each override, so that a bad value is named as it was written.
      do {
        _ = try JSONDecoder().decode(
          MFCCConfig.self, from: JSONSerialization.data(withJSONObject: dict))
      } catch let error as DecodingError {
        throw SettingError("mfcc", "\(item): \(parts[0]) " + Self.requirement(error, value))
      } catch {
        throw SettingError("mfcc", "\(item): \(error)")
      }
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

  /// What a value that did not decode must be, in the user's words rather than the decoder's
  /// ("Parsed JSON number <1.5> does not fit in Int", "Key 'window' not found").
  private static func requirement(_ error: DecodingError, _ value: Any) -> String {
    switch error {
    case .typeMismatch(let type, _), .valueNotFound(let type, _):
      return "must be " + kind(of: type)
    case .keyNotFound:
      return "cannot be null (it has no default)"
    case .dataCorrupted:
      if let number = value as? NSNumber, number.doubleValue.rounded() != number.doubleValue {
        return "must be a whole number"
      }
      return "cannot take that value"
    @unknown default:
      return "cannot take that value (\(error))"
    }
  }

  /// How a setting's type reads in a message.
  private static func kind(of type: Any.Type) -> String {
    switch type {
    case is Int.Type: return "a whole number"
    case is Float.Type, is Double.Type: return "a number"
    case is Bool.Type: return "true or false"
    default: return "one of its named values"
    }
  }
}
