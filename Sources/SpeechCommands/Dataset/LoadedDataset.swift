import Foundation
import SpeechAudio
import SpeechModel

/// One clip of a loaded dataset.
public struct Example: Sendable, Hashable {
  /// The audio file, or `_silence_#n` for silence generated from background noise.
  public var path: String
  /// Class index into `LoadedDataset.labels`.
  public var label: Int
  /// Which split the clip belongs to.
  public var split: DatasetSplit
  /// Whether the clip is generated silence (redrawn from the noise every training epoch).
  public var isGeneratedSilence: Bool
}

/// Decoded clips ready for feature extraction, held in memory for the whole run.
public struct LoadedDataset: Sendable {
  /// Class names in output order.
  public var labels: [String]
  /// Every clip, with `clips[i]` the samples of `examples[i]`.
  public var examples: [Example]
  /// Samples of each example at the front end's rate, fitted to exactly `clipSamples`.
  public var clips: [[Float]]
  /// Decoded background-noise recordings (for augmentation and silence), at the same rate.
  public var noise: [[Float]]
  /// Files that could not be decoded (skipped; fewer than the threshold).
  public var unreadable: [String]
  /// Notes for the user gathered while listing and loading.
  public var warnings: [String]

  /// Indices of the examples in `split`, in dataset order.
  public func indices(in split: DatasetSplit) -> [Int] {
    examples.indices.filter { examples[$0].split == split }
  }

  /// Indices of the examples in any of `splits`.
  public func indices(in splits: Set<DatasetSplit>) -> [Int] {
    examples.indices.filter { splits.contains(examples[$0].split) }
  }

  /// Clips per class in `split` (all classes, zero included).
  public func classCounts(in split: DatasetSplit) -> [Int] {
    var counts = [Int](repeating: 0, count: labels.count)
    for e in examples where e.split == split { counts[e.label] += 1 }
    return counts
  }
  /// The warning about files skipped as unreadable (the first ten named), or nil for none.
  public var unreadableSummary: String? { Self.unreadableSummary(unreadable) }

  static func unreadableSummary(_ unreadable: [String]) -> String? {
    guard !unreadable.isEmpty else { return nil }
    return "skipped \(unreadable.count) unreadable files: "
      + unreadable.prefix(10).joined(separator: "; ")
  }
}

/// Decodes the recordings a `LabelPlan` selected, in parallel, and makes the generated silence.
public enum DatasetLoader {
  /// Decodes every selected recording (all cores), fits each to the clip length with
  /// `FrontEnd.fitClip`, decodes the noise files and draws the `_silence_` clips (seeded).
  ///
  /// Unreadable files are skipped and reported in `unreadable`; more than `maxUnreadable` of them
  /// is an error listing them. A class left without clips is an error, except the classes named
  /// in `mayBeEmpty` (an old model's labels when retraining without its data).
  public static func load(
    plan: LabelPlan, noiseFiles: [String], frontEnd: FrontEnd, seed: UInt64,
    maxUnreadable: Int = 10, source: String, mayBeEmpty: Set<String> = []
  ) throws(DatasetError) -> LoadedDataset {
    let rate = frontEnd.config.sampleRate
    let paths = plan.selected.map(\.recording.path)
    let decoded = Parallel.map(paths) { path -> Result<[Float], AudioError> in
      do throws(AudioError) {
        return .success(frontEnd.fitClip(try AudioFile.read(at: path, sampleRate: rate)))
      } catch {
        return .failure(error)
      }
    }
    var unreadable: [String] = []
    var examples: [Example] = []
    var clips: [[Float]] = []
    for (i, result) in decoded.enumerated() {
      switch result {
      case .success(let clip):
        let (r, label) = plan.selected[i]
        examples.append(
          Example(path: r.path, label: label, split: r.split, isGeneratedSilence: false))
        clips.append(clip)
      case .failure(let error):
        unreadable.append(error.description)
      }
    }
    var warnings = plan.warnings
    let noiseResults = Parallel.map(noiseFiles) { path -> Result<[Float], AudioError> in
      do throws(AudioError) {
        return .success(try AudioFile.read(at: path, sampleRate: rate))
      } catch {
        return .failure(error)
      }
    }
    var noise: [[Float]] = []
    for r in noiseResults {
      switch r {
      case .success(let x) where !x.isEmpty: noise.append(x)
      case .success: break
      case .failure(let e): warnings.append("background noise skipped: \(e)")
      }
    }
    if unreadable.count > maxUnreadable {
      throw .tooManyUnreadable(count: unreadable.count, threshold: maxUnreadable, files: unreadable)
    }
    if let summary = LoadedDataset.unreadableSummary(unreadable) { warnings.append(summary) }

    if let silence = plan.labels.firstIndex(of: silenceLabel), !noise.isEmpty {
      var rng = SeededGenerator(seed: seed ^ 0x7369_6C65_6E63_655F)  // "silence_"
      var n = 0
      for split in DatasetSplit.allCases {
        for _ in 0..<(plan.generatedSilence[split] ?? 0) {
          examples.append(
            Example(
              path: "\(silenceLabel)#\(n)", label: silence, split: split, isGeneratedSilence: true))
          clips.append(
            Augmenter.silenceClip(noise: noise, length: frontEnd.config.clipSamples, using: &rng))
          n += 1
        }
      }
    }
    let present = Set(examples.map(\.label))
    for (i, label) in plan.labels.enumerated()
    where !present.contains(i) && !mayBeEmpty.contains(label) {
      throw .emptyLabel(label: label, path: source)
    }
    let trained = Set(examples.filter { $0.split == .train }.map(\.label))
    let untrained = plan.labels.enumerated().filter {
      !trained.contains($0.offset) && !mayBeEmpty.contains($0.element)
    }
    if !trained.isEmpty, !untrained.isEmpty {
      let names = untrained.map(\.element)
      warnings.append(
        "\(names.count) of \(plan.labels.count) labels have no clips in the training split, so "
          + "the model cannot learn them: \(names.prefix(12).joined(separator: ", "))"
          + (names.count > 12 ? ", …" : ""))
    }
    return LoadedDataset(
      labels: plan.labels, examples: examples, clips: clips, noise: noise,
      unreadable: unreadable, warnings: warnings)
  }
}
