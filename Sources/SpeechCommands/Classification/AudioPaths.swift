import Foundation

/// One input of `classify`: a file to decode, or an argument that could not be expanded.
public enum PathItem: Sendable, Equatable {
  /// A file to classify (it may still turn out unreadable).
  case file(String)
  /// An argument that yields nothing to classify, with the reason (e.g. a folder without audio).
  case problem(path: String, reason: String)
}

/// The files named by command-line arguments, produced lazily and in order.
///
/// - A file argument is passed through whatever its extension (decoding decides).
/// - A folder is walked recursively, entries sorted by name at every level, keeping files with an
///   audio extension (`AudioFileNames.isAudio`) and skipping hidden entries; a folder reached
///   twice through symbolic links is walked once. A folder with no audio is a `.problem`.
/// - `-` reads paths from `readLine`, one per line (blank lines skipped), each expanded the same
///   way; read lazily, so a pipe of millions of paths is never held in memory.
///
/// Memory: the names of the folders being walked (one listing per level), never the audio.
public struct AudioPaths: Sequence, IteratorProtocol {
  private var arguments: IndexingIterator<[String]>
  private let readLine: () -> InputLine?
  private var readingStandardInput = false
  /// Folders being walked: the remaining sorted entries of each level, innermost last.
  private var walk: [(folder: String, entries: IndexingIterator<[String]>, found: Int)] = []
  private var visited = Set<String>()

  /// A line read for `-`: text, or bytes that are not UTF-8 (shown decoded with U+FFFD).
  enum InputLine {
    case text(String)
    case notUTF8(shown: String)
  }

  /// Expands `arguments`; `-` reads lines from standard input, as bytes: a name that is not
  /// UTF-8 is a problem naming it (`Swift.readLine` replaced its bytes, and the file then
  /// "did not exist").
  public init(arguments: [String]) {
    self.init(arguments: arguments, lines: Self.standardInputLine)
  }

  /// Expands `arguments`; `-` reads lines from `readLine`.
  public init(arguments: [String], readLine: @escaping () -> String?) {
    self.init(arguments: arguments, lines: { readLine().map(InputLine.text) })
  }

  init(arguments: [String], lines: @escaping () -> InputLine?) {
    self.arguments = arguments.makeIterator()
    self.readLine = lines
  }

  /// Standard input as a C stream of its own (the C `stdin` global is off limits to Swift 6's
  /// concurrency checks); only `classify -` reads it, from one thread.
  nonisolated(unsafe) private static let input = fdopen(STDIN_FILENO, "r")

  /// The next line of standard input without its line end, or nil at its end.
  static func standardInputLine() -> InputLine? {
    guard let input else { return nil }
    var line: UnsafeMutablePointer<CChar>?
    var capacity = 0
    defer { free(line) }
    let count = getline(&line, &capacity, input)
    guard count >= 0, let line else { return nil }
    var bytes = UnsafeRawBufferPointer(start: line, count: count).map { $0 }
    if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      return .notUTF8(shown: String(decoding: bytes, as: UTF8.self))
    }
    return .text(text)
  }

  /// The next file (or problem), or nil when every argument is exhausted.
  public mutating func next() -> PathItem? {
    while true {
      if let item = nextFromWalk() { return item }
      if !walk.isEmpty { continue }
      guard let line = nextArgument() else { return nil }
      let argument: String
      switch line {
      case .text(let text): argument = text
      case .notUTF8(let shown):
        return .problem(
          path: shown,
          reason: "'\(shown)' is not valid UTF-8: speechcmd reads file names in UTF-8 only "
            + "(rename the file, e.g. with convmv)")
      }
      // No file name holds a NUL byte; a line with some is NUL-separated names (`find -print0`),
      // which the C calls would cut at the first NUL, classifying another file than named.
      if argument.utf8.contains(0) {
        let shown = argument.replacingOccurrences(of: "\0", with: "\\0")
        return .problem(
          path: shown,
          reason: "'\(shown)' holds a NUL byte: give one path per line on standard input "
            + "(find -print, not -print0)")
      }
      if let item = expand(argument, topLevel: true) { return item }
    }
  }

  private mutating func nextArgument() -> InputLine? {
    while true {
      if readingStandardInput {
        if let line = readLine() {
          guard case .text(let text) = line else { return line }
          let path = text.trimmingCharacters(in: CharacterSet(charactersIn: "\r\n"))
          if path.trimmingCharacters(in: .whitespaces).isEmpty { continue }
          return .text(path)
        }
        readingStandardInput = false
      }
      guard let argument = arguments.next() else { return nil }
      if argument == "-" {
        readingStandardInput = true
        continue
      }
      return .text(argument)
    }
  }

  /// A file item for `path`, or nil after pushing a folder onto the walk.
  private mutating func expand(_ path: String, topLevel: Bool) -> PathItem? {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
      isDirectory.boolValue
    else { return topLevel ? .file(path) : nil }
    let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    guard visited.insert(real).inserted else { return nil }
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
      return .problem(path: path, reason: "cannot list the folder '\(path)'")
    }
    let folder = path.hasSuffix("/") ? String(path.dropLast()) : path
    let entries = names.filter { !AudioFileNames.isHidden($0) }.sorted()
    walk.append((folder, entries.makeIterator(), 0))
    return nil
  }

  private mutating func nextFromWalk() -> PathItem? {
    while let last = walk.indices.last {
      guard let name = walk[last].entries.next() else {
        let done = walk.removeLast()
        if done.found == 0 && walk.isEmpty {
          return .problem(path: done.folder, reason: "'\(done.folder)' holds no audio files")
        }
        if done.found > 0, let parent = walk.indices.last { walk[parent].found += done.found }
        continue
      }
      let path = walk[last].folder + "/" + name
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        continue
      }
      if isDirectory.boolValue {
        if let problem = expand(path, topLevel: false) { return problem }
        continue
      }
      if AudioFileNames.isAudio(name) {
        walk[last].found += 1
        return .file(path)
      }
    }
    return nil
  }
}
