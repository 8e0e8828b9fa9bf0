/// What a label may be called. Labels name output units, folders of recordings (`train`,
/// `serve`'s recordings) and columns of printed tables, and they come from untrusted files (model
/// files, manifests), so a label is checked before use.
public enum LabelName {
  /// Why `label` cannot be a label, or nil when it can: it must not be empty, `.` or `..`, hold
  /// a `/`, a control character (a newline would split a line of output) or a comma (a CSV
  /// column), or be longer than 100 characters.
  public static func problem(with label: String) -> String? {
    if label.isEmpty { return "is empty" }
    if label == "." || label == ".." { return "is '\(label)'" }
    if label.count > 100 { return "is longer than 100 characters" }
    if label.contains("/") { return "holds a '/'" }
    if label.contains(",") { return "holds a ','" }
    if label.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
      return "holds a control character"
    }
    return nil
  }
}
