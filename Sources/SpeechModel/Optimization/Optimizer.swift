/// Updates a network's parameters from its gradients; optimisers keep their own state (moments,
/// velocities) between steps and follow PyTorch's `torch.optim` update rules exactly.
///
/// State is sized on the first step; if the model's parameter count changes (`addOutputs`), the
/// state restarts from zero.
public protocol Optimizer: Sendable {
  /// Applies one update with step size `learningRate` (from a `LearningRateSchedule`).
  mutating func step(_ model: inout MLP, _ g: Gradients, learningRate: Float)
}

/// Checks the gradient layout against the model and sizes optimiser state.
@inline(__always)
func prepareState(_ state: inout [Float], for model: MLP, _ g: Gradients) -> Bool {
  precondition(
    g.values.count == model.parameters.count,
    "gradients have \(g.values.count) values, the model \(model.parameters.count) parameters")
  guard state.count != model.parameters.count else { return false }
  state = [Float](repeating: 0, count: model.parameters.count)
  return true
}
