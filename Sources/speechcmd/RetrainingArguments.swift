import ArgumentParser
import SpeechCommands

/// The options of `speechcmd train --from` that say how the old model is kept
/// (defaults: `RetrainingOptions()`).
struct RetrainingArguments: ParsableArguments {
  @Option(
    help:
      "With --from: weight of distillation towards the old model's probabilities on the new recordings and on noise; 0: off (default 1)."
  )
  var distill: Float?

  @Option(help: "With --from: distillation temperature (default 2).")
  var distillTemperature: Float?

  @Option(
    help:
      "With --from: L2 pull of the old weights towards their old values; 0: off (default 0.3; 0 with --data or when the model keeps a replay memory)."
  )
  var anchor: Float?

  @Option(
    help:
      "With --from: each label's clips are repeated (augmented afresh) up to this many rows per epoch (default 128)."
  )
  var minimumRows: Int?

  @Option(
    help:
      "With --from: rows made by inverting the old model, as a fraction of the training rows (default 0)."
  )
  var invertedRows: Double?

  @Option(
    help:
      "With --from: time-reversed copies of the training clips distilled as non-words, as a fraction of the training rows (default 0)."
  )
  var reversedRows: Double?

  @Option(
    help:
      "With --from: standard deviation of the noise added to each replayed memory row, in standardised feature units (default 0.6)."
  )
  var memoryJitter: Float?

  @Option(
    help:
      "With --from: added to each new label's logit once trained, in log odds (default 1.25 with --data, else 0)."
  )
  var newLabelBias: Float?

  @Flag(help: "With --from: start new output units from their takes' mean activation (imprinting).")
  var imprint = false

  /// Whether any of these options was given.
  var isGiven: Bool {
    distill != nil || distillTemperature != nil || anchor != nil || minimumRows != nil
      || invertedRows != nil
      || reversedRows != nil || memoryJitter != nil || newLabelBias != nil
      || imprint
  }

  /// The options these arguments describe, on top of `base` (`RetrainingOptions()`, or
  /// `.withOldData` when the old data is mixed in).
  func options(base: RetrainingOptions) -> RetrainingOptions {
    var o = base
    if let distill { o.distillWeight = distill }
    if let distillTemperature { o.temperature = distillTemperature }
    if let anchor { o.anchor = anchor }
    if let minimumRows { o.minimumRowsPerLabel = minimumRows }
    if imprint { o.imprint = true }
    if let invertedRows { o.invertedShare = invertedRows }
    if let reversedRows { o.reversedShare = reversedRows }
    if let memoryJitter { o.memoryJitter = memoryJitter }
    if let newLabelBias { o.newLabelBias = newLabelBias }
    return o
  }
}
