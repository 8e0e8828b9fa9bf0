import Foundation
import Testing

@testable import SpeechCommands

@Suite struct LabelPlanTests {
  /// A listing of `count` recordings per label, all in `split`, plus optional noise.
  func listing(_ labels: [String: Int], split: DatasetSplit = .train, noise: Bool = false)
    -> DatasetListing
  {
    var recordings: [Recording] = []
    for (label, count) in labels {
      for i in 0..<count {
        recordings.append(Recording(path: "/d/\(label)/\(i).wav", label: label, split: split))
      }
    }
    return DatasetListing(
      source: "/d", recordings: recordings,
      noiseFiles: noise ? ["/d/_background_noise_/n.wav"] : [],
      skipped: [])
  }

  @Test func everyFolderIsALabelWithoutWords() throws {
    let plan = try LabelPlan.make(
      listing: listing(["yes": 3, "no": 2, "_unknown_": 1]), options: LabelOptions(), seed: 0)
    #expect(plan.labels == ["_unknown_", "no", "yes"])
    #expect(plan.selected.count == 6)
    #expect(plan.generatedSilence.isEmpty)
  }

  @Test func wordsMakeUnknownAndSilenceWithTensorFlowShares() throws {
    let l = listing(["yes": 50, "no": 50, "bed": 30, "cat": 30], noise: true)
    let plan = try LabelPlan.make(listing: l, options: LabelOptions(words: ["yes", "no"]), seed: 7)
    #expect(plan.labels == ["yes", "no", "_unknown_", "_silence_"])
    let unknown = plan.selected.filter { $0.label == 2 }
    #expect(unknown.count == 10)  // 10% of the 100 word clips
    #expect(unknown.allSatisfy { ["bed", "cat"].contains($0.recording.label) })
    #expect(plan.generatedSilence == [.train: 10])
    // Seeded: the same seed picks the same unknown clips, another seed others.
    let again = try LabelPlan.make(
      listing: l, options: LabelOptions(words: ["yes", "no"]), seed: 7)
    #expect(again == plan)
    let other = try LabelPlan.make(
      listing: l, options: LabelOptions(words: ["yes", "no"]), seed: 8)
    #expect(other.selected.map(\.recording) != plan.selected.map(\.recording))
  }

  /// `evaluate --split all` asks for every non-command clip: also those in a split without
  /// command words, where a share of the split's words would be none of them.
  @Test func everyClipMeansEveryClipInEverySplit() throws {
    var l = listing(["yes": 4, "no": 4], split: .train)
    l.recordings += listing(["bed": 3], split: .train).recordings
    l.recordings += listing(["cat": 5], split: .test).recordings
    let plan = try LabelPlan.make(
      listing: l,
      options: LabelOptions(
        words: ["yes", "no"], unknownPercent: LabelOptions.everyClipPercent, silencePercent: 0),
      seed: 3)
    let unknown = plan.selected.filter { plan.labels[$0.label] == "_unknown_" }
    #expect(unknown.count == 8)
    #expect(unknown.filter { $0.recording.split == .test }.count == 5)
  }

  @Test func sharesAreConfigurableAndSilenceFolderWins() throws {
    let l = listing(["yes": 20, "no": 20, "bed": 30, "_silence_": 4], noise: true)
    let plan = try LabelPlan.make(
      listing: l, options: LabelOptions(words: ["yes", "no"], unknownPercent: 25), seed: 1)
    #expect(plan.selected.filter { $0.label == 2 }.count == 10)
    #expect(plan.selected.filter { $0.label == 3 }.count == 4)
    #expect(plan.generatedSilence.isEmpty)
    let none = try LabelPlan.make(
      listing: listing(["yes": 20, "no": 20, "bed": 5], noise: true),
      options: LabelOptions(words: ["yes", "no"], unknownPercent: 0, silencePercent: 0), seed: 1)
    #expect(none.labels == ["yes", "no"])
  }

  @Test func noNoiseMeansNoSilenceWithAWarning() throws {
    let plan = try LabelPlan.make(
      listing: listing(["yes": 5, "no": 5]), options: LabelOptions(words: ["yes", "no"]), seed: 0)
    #expect(plan.labels == ["yes", "no"])
    #expect(plan.warnings.count == 1)
  }

  @Test func errors() throws {
    #expect(
      throws: DatasetError.wordsNotFound(path: "/d", words: ["maybe"], available: ["no", "yes"])
    ) {
      try LabelPlan.make(
        listing: listing(["yes": 1, "no": 1]), options: LabelOptions(words: ["yes", "maybe"]),
        seed: 0)
    }
    #expect(throws: DatasetError.tooFewLabels(path: "/d", labels: ["yes"])) {
      try LabelPlan.make(listing: listing(["yes": 3]), options: LabelOptions(), seed: 0)
    }
  }

  @Test func existingLabelsKeepTheirOrder() throws {
    let plan = try LabelPlan.make(
      listing: listing(["up": 3, "yes": 3]), options: LabelOptions(), existing: ["yes", "no"],
      seed: 0)
    #expect(plan.labels == ["yes", "no", "up"])
  }
}
