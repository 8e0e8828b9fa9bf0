import Foundation

/// Inference and training passes. The forms taking an `MLPWorkspace` reuse its buffers and are the
/// ones to use in loops; the others make a workspace per call.
extension MLP {
  /// Logits of a batch: `x` is batch × inputSize, the result batch × outputSize. No dropout.
  public func logits(_ x: Matrix) -> Matrix {
    logits(x, workspace: MLPWorkspace())
  }

  /// Logits of a batch, using `workspace`'s buffers.
  public func logits(_ x: Matrix, workspace: MLPWorkspace) -> Matrix {
    precondition(x.cols == inputSize, "expected \(inputSize) features per row, got \(x.cols)")
    guard x.rows > 0 else { return Matrix(rows: 0, cols: outputSize) }
    var unused = SeededGenerator(seed: 0)
    x.values.withUnsafeBufferPointer { v in
      _ = workspace.forward(self, x: v.baseAddress!, rows: x.rows, training: false, using: &unused)
    }
    return workspace.logits
  }

  /// Logits of one sample of `inputSize` features, using `workspace`'s buffers: the fast path of
  /// live classification.
  public func logits(sample: [Float], workspace: MLPWorkspace) -> [Float] {
    precondition(sample.count == inputSize, "expected \(inputSize) features, got \(sample.count)")
    var unused = SeededGenerator(seed: 0)
    let out = sample.withUnsafeBufferPointer { v in
      workspace.forward(self, x: v.baseAddress!, rows: 1, training: false, using: &unused)
    }
    return Array(UnsafeBufferPointer(start: out, count: outputSize))
  }

  /// Class probabilities of a batch: softmax of each row for cross-entropy models (rows sum to
  /// 1), an independent sigmoid per class for binary cross-entropy models.
  public func probabilities(_ x: Matrix, loss: LossKind) -> Matrix {
    probabilities(x, loss: loss, workspace: MLPWorkspace())
  }

  /// Class probabilities of a batch, using `workspace`'s buffers.
  public func probabilities(_ x: Matrix, loss: LossKind, workspace: MLPWorkspace) -> Matrix {
    var out = logits(x, workspace: workspace)
    let (rows, classes) = (out.rows, out.cols)
    out.values.withUnsafeMutableBufferPointer { v in
      loss.activate(v.baseAddress!, rows: rows, classes: classes)
    }
    return out
  }

  /// Class probabilities of one sample, using `workspace`'s buffers.
  public func probabilities(sample: [Float], loss: LossKind, workspace: MLPWorkspace) -> [Float] {
    var out = logits(sample: sample, workspace: workspace)
    out.withUnsafeMutableBufferPointer { v in
      loss.activate(v.baseAddress!, rows: 1, classes: outputSize)
    }
    return out
  }

  /// Forward and backward pass on a batch: returns the reduced loss (see `LossOptions`; for
  /// `.none`, the sum), the logits and d(loss)/d(parameter) for every parameter. Dropout is applied
  /// when `training` is true, with masks drawn from `rng`.
  public func lossAndGradients(
    _ x: Matrix, targets: Targets, loss: LossOptions, training: Bool,
    using rng: inout some RandomNumberGenerator
  ) -> (loss: Double, logits: Matrix, gradients: Gradients) {
    let workspace = MLPWorkspace()
    let value = lossAndGradients(
      x, targets: targets, loss: loss, training: training, workspace: workspace, using: &rng)
    return (value, workspace.logits, workspace.gradients)
  }

  /// Forward and backward pass on a batch using `workspace`'s buffers: returns the reduced loss
  /// and leaves the gradients in `workspace.gradients` and the logits in `workspace.logits`.
  /// This is the training loop's form: nothing is allocated once the workspace has grown.
  public func lossAndGradients(
    _ x: Matrix, targets: Targets, loss: LossOptions, training: Bool, workspace: MLPWorkspace,
    using rng: inout some RandomNumberGenerator
  ) -> Double {
    precondition(x.cols == inputSize, "expected \(inputSize) features per row, got \(x.cols)")
    precondition(x.rows > 0, "a batch needs at least one sample")
    return x.values.withUnsafeBufferPointer { v in
      let input = v.baseAddress!
      workspace.forward(self, x: input, rows: x.rows, training: training, using: &rng)
      let value = workspace.lossGradient(targets: targets, options: loss)
      workspace.backward(self, x: input, training: training)
      return value
    }
  }
}

extension MLP {
  /// Forward and backward pass with a loss the caller computes: `lossGradient` receives the
  /// logits (rows × outputSize, row-major) and must write d(loss)/d(logits) into the second
  /// buffer (the same shape); it returns the loss. For losses `LossOptions` cannot express (e.g.
  /// distillation on a subset of the outputs). Gradients end in `workspace.gradients`.
  public func lossAndGradients(
    _ x: Matrix, training: Bool, workspace: MLPWorkspace,
    using rng: inout some RandomNumberGenerator,
    lossGradient: (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Double
  ) -> Double {
    precondition(x.cols == inputSize, "expected \(inputSize) features per row, got \(x.cols)")
    precondition(x.rows > 0, "a batch needs at least one sample")
    return x.values.withUnsafeBufferPointer { v in
      let input = v.baseAddress!
      let logits = workspace.forward(self, x: input, rows: x.rows, training: training, using: &rng)
      let value = workspace.withLogitGradient { lossGradient(UnsafePointer(logits), $0) }
      workspace.backward(self, x: input, training: training)
      return value
    }
  }
}

extension MLP {
  /// d(loss)/d(x) of a batch without dropout, for a loss whose gradient with respect to the
  /// logits `lossGradient` writes (as in `lossAndGradients(_:training:workspace:using:
  /// lossGradient:)`): returns the loss and the input gradient, rows × inputSize. Used to move
  /// inputs towards what the network answers (e.g. examples of a label, made from the network).
  public func inputGradients(
    _ x: Matrix, workspace: MLPWorkspace,
    lossGradient: (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Double
  ) -> (loss: Double, gradient: Matrix) {
    precondition(x.cols == inputSize, "expected \(inputSize) features per row, got \(x.cols)")
    precondition(x.rows > 0, "a batch needs at least one sample")
    var dx = [Float](repeating: 0, count: x.rows * inputSize)
    var unused = SeededGenerator(seed: 0)
    let value = x.values.withUnsafeBufferPointer { v in
      let input = v.baseAddress!
      let logits = workspace.forward(self, x: input, rows: x.rows, training: false, using: &unused)
      let value = workspace.withLogitGradient { lossGradient(UnsafePointer(logits), $0) }
      dx.withUnsafeMutableBufferPointer { d in
        workspace.backward(self, x: input, training: false, inputGradient: d.baseAddress!)
      }
      return value
    }
    return (value, Matrix(rows: x.rows, cols: inputSize, values: dx))
  }
}
