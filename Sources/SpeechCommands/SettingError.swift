/// A setting outside its documented range, in the library's own terms: `setting` is the
/// property's path in its options type (`"topK"`, `"recognizer.minimumCount"`,
/// `"augmentation.gainDB"`), `requirement` what it must be (`"must be at least 1"`). A command
/// line maps `setting` to its flag.
public struct SettingError: Error, Equatable, CustomStringConvertible {
  /// The property path within its options type.
  public var setting: String
  /// What the value must be, as a predicate: "must be at least 1".
  public var requirement: String

  /// `setting` must meet `requirement`.
  public init(_ setting: String, _ requirement: String) {
    self.setting = setting
    self.requirement = requirement
  }

  public var description: String { "\(setting) \(requirement)" }
}
