import SpeechModel

extension TrainingSession {
  /// `network` with `request.retraining.newLabelBias` added to the logit of every label the old
  /// model did not have (its output units past the old model's; see
  /// `RetrainingOptions.newLabelBias`). A new model, or retraining that adds no label, is
  /// returned unchanged.
  ///
  /// Applied to the calibrated network, so the shift is in log odds of its probabilities, before
  /// the operating point is fitted on it.
  func biasingNewLabels(_ network: MLP) -> MLP {
    let bias = request.retraining.newLabelBias
    guard let old = oldModel, bias != 0, network.outputSize > old.metadata.labels.count else {
      return network
    }
    var out = network
    let biases = network.biasOffset(network.layerCount - 1)
    for unit in old.metadata.labels.count..<network.outputSize {
      out.parameters[biases + unit] += bias
    }
    return out
  }
}
