import SpeechAudio

/// Fits `listen`'s settings for a freshly trained model on streams built from the validation
/// split ("few false accepts first", `DetectionSweep.operatingPoint`): the threshold (0.30 …
/// 0.95) and the averaging window (250, 500 or 750 ms). Suppression and minimum count stay at
/// `listen`'s defaults.
///
/// The positive stream holds every validation clip of a command word once (decoded again from
/// its file, so the words keep their recorded surroundings rather than the padding of training
/// clips), the negative stream every other non-silence validation clip (`_unknown_`), each word
/// followed by two background clips (the validation `_silence_` clips, real or drawn from the
/// noise). Held-out voices are never touched: only the validation split is read.
enum OperatingPointFitter {
  /// Averaging windows tried, in milliseconds.
  static let averageWindowsMs: [Int64] = [250, 500, 750]

  /// The operating point for `classifier` on `dataset`'s validation split, or nil when the split
  /// holds no command word or no non-command word (nothing to fit on).
  static func fit(classifier: Classifier, dataset: LoadedDataset) -> OperatingPoint? {
    guard missingStreams(in: dataset) == nil else { return nil }
    let rate = classifier.sampleRate
    var commands: [(label: String, samples: [Float])] = []
    var others: [[Float]] = []
    var background: [[Float]] = []
    for index in dataset.indices(in: .validation) {
      let example = dataset.examples[index]
      let label = dataset.labels[example.label]
      if label == silenceLabel {
        background.append(dataset.clips[index])
        continue
      }
      let samples =
        (try? AudioFile.read(at: example.path, sampleRate: rate)) ?? dataset.clips[index]
      if label.hasPrefix("_") {
        others.append(samples)
      } else {
        commands.append((label, samples))
      }
    }
    var recipe = DetectionStreams.Recipe()
    recipe.words = commands.count
    recipe.nonCommandWords = others.count
    let streams = DetectionStreams(
      commands: commands, nonCommands: others, background: background, sampleRate: rate,
      recipe: recipe)
    let positive = StreamScores(classifier: classifier, audio: streams.positive.audio)
    let negative = StreamScores(classifier: classifier, audio: streams.negative.audio)
    var best: (point: DetectionSweepPoint, averageMs: Int64)?
    var candidates: [DetectionSweepPoint] = []
    var averages: [Int64] = []
    for averageMs in averageWindowsMs {
      var base = ScoreSmoother.Options()
      base.averageWindowMs = averageMs
      let points = DetectionSweep.run(
        positive: positive, truth: streams.positive.truth, negative: negative,
        negativeWords: streams.negative.words, base: base,
        thresholds: DetectionSweep.defaultThresholds)
      candidates += points
      averages += points.map { _ in averageMs }
    }
    if let chosen = DetectionSweep.operatingPoint(candidates),
      let index = candidates.firstIndex(of: chosen)
    {
      best = (chosen, averages[index])
    }
    guard let best else { return nil }
    let defaults = ScoreSmoother.Options()
    return OperatingPoint(
      threshold: best.point.threshold, averageWindowMs: best.averageMs,
      suppressionMs: defaults.suppressionMs, minimumCount: defaults.minimumCount,
      fit: OperatingPointFit(
        words: streams.positive.truth.count, nonCommandWords: streams.negative.words,
        right: best.point.right, wrong: best.point.wrong, spurious: best.point.spurious,
        falseAcceptsPerWord: best.point.falseAcceptsPerWord))
  }

  /// Why the validation split cannot make the streams `fit` needs (a command word and a
  /// non-command word, `_unknown_` or any other label starting with `_` but `_silence_`), or nil.
  static func missingStreams(in dataset: LoadedDataset) -> String? {
    var commands = 0
    var others = 0
    for index in dataset.indices(in: .validation) {
      let label = dataset.labels[dataset.examples[index].label]
      if label == silenceLabel { continue }
      if label.hasPrefix("_") { others += 1 } else { commands += 1 }
    }
    if commands == 0 { return "the validation split has no command words" }
    if others == 0 {
      return "the validation split has no non-command words (\(unknownLabel)) to measure false "
        + "accepts on"
    }
    return nil
  }
}
