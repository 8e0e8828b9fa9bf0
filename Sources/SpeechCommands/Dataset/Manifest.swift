import Foundation
import SpeechModel

extension DatasetListing {
  /// Reads a CSV manifest with the header `path,label[,split]` (column order free, other columns
  /// ignored, quotes as in RFC 4180).
  ///
  /// Paths are relative to the manifest's folder unless absolute. An empty or missing `split`
  /// falls back to `rule`; rows labelled `_background_noise_` are noise sources, not a label.
  public static func readManifest(
    at path: String, rule: HashSplitRule = HashSplitRule()
  ) throws(DatasetError) -> DatasetListing {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .notFound(path: path)
    }
    // A UTF-16 file (as some spreadsheets save CSV) is full of NUL bytes that would end up in
    // paths and messages.
    if data.contains(0) {
      throw .badManifest(path: path, line: 1, reason: "not UTF-8 text (it holds NUL bytes)")
    }
    // A Latin-1 file (as older spreadsheets save CSV) would be read with U+FFFD in place of its
    // accented letters: labels that are not the user's.
    guard let text = String(validating: data, as: UTF8.self) else {
      let line = Self.lineOfFirstInvalidUTF8(data)
      throw .badManifest(
        path: path, line: line,
        reason: "not UTF-8 text (save it as UTF-8, e.g. iconv -f latin1 -t utf8)")
    }
    return try parseManifest(text, path: path, rule: rule)
  }

  /// The 1-based line holding the first byte sequence that is not UTF-8 (1 if none is found).
  private static func lineOfFirstInvalidUTF8(_ data: Data) -> Int {
    var line = 1
    var start = data.startIndex
    for index in data.indices where data[index] == UInt8(ascii: "\n") {
      if String(validating: data[start...index], as: UTF8.self) == nil { return line }
      line += 1
      start = data.index(after: index)
    }
    return line
  }

  /// Parses the text of a manifest read from `path` (which names it in errors and anchors its
  /// relative paths), as `readManifest(at:rule:)` does; touches no file.
  public static func parseManifest(
    _ text: String, path: String, rule: HashSplitRule = HashSplitRule()
  ) throws(DatasetError) -> DatasetListing {
    let base = PathName.parent(of: path)
    let rows = CSV.parse(text)
    guard let header = rows.first(where: { !$0.fields.allSatisfy(\.isEmpty) }) else {
      throw .badManifest(
        path: path, line: 1, reason: "empty file, expected a header path,label[,split]")
    }
    let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    guard let pathColumn = names.firstIndex(of: "path"),
      let labelColumn = names.firstIndex(of: "label")
    else {
      throw .badManifest(
        path: path, line: header.line,
        reason:
          "header must name the columns path and label (found: \(names.joined(separator: ",")))")
    }
    let splitColumn = names.firstIndex(of: "split")

    var recordings: [Recording] = []
    var noise: [String] = []
    var skipped: [String] = []
    var lineOf: [[UInt8]: Int] = [:]
    if let open = rows.last, open.unclosedQuote {
      throw .badManifest(
        path: path, line: open.line, reason: "a quoted field starting on this line is never closed")
    }
    for row in rows where row.line > header.line && !row.fields.allSatisfy(\.isEmpty) {
      func field(_ i: Int) -> String {
        i < row.fields.count ? row.fields[i].trimmingCharacters(in: .whitespaces) : ""
      }
      let file = field(pathColumn)
      let label = field(labelColumn)
      guard !file.isEmpty else {
        throw .badManifest(path: path, line: row.line, reason: "empty path")
      }
      guard !label.isEmpty else {
        throw .badManifest(path: path, line: row.line, reason: "empty label for '\(file)'")
      }
      if let problem = LabelName.problem(with: label) {
        throw .badManifest(
          path: path, line: row.line,
          reason: "the label \(label.debugDescription.prefix(120)) \(problem)")
      }
      let full = file.hasPrefix("/") || base.isEmpty ? file : base + "/" + file
      // A file listed twice would train twice, or be trained on and tested on; also when
      // written another way (`./a.wav`, `d//a.wav`, through a symbolic link).
      let identity = PathName.identity(of: full)
      if let first = lineOf[identity] {
        throw .badManifest(
          path: path, line: row.line,
          reason: "'\(file)' is listed again (first on line \(first))")
      }
      lineOf[identity] = row.line
      let name = PathName.lastComponent(of: file)
      if AudioFileNames.isHidden(name) || !AudioFileNames.isAudio(name) {
        skipped.append(full)
        continue
      }
      if label == backgroundNoiseFolder {
        noise.append(full)
        continue
      }
      var split = rule.split(of: name)
      if let c = splitColumn, !field(c).isEmpty {
        guard let s = DatasetSplit(name: field(c)) else {
          throw .badManifest(
            path: path, line: row.line,
            reason: "unknown split '\(field(c))' (use train, validation or test)")
        }
        split = s
      }
      recordings.append(Recording(path: full, label: label, split: split))
    }
    if recordings.isEmpty { throw .noAudio(path: path) }
    return DatasetListing(source: path, recordings: recordings, noiseFiles: noise, skipped: skipped)
  }
}
