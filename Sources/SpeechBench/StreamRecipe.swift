import Foundation
import SpeechAudio
import SpeechCommands

/// Which clips of a `DATA/<word>/` folder go into a test stream, in order: `words` clips of
/// random command words (labels not starting with `_`), after every `unknownEvery` words one
/// `_unknown_` clip as a distractor (0: none), over the first noise file of
/// `_background_noise_/` unless `noise` names another. The folder is listed by
/// `DatasetListing.scanFolder`, as `train` lists it.
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
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory),
      isDirectory.boolValue
    else { throw BenchmarkError.notAFolder(path: folder) }
    let listing = try DatasetListing.scanFolder(at: folder)
    let files = Dictionary(grouping: listing.recordings, by: \.label).mapValues {
      $0.map(\.path).sorted()
    }
    let wordLabels = files.keys.filter { !$0.hasPrefix("_") }.sorted()
    guard !wordLabels.isEmpty else { throw BenchmarkError.noAudio(folder: folder) }
    let unknown = unknownEvery > 0 ? files[unknownLabel] ?? [] : []
    var clips: [(label: String, samples: [Float])] = []
    for i in stride(from: 1, through: words, by: 1) {
      let word = wordLabels[Int.random(in: 0..<wordLabels.count, using: &rng)]
      let choices = files[word]!
      let file = choices[Int.random(in: 0..<choices.count, using: &rng)]
      clips.append((word, try AudioFile.read(at: file, sampleRate: sampleRate)))
      if !unknown.isEmpty && i % unknownEvery == 0 {
        let file = unknown[Int.random(in: 0..<unknown.count, using: &rng)]
        clips.append((unknownLabel, try AudioFile.read(at: file, sampleRate: sampleRate)))
      }
    }
    let noisePath = noise ?? listing.noiseFiles.sorted().first
    let noiseSamples = try noisePath.map { try AudioFile.read(at: $0, sampleRate: sampleRate) }
    return (clips, noiseSamples ?? [])
  }
}
