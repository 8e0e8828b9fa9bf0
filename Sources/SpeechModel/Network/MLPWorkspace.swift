/// Scratch memory for an `MLP`'s forward and backward passes, reused from call to call so a
/// training step or a one-sample prediction allocates (almost) nothing.
///
/// Holds the activations, dropout masks and deltas of every layer for up to `capacity` rows,
/// and the gradients of the last `lossAndGradients(…, workspace:…)` call. It adapts itself
/// (reallocating) when used with a different architecture or a larger batch.
/// Not thread-safe: use one workspace per thread (the model itself can be shared).
public final class MLPWorkspace {
  /// Layer widths the buffers are laid out for: input, hidden…, output.
  private var sizes: [Int] = []
  /// Rows the buffers can hold.
  public private(set) var capacity = 0
  /// Rows of the last pass.
  public private(set) var rows = 0
  /// Per layer, (capacity, outputs): the layer's output (after ReLU and dropout for hidden
  /// layers; the logits for the last).
  private var activations: [UnsafeMutablePointer<Float>] = []
  /// Per layer, (capacity, outputs): d(loss)/d(pre-activation).
  private var deltas: [UnsafeMutablePointer<Float>] = []
  /// Per hidden layer, (capacity, outputs): the dropout factors of the last training pass.
  private var masks: [UnsafeMutablePointer<Float>] = []
  /// (capacity, outputs): one-hot targets built for binary cross-entropy.
  private var targetBuffer: UnsafeMutablePointer<Float>?
  /// Gradients of the last `lossAndGradients(…, workspace:…)` call, in `MLP.parameters` layout.
  public internal(set) var gradients = Gradients(values: [])
  /// Offsets of each layer's weight and bias in the parameter layout.
  private(set) var weightOffsets: [Int] = []
  private(set) var biasOffsets: [Int] = []

  /// An empty workspace; buffers are allocated on first use.
  public init() {}

  deinit { release() }

  /// The logits of the last pass, rows × outputs (a copy).
  public var logits: Matrix {
    guard let last = activations.last else { return Matrix(rows: 0, cols: 0) }
    let cols = sizes.last!
    return Matrix(
      rows: rows, cols: cols, values: Array(UnsafeBufferPointer(start: last, count: rows * cols)))
  }

  /// Clips `gradients` in place by global norm (see `Gradients.clipGlobalNorm`), without the
  /// copy that clipping a `var` copy of `gradients` would make. Returns the norm before clipping.
  @discardableResult
  public func clipGradients(globalNorm maxNorm: Float) -> Double {
    gradients.clipGlobalNorm(maxNorm)
  }

  /// Adds to `gradients` the gradient of the anchor penalty (strength/2)·‖θ − θ₀‖² over `ranges`
  /// of the parameter layout, θ being `model.parameters` and θ₀ `reference` (the same layout):
  /// an L2 pull towards earlier weights (retraining keeps what the old network knew).
  public func addAnchorGradient(
    model: MLP, reference: [Float], ranges: [Range<Int>], strength: Float
  ) {
    precondition(reference.count == model.parameterCount, "reference must match the model")
    guard strength > 0 else { return }
    model.parameters.withUnsafeBufferPointer { theta in
      reference.withUnsafeBufferPointer { ref in
        gradients.values.withUnsafeMutableBufferPointer { g in
          for range in ranges {
            for i in range { g[i] += strength * (theta[i] - ref[i]) }
          }
        }
      }
    }
  }

  /// Makes room for `rows` samples of `model`.
  func prepare(for model: MLP, rows: Int) {
    let wanted = [model.inputSize] + model.hidden + [model.outputSize]
    if wanted != sizes || rows > capacity {
      release()
      sizes = wanted
      capacity = max(rows, capacity, 1)
      for width in wanted.dropFirst() {
        activations.append(.allocate(capacity: capacity * width))
        deltas.append(.allocate(capacity: capacity * width))
        masks.append(.allocate(capacity: capacity * width))
      }
      targetBuffer = .allocate(capacity: capacity * model.outputSize)
      weightOffsets = (0..<model.layerCount).map(model.weightOffset)
      biasOffsets = (0..<model.layerCount).map(model.biasOffset)
    }
    self.rows = rows
  }

  private func release() {
    for p in activations + deltas + masks { p.deallocate() }
    targetBuffer?.deallocate()
    activations = []
    deltas = []
    masks = []
    targetBuffer = nil
    sizes = []
    capacity = 0
  }

  /// Forward pass of `rows` samples at `x` (rows × inputSize); the logits end in
  /// `activations.last`. Dropout only when `training` and the model's rate is above 0.
  /// Returns the logits buffer.
  @discardableResult
  func forward(
    _ model: MLP, x: UnsafePointer<Float>, rows: Int, training: Bool,
    using rng: inout some RandomNumberGenerator
  ) -> UnsafeMutablePointer<Float> {
    prepare(for: model, rows: rows)
    let layers = model.layerCount
    model.parameters.withUnsafeBufferPointer { p in
      let params = p.baseAddress!
      var input = x
      for l in 0..<layers {
        let inputs = sizes[l]
        let outputs = sizes[l + 1]
        let y = activations[l]
        denseForward(
          x: input, rows: rows, inputs: inputs, outputs: outputs,
          weight: params + weightOffsets[l], y: y)
        if l < layers - 1 {
          addBiasReLU(y, bias: params + biasOffsets[l], rows: rows, outputs: outputs)
          if training && model.dropout > 0 {
            applyDropout(y, mask: masks[l], count: rows * outputs, rate: model.dropout, using: &rng)
          }
        } else {
          addBias(y, bias: params + biasOffsets[l], rows: rows, outputs: outputs)
        }
        input = UnsafePointer(y)
      }
    }
    return activations[layers - 1]
  }

  /// Backward pass after `forward` on the same `x`: takes d(loss)/d(logits) from `deltas.last`
  /// and fills `gradients`; with `inputGradient` (rows × inputs), also d(loss)/d(x).
  func backward(
    _ model: MLP, x: UnsafePointer<Float>, training: Bool,
    inputGradient: UnsafeMutablePointer<Float>? = nil
  ) {
    let layers = model.layerCount
    let useMask = training && model.dropout > 0
    // Made here, not in `prepare`: inference never needs them (a model's worth of zeros).
    if gradients.values.count != model.parameterCount {
      gradients = Gradients(zerosFor: model)
    }
    model.parameters.withUnsafeBufferPointer { p in
      gradients.values.withUnsafeMutableBufferPointer { g in
        let params = p.baseAddress!
        let grads = g.baseAddress!
        for l in stride(from: layers - 1, through: 0, by: -1) {
          let inputs = sizes[l]
          let outputs = sizes[l + 1]
          let input = l == 0 ? x : UnsafePointer(activations[l - 1])
          denseBackward(
            dy: deltas[l], x: input, rows: rows, inputs: inputs, outputs: outputs,
            weight: params + weightOffsets[l], dWeight: grads + weightOffsets[l],
            dBias: grads + biasOffsets[l], dx: l == 0 ? inputGradient : deltas[l - 1])
          if l > 0 {
            reluBackward(
              deltas[l - 1], activation: activations[l - 1],
              mask: useMask ? UnsafePointer(masks[l - 1]) : nil, count: rows * inputs)
          }
        }
      }
    }
  }

  /// Calls `body` with the last layer's delta buffer (rows × outputs), for a caller-computed
  /// d(loss)/d(logits) after `forward`.
  func withLogitGradient(_ body: (UnsafeMutablePointer<Float>) -> Double) -> Double {
    body(deltas.last!)
  }

  /// Evaluates the loss of the logits of the last `forward` and writes d(loss)/d(logits) into the
  /// last layer's delta (`LossKind.lossAndGradient`). Returns the reduced loss.
  func lossGradient(targets: Targets, options: LossOptions) -> Double {
    precondition(targets.count == rows, "one target per sample")
    return options.kind.lossAndGradient(
      logits: activations.last!, rows: rows, classes: sizes.last!, targets: targets,
      options: options, scratch: targetBuffer!, gradient: deltas.last!)
  }
}
