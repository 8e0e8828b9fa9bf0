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
  /// The convolution the buffers below are laid out for (nil: none).
  private var convolution: FrameConvolution?
  /// Per convolution layer, (capacity · framesOut, width · channelsIn): its input's patches.
  private var patches: [UnsafeMutablePointer<Float>] = []
  /// Per convolution layer, the same shape: d(loss)/d(patches).
  private var patchGradients: [UnsafeMutablePointer<Float>] = []
  /// Per convolution layer, (capacity, framesOut · channels): its output after ReLU (the last
  /// one's also after dropout), and d(loss)/d(that output), then d(loss)/d(pre-activation).
  private var convolutionOutputs: [UnsafeMutablePointer<Float>] = []
  private var convolutionDeltas: [UnsafeMutablePointer<Float>] = []
  /// (capacity, the last layer's output width): its dropout factors of the last training pass.
  private var convolutionMask: UnsafeMutablePointer<Float>?
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
    let wanted = model.denseSizes
    if wanted != sizes || model.convolution != convolution || rows > capacity {
      release()
      sizes = wanted
      convolution = model.convolution
      capacity = max(rows, capacity, 1)
      for width in wanted.dropFirst() {
        activations.append(.allocate(capacity: capacity * width))
        deltas.append(.allocate(capacity: capacity * width))
        masks.append(.allocate(capacity: capacity * width))
      }
      if let convolution {
        for (i, layer) in convolution.layers.enumerated() {
          let shape = convolution.shape(i)
          let patchValues = capacity * shape.framesOut * layer.width * shape.channelsIn
          patches.append(.allocate(capacity: patchValues))
          patchGradients.append(.allocate(capacity: patchValues))
          convolutionOutputs.append(.allocate(capacity: capacity * shape.framesOut * layer.channels))
          convolutionDeltas.append(.allocate(capacity: capacity * shape.framesOut * layer.channels))
        }
        convolutionMask = .allocate(capacity: capacity * convolution.outputSize)
      }
      targetBuffer = .allocate(capacity: capacity * model.outputSize)
      weightOffsets = (0..<model.layerCount).map(model.weightOffset)
      biasOffsets = (0..<model.layerCount).map(model.biasOffset)
    }
    self.rows = rows
  }

  private func release() {
    for p in activations + deltas + masks { p.deallocate() }
    for p in patches + patchGradients + convolutionOutputs + convolutionDeltas { p.deallocate() }
    convolutionMask?.deallocate()
    targetBuffer?.deallocate()
    activations = []
    deltas = []
    masks = []
    patches = []
    patchGradients = []
    convolutionOutputs = []
    convolutionDeltas = []
    convolutionMask = nil
    convolution = nil
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
      if let convolution {
        input = forwardThroughConvolutions(
          convolution, x: x, rows: rows, params: params, training: training && model.dropout > 0,
          dropout: model.dropout, using: &rng)
      }
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
        let denseInput = convolution.map { _ in UnsafePointer(convolutionOutputs.last!) } ?? x
        for l in stride(from: layers - 1, through: 0, by: -1) {
          let inputs = sizes[l]
          let outputs = sizes[l + 1]
          let input = l == 0 ? denseInput : UnsafePointer(activations[l - 1])
          let below = convolution == nil ? inputGradient : convolutionDeltas.last!
          denseBackward(
            dy: deltas[l], x: input, rows: rows, inputs: inputs, outputs: outputs,
            weight: params + weightOffsets[l], dWeight: grads + weightOffsets[l],
            dBias: grads + biasOffsets[l], dx: l == 0 ? below : deltas[l - 1])
          if l > 0 {
            reluBackward(
              deltas[l - 1], activation: activations[l - 1],
              mask: useMask ? UnsafePointer(masks[l - 1]) : nil, count: rows * inputs)
          }
        }
        if let convolution {
          backwardThroughConvolutions(
            convolution, x: x, params: params, grads: grads, dropout: useMask,
            inputGradient: inputGradient)
        }
      }
    }
  }

  /// The convolutions' forward pass on `rows` inputs at `x`; returns their last layer's output
  /// (rows × `convolution.outputSize`), after dropout when `training`.
  private func forwardThroughConvolutions(
    _ convolution: FrameConvolution, x: UnsafePointer<Float>, rows: Int,
    params: UnsafePointer<Float>, training: Bool, dropout: Float,
    using rng: inout some RandomNumberGenerator
  ) -> UnsafePointer<Float> {
    var input = x
    for (i, layer) in convolution.layers.enumerated() {
      let shape = convolution.shape(i)
      let inputs = layer.width * shape.channelsIn
      gatherPatches(
        input, rows: rows, framesIn: shape.framesIn, channelsIn: shape.channelsIn, layer: layer,
        framesOut: shape.framesOut, into: patches[i])
      convolutionForward(
        col: patches[i], rows: rows, framesOut: shape.framesOut, inputs: inputs, layer: layer,
        weight: params + convolution.weightOffset(i), bias: params + convolution.biasOffset(i),
        y: convolutionOutputs[i])
      input = UnsafePointer(convolutionOutputs[i])
    }
    if training {
      applyDropout(
        convolutionOutputs.last!, mask: convolutionMask!, count: rows * convolution.outputSize,
        rate: dropout, using: &rng)
    }
    return input
  }

  /// The convolutions' backward pass, after the dense layers' has left d(loss)/d(output of the
  /// last convolution) in `convolutionDeltas.last`; with `inputGradient`, also d(loss)/d(x).
  private func backwardThroughConvolutions(
    _ convolution: FrameConvolution, x: UnsafePointer<Float>, params: UnsafePointer<Float>,
    grads: UnsafeMutablePointer<Float>, dropout: Bool,
    inputGradient: UnsafeMutablePointer<Float>?
  ) {
    let last = convolution.layers.count - 1
    reluBackward(
      convolutionDeltas[last], activation: convolutionOutputs[last],
      mask: dropout ? UnsafePointer(convolutionMask!) : nil, count: rows * convolution.outputSize)
    for i in stride(from: last, through: 0, by: -1) {
      let layer = convolution.layers[i]
      let shape = convolution.shape(i)
      let inputs = layer.width * shape.channelsIn
      let offset = convolution.weightOffset(i)
      let below = i > 0 ? convolutionDeltas[i - 1] : inputGradient
      denseBackward(
        dy: convolutionDeltas[i], x: patches[i], rows: rows * shape.framesOut, inputs: inputs,
        outputs: layer.channels, weight: params + offset, dWeight: grads + offset,
        dBias: grads + convolution.biasOffset(i), dx: below == nil ? nil : patchGradients[i])
      guard let below else { continue }
      scatterPatches(
        patchGradients[i], rows: rows, framesIn: shape.framesIn, channelsIn: shape.channelsIn,
        layer: layer, framesOut: shape.framesOut, into: below)
      if i > 0 {
        reluBackward(
          below, activation: convolutionOutputs[i - 1], mask: nil,
          count: rows * shape.framesIn * shape.channelsIn)
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
