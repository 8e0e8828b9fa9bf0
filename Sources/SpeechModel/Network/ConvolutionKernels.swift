// Kernels of the frame convolutions (`FrameConvolution`): a layer is the dense layer's product
// over patches of its input, so the work is gathering the patches (im2col) and scattering their
// gradients back (col2im); the products are `denseForward` / `denseBackward`.

/// The patches of one layer's input, one row per output frame:
/// `col[(r·framesOut + t), j·channelsIn + c] = x[r, (t + j·dilation)·channelsIn + c]`.
/// x: (rows, framesIn · channelsIn)  col: (rows · framesOut, width · channelsIn)
func gatherPatches(
  _ x: UnsafePointer<Float>, rows: Int, framesIn: Int, channelsIn: Int, layer: ConvolutionLayer,
  framesOut: Int, into col: UnsafeMutablePointer<Float>
) {
  let tap = channelsIn
  var out = col
  for r in 0..<rows {
    let row = x + r * framesIn * channelsIn
    for t in 0..<framesOut {
      for j in 0..<layer.width {
        out.update(from: row + (t + j * layer.dilation) * channelsIn, count: tap)
        out += tap
      }
    }
  }
}

/// The adjoint of `gatherPatches`: every patch value's gradient added back to the input value
/// it was copied from; `dx` is overwritten.
/// dcol: (rows · framesOut, width · channelsIn)  dx: (rows, framesIn · channelsIn)
func scatterPatches(
  _ dcol: UnsafePointer<Float>, rows: Int, framesIn: Int, channelsIn: Int,
  layer: ConvolutionLayer, framesOut: Int, into dx: UnsafeMutablePointer<Float>
) {
  dx.update(repeating: 0, count: rows * framesIn * channelsIn)
  let end = vectorEnd(channelsIn)
  var from = dcol
  for r in 0..<rows {
    let row = dx + r * framesIn * channelsIn
    for t in 0..<framesOut {
      for j in 0..<layer.width {
        let to = row + (t + j * layer.dilation) * channelsIn
        var c = 0
        while c < end {
          store(load(to, c) + load(from, c), to, c)
          c += lanes
        }
        for c in end..<channelsIn { to[c] += from[c] }
        from += channelsIn
      }
    }
  }
}

/// One layer forward: y = ReLU(patches · Wᵀ + b).
/// col: (rows · framesOut, width · channelsIn)  W: (channels, width · channelsIn)
/// y: (rows · framesOut, channels), which is (rows, framesOut · channels) row-major.
///
/// One input row (a one-file `classify`) is computed frame by frame with the matrix–vector
/// kernel, so that, as for the dense layers, a short-lived process never loads OpenBLAS.
func convolutionForward(
  col: UnsafePointer<Float>, rows: Int, framesOut: Int, inputs: Int, layer: ConvolutionLayer,
  weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>
) {
  if rows == 1 {
    for t in 0..<framesOut {
      matrixVector(
        weight, rows: layer.channels, cols: inputs, x: col + t * inputs, y: y + t * layer.channels)
    }
  } else {
    denseForward(
      x: col, rows: rows * framesOut, inputs: inputs, outputs: layer.channels, weight: weight, y: y)
  }
  addBiasReLU(y, bias: bias, rows: rows * framesOut, outputs: layer.channels)
}
