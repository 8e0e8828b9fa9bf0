import SpeechModel

/// The streams a model's live detection is measured on (`speechcmd bench listen`) and its
/// operating point is fitted on (training, validation split): built deterministically from clips
/// of one split with `StreamBuilder`.
///
/// - *positive*: `words` command-word clips, each followed by `gapClips` real background clips
///   (`_silence_` clips: 1 s of the recording room each), the truth being the command words;
/// - *negative*: `nonCommandWords` `_unknown_` clips laid out the same way (any detection there is
///   a false accept).
/// Clips are drawn in a seeded shuffled order and reused only when more are asked for than exist.
public struct DetectionStreams: Sendable {
  /// What goes into the streams.
  public struct Recipe: Sendable, Equatable, Codable {
    /// Command words in the positive stream. Default 100.
    public var words: Int = 100
    /// Non-command words in the negative stream. Default 100.
    public var nonCommandWords: Int = 100
    /// Background clips after each word (and one before the first). Default 2.
    public var gapClips: Int = 2
    /// Seed of the draws. Default 1.
    public var seed: UInt64 = 1

    /// The defaults above.
    public init() {}
  }

  /// The positive stream (at the clips' rate) and its truth (where each word's clip starts).
  public var positive: (audio: [Float], truth: [TimedLabel])
  /// The negative stream and the number of non-command words in it.
  public var negative: (audio: [Float], words: Int)

  /// Builds both streams from `commands` (label and samples), `nonCommands` and `background`
  /// clips at `sampleRate`. Without background clips the gaps are `gapClips` seconds of zeros.
  public init(
    commands: [(label: String, samples: [Float])], nonCommands: [[Float]],
    background: [[Float]], sampleRate: Int, recipe: Recipe = Recipe()
  ) {
    var rng = SeededGenerator(seed: recipe.seed)
    var options = StreamBuilder.Options()
    options.sampleRate = sampleRate
    options.leadSeconds = 0
    options.gapSeconds = 0...0
    options.noiseVolume = 0
    let builder = StreamBuilder(options: options)
    let silence = [Float](repeating: 0, count: sampleRate)
    var gaps = Self.draw(background.isEmpty ? [silence] : background, using: &rng)
    func layout(_ words: [(label: String, samples: [Float])]) -> [(label: String, samples: [Float])]
    {
      var clips: [(label: String, samples: [Float])] = []
      for _ in 0..<recipe.gapClips { clips.append((silenceLabel, gaps.next())) }
      for word in words {
        clips.append(word)
        for _ in 0..<recipe.gapClips { clips.append((silenceLabel, gaps.next())) }
      }
      return clips
    }
    var commandOrder = Self.draw(commands, using: &rng)
    let commandWords = commands.isEmpty ? [] : (0..<recipe.words).map { _ in commandOrder.next() }
    let built = builder.build(clips: layout(commandWords), noise: [], using: &rng)
    positive = (built.audio, built.truth)
    var otherOrder = Self.draw(nonCommands, using: &rng)
    let others =
      nonCommands.isEmpty
      ? [] : (0..<recipe.nonCommandWords).map { _ in (unknownLabel, otherOrder.next()) }
    negative = (builder.build(clips: layout(others), noise: [], using: &rng).audio, others.count)
  }

  /// An endless sequence over `items` (not empty): a seeded shuffle, reshuffled each time it
  /// runs out.
  struct Draw<Item> {
    let items: [Item]
    var order: [Int] = []
    var position = 0
    var rng: SeededGenerator

    mutating func next() -> Item {
      if position == order.count {
        order = Array(items.indices).shuffled(using: &rng)
        position = 0
      }
      position += 1
      return items[order[position - 1]]
    }
  }

  /// A `Draw` over `items` (not empty) seeded from `rng`, which advances once.
  static func draw<Item>(_ items: [Item], using rng: inout SeededGenerator) -> Draw<Item> {
    Draw(items: items, rng: SeededGenerator(seed: rng.next()))
  }
}
