import Foundation

/// Why a ground-truth file could not be used.
public enum TruthFileError: Error, Equatable, CustomStringConvertible {
  /// The file could not be read.
  case unreadable(path: String, reason: String)
  /// A line is not `label,time_seconds`; `line` is 1-based.
  case badLine(path: String, line: Int, text: String)

  public var description: String {
    switch self {
    case .unreadable(let path, let reason):
      return "cannot read truth file '\(path)': \(reason)"
    case .badLine(let path, let line, let text):
      return "truth file '\(path)' line \(line): expected 'label,time_seconds', got '\(text)'"
    }
  }
}

/// Reads and writes ground-truth CSV files: one `label,time_seconds` line per word.
public enum TruthFile {
  /// Parses `path`. Blank lines are skipped, and so is a first line whose time is not a number
  /// (a header such as `label,time_seconds`); any other line that is not `label,number` throws.
  public static func read(at path: String) throws(TruthFileError) -> [TimedLabel] {
    var status = stat()
    guard stat(path, &status) == 0 else {
      throw .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    // A folder, a pipe or a device (`/dev/zero` never ends) is no truth file.
    guard status.st_mode & S_IFMT == S_IFREG else {
      let what = status.st_mode & S_IFMT == S_IFDIR ? "it is a folder" : "it is not a regular file"
      throw .unreadable(path: path, reason: what)
    }
    guard status.st_size <= maximumBytes else {
      throw .unreadable(
        path: path, reason: "it holds \(status.st_size) bytes (at most \(maximumBytes))")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    guard let text = String(validating: data, as: UTF8.self), !data.contains(0) else {
      throw .unreadable(path: path, reason: "it is not UTF-8 text")
    }
    return try parse(text, path: path)
  }

  /// The largest truth file read, in bytes: a million words.
  public static let maximumBytes = 64 << 20

  /// The latest time a truth file may hold, in seconds (about 31 years): times are compared in
  /// whole milliseconds.
  public static let latestSeconds = 1e9

  /// Parses CSV text (RFC 4180, through `CSV`); `path` only names it in errors.
  public static func parse(_ text: String, path: String) throws(TruthFileError) -> [TimedLabel] {
    var entries: [TimedLabel] = []
    let rows = CSV.parse(text)
    if let open = rows.last, open.unclosedQuote {
      throw .badLine(path: path, line: open.line, text: "a quoted field that is never closed")
    }
    for row in rows {
      let fields = row.fields.map { $0.trimmingCharacters(in: .whitespaces) }
      if fields.allSatisfy(\.isEmpty) { continue }
      if fields.count == 2, !fields[0].isEmpty, let time = seconds(fields[1]),
        (0...latestSeconds).contains(time)
      {
        entries.append(TimedLabel(label: fields[0], time: time))
      } else if row.line == 1 && fields.count == 2 && seconds(fields[1]) == nil {
        continue
      } else {
        throw .badLine(path: path, line: row.line, text: fields.joined(separator: ","))
      }
    }
    return entries
  }

  /// A decimal number of seconds such as `1.5`, `12` or `2e1`; nil for anything else, including
  /// what `Double` also reads (`0x10`, `nan`, `inf`).
  static func seconds(_ field: String) -> Double? {
    guard !field.isEmpty, field.allSatisfy({ "0123456789.eE+-".contains($0) }) else { return nil }
    return Double(field)
  }

  /// The CSV text for `entries`: a `label,time_seconds` header, then one line per word
  /// (times with millisecond precision).
  public static func csv(_ entries: [TimedLabel]) -> String {
    var text = "label,time_seconds\n"
    for entry in entries {
      text += CSV.field(entry.label) + "," + String(format: "%.3f", entry.time) + "\n"
    }
    return text
  }
}
