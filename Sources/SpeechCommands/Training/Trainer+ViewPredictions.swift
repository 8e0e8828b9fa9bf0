import SpeechModel

extension Trainer {
  /// The class `network` gives each clip of `indices` as `Classifier` would: the mean of the
  /// probabilities (`loss`'s softmax or sigmoids) of the clip's views (`FrontEnd.viewFeatures`),
  /// each view normalised by `normaliser`; its largest entry (the first on ties). With one view
  /// this is the argmax of the logits of `features(of:normaliser:)`.
  ///
  /// Training and `evaluate` report accuracies with it, so that they are the accuracies of
  /// `classify`; the epochs' validation figures and the calibration use the clip itself (one
  /// view), which ranks epochs and temperatures alike at a fifth of the cost.
  public func predictions(
    _ network: MLP, of indices: [Int], normaliser: FeatureStandardiser, loss: LossKind
  ) -> [Int] {
    let views = frontEnd.views
    if views == 1 {
      return argmax(Trainer.logits(network, features(of: indices, normaliser: normaliser)))
    }
    let d = frontEnd.inputSize
    let width = views * d
    let clips = dataset.clips
    let fe = frontEnd
    var values = Parallel.fillRows(rows: indices.count, cols: width) { r, dest in
      let f = fe.viewFeatures(clip: clips[indices[r]])
      for c in 0..<width { dest[c] = f[c] }
    }
    normaliser.apply(to: &values, cols: d)
    var predicted: [Int] = []
    predicted.reserveCapacity(indices.count)
    let workspace = MLPWorkspace()
    let chunk = 256
    var start = 0
    while start < indices.count {
      let end = min(indices.count, start + chunk)
      let rows = Matrix(
        rows: (end - start) * views, cols: d,
        values: Array(values[(start * width)..<(end * width)]))
      let perView = network.probabilities(rows, loss: loss, workspace: workspace)
      predicted += argmax(Classifier.meanOfViews(perView, views: views))
      start = end
    }
    return predicted
  }
}
