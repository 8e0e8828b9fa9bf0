import Foundation
import SpeechAudio
import SpeechCommands

/// Which clips of a `DATA/<word>/` folder go into a test stream, in order: `words` clips of
/// random command words (folders not starting with `_`), after every `unknownEvery` words one
/// `_unknown_` clip as a distractor (0: none), over the first noise file of
/// `_background_noise_/` unless `noise` names another.
public struct StreamRecipe: Sendable, Equatable {
  /// Command words in the stream. Default 50.
  public var words: Int = 50
  /// After every this many words, also place a `_unknown_` clip (not in the truth); 0 for none.
  public var unknownEvery: Int = 0
  /// Background noise file; nil for the folder's first `_background_noise_` file, if any.
  public var noise: String?

  /// The defaults above.
  public init() {}

  /// Reads the chosen clips (at `sampleRate`, mono) and the noise, drawing with `rng`.
  public func load(
    from folder: String, sampleRate: Int, using rng: inout some RandomNumberGenerator
  ) throws -> (clips: [(label: String, samples: [Float])], noise: [Float]) {
    let entries = try Self.sortedEntries(folder)
    let wordFolders = entries.filter {
      !$0.hasPrefix("_") && !$0.hasPrefix(".") && isFolder(folder + "/" + $0)
    }
    guard !wordFolders.isEmpty else { throw BenchmarkError.noAudio(folder: folder) }
    let unknown = unknownEvery > 0 ? try audioFiles(folder + "/" + unknownLabel) : []
    var clips: [(label: String, samples: [Float])] = []
    for i in stride(from: 1, through: words, by: 1) {
      let word = wordFolders[Int.random(in: 0..<wordFolders.count, using: &rng)]
      let files = try audioFiles(folder + "/" + word)
      guard !files.isEmpty else { throw BenchmarkError.noAudio(folder: folder + "/" + word) }
      let file = files[Int.random(in: 0..<files.count, using: &rng)]
      clips.append((word, try AudioFile.read(at: file, sampleRate: sampleRate)))
      if !unknown.isEmpty && i % unknownEvery == 0 {
        let file = unknown[Int.random(in: 0..<unknown.count, using: &rng)]
        clips.append((unknownLabel, try AudioFile.read(at: file, sampleRate: sampleRate)))
      }
    }
    let noisePath = try noise ?? audioFiles(folder + "/" + backgroundNoiseFolder).first
    let noiseSamples = try noisePath.map { try AudioFile.read(at: $0, sampleRate: sampleRate) }
    return (clips, noiseSamples ?? [])
  }

  private func isFolder(_ path: String) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
      && isDirectory.boolValue
  }

  /// Audio files directly in `folder` (none when it does not exist), sorted by name.
  private func audioFiles(_ folder: String) throws -> [String] {
    guard isFolder(folder) else { return [] }
    return try Self.sortedEntries(folder).filter {
      !AudioFileNames.isHidden($0) && AudioFileNames.isAudio($0)
    }.map { folder + "/" + $0 }
  }

  private static func sortedEntries(_ folder: String) throws -> [String] {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
      throw BenchmarkError.notAFolder(path: folder)
    }
    return names.sorted()
  }
}
