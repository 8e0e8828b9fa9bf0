import Foundation
import SpeechModel

/// How folder labels become the model's classes (`--words`, `_unknown_`, `_silence_`).
public struct LabelOptions: Sendable, Hashable, Codable {
  /// The words to recognise; other labels become `_unknown_`. `nil` (the default): every label
  /// found is a class.
  public var words: [String]?
  /// With `words`: `_unknown_` clips per split as a percentage of that split's word clips,
  /// drawn at random (seeded) from the other labels. Default 10 (TensorFlow's).
  public var unknownPercent: Double
  /// With `words`: generated `_silence_` clips (background noise at a random volume) per split as
  /// a percentage of that split's word clips, when there is no `_silence_` folder. Default 10.
  public var silencePercent: Double

  /// An `unknownPercent` that keeps every non-command clip (a share far beyond 100%).
  public static let everyClipPercent: Double = 1e9

  public init(words: [String]? = nil, unknownPercent: Double = 10, silencePercent: Double = 10) {
    self.words = words
    self.unknownPercent = unknownPercent
    self.silencePercent = silencePercent
  }
}

/// The classes chosen for a listing and the recordings that feed each one.
public struct LabelPlan: Sendable, Equatable {
  /// Class names in output order.
  public var labels: [String]
  /// The recordings used, each with its class index.
  public var selected: [(recording: Recording, label: Int)]
  /// Number of `_silence_` clips to generate from background noise, per split.
  public var generatedSilence: [DatasetSplit: Int]
  /// Notes for the user (e.g. no noise to make `_silence_` from).
  public var warnings: [String]

  public static func == (a: LabelPlan, b: LabelPlan) -> Bool {
    a.labels == b.labels && a.generatedSilence == b.generatedSilence && a.warnings == b.warnings
      && a.selected.map(\.recording) == b.selected.map(\.recording)
      && a.selected.map(\.label) == b.selected.map(\.label)
  }

  /// Chooses classes and recordings.
  ///
  /// - `options.words == nil`: every label of `listing` is a class (sorted), after the labels of
  ///   `existing` (an old model's, kept in their order when retraining).
  /// - With words: `existing` labels first, then the words, then `_unknown_` (when other labels
  ///   exist and `unknownPercent > 0`), then `_silence_` (from a `_silence_` folder, else generated
  ///   from background noise when there is some and `silencePercent > 0`).
  /// - Throws before any audio is decoded: `--words` naming absent labels, fewer than two classes.
  public static func make(
    listing: DatasetListing, options: LabelOptions, existing: [String] = [], seed: UInt64
  ) throws(DatasetError) -> LabelPlan {
    let found = listing.labels
    guard let words = options.words else {
      let labels = existing + found.filter { !existing.contains($0) }
      guard labels.count >= 2 else { throw .tooFewLabels(path: listing.source, labels: labels) }
      let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
      return LabelPlan(
        labels: labels, selected: listing.recordings.map { ($0, index[$0.label]!) },
        generatedSilence: [:], warnings: [])
    }

    let reserved: Set<String> = [unknownLabel, silenceLabel]
    let missing = words.filter {
      !reserved.contains($0) && !found.contains($0) && !existing.contains($0)
    }
    if !missing.isEmpty {
      throw .wordsNotFound(path: listing.source, words: missing, available: found)
    }
    var warnings: [String] = []
    var labels = existing
    for w in words where !reserved.contains(w) && !labels.contains(w) { labels.append(w) }
    let wordSet = Set(labels).subtracting(reserved)

    var selected: [(Recording, Int)] = []
    var wordCount: [DatasetSplit: Int] = [:]
    var unknownCandidates: [DatasetSplit: [Recording]] = [:]
    var silenceFolder: [Recording] = []
    for r in listing.recordings {
      if wordSet.contains(r.label) {
        wordCount[r.split, default: 0] += 1
      } else if r.label == silenceLabel {
        silenceFolder.append(r)
      } else {
        unknownCandidates[r.split, default: []].append(r)
      }
    }
    let index = { (name: String) -> Int in labels.firstIndex(of: name)! }
    for r in listing.recordings where wordSet.contains(r.label) {
      selected.append((r, index(r.label)))
    }

    var rng = SeededGenerator(seed: seed ^ 0x756E_6B6E_6F77_6E5F)  // "unknown_"
    let wantsUnknown = options.unknownPercent > 0 && !unknownCandidates.isEmpty
    if wantsUnknown || existing.contains(unknownLabel) {
      if !labels.contains(unknownLabel) { labels.append(unknownLabel) }
      for split in DatasetSplit.allCases {
        var pool = unknownCandidates[split] ?? []
        pool.shuffle(using: &rng)
        // Every clip means every clip, also in a split without command words.
        let n =
          options.unknownPercent >= LabelOptions.everyClipPercent
          ? pool.count
          : Int((Double(wordCount[split] ?? 0) * options.unknownPercent / 100).rounded(.up))
        for r in pool.prefix(n) { selected.append((r, index(unknownLabel))) }
      }
    }

    var generated: [DatasetSplit: Int] = [:]
    if !silenceFolder.isEmpty {
      if !labels.contains(silenceLabel) { labels.append(silenceLabel) }
      for r in silenceFolder { selected.append((r, index(silenceLabel))) }
    } else if options.silencePercent > 0 || existing.contains(silenceLabel) {
      if listing.noiseFiles.isEmpty {
        if options.silencePercent > 0 && !existing.contains(silenceLabel) {
          warnings.append(
            "no \(backgroundNoiseFolder)/ or \(silenceLabel)/ folder in '\(listing.source)': "
              + "no \(silenceLabel) class")
        }
      } else {
        if !labels.contains(silenceLabel) { labels.append(silenceLabel) }
        for split in DatasetSplit.allCases {
          let n = Int((Double(wordCount[split] ?? 0) * options.silencePercent / 100).rounded(.up))
          if n > 0 { generated[split] = n }
        }
      }
    }
    guard labels.count >= 2 else { throw .tooFewLabels(path: listing.source, labels: labels) }
    return LabelPlan(
      labels: labels, selected: selected, generatedSilence: generated, warnings: warnings)
  }
}
