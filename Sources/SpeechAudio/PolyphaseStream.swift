/// Streaming state of a polyphase conversion: the input not yet fully used plus the index of the
/// next output. Input before the start and after the end of the stream counts as zeros, so the
/// output has `⌈n × up / down⌉` samples for `n` inputs, aligned so output 0 is input time 0.
struct PolyphaseStream {
  let filter: PolyphaseFilter
  /// Inputs from global index `bufferStart` on.
  private var buffer: [Float] = []
  /// Global index of `buffer[0]` (negative while the leading zeros are still in use).
  private var bufferStart = 0
  /// Inputs received since the stream began.
  private var inputCount = 0
  /// Index of the next output sample.
  private var nextOutput = 0

  init(filter: PolyphaseFilter) {
    self.filter = filter
    reset()
  }

  /// Starts a new stream: history of `taps − 1` zeros, no input, no output.
  mutating func reset() {
    buffer = [Float](repeating: 0, count: filter.taps - 1)
    bufferStart = -(filter.taps - 1)
    inputCount = 0
    nextOutput = 0
  }

  /// Appends `x` and returns every output whose inputs are now known (all remaining outputs when
  /// `isLast`, after which the stream is reset).
  mutating func process(_ x: [Float], isLast: Bool) -> [Float] {
    buffer.append(contentsOf: x)
    inputCount += x.count
    let total = isLast ? filter.outputCount(inputCount: inputCount) : Int.max
    if isLast, total > 0 {
      // Zeros after the end, as far as the last output reaches.
      let newest = filter.position(ofOutput: total - 1).newest
      let missing = newest + 1 - (bufferStart + buffer.count)
      if missing > 0 { buffer.append(contentsOf: repeatElement(0, count: missing)) }
    }
    let available = bufferStart + buffer.count
    let count = max(min(total, filter.outputsReady(available: available)) - nextOutput, 0)
    var output: [Float] = []
    output.reserveCapacity(count)
    buffer.withUnsafeBufferPointer { input in
      filter.appendOutputs(
        nextOutput, count: count, input: input, inputStart: bufferStart, to: &output)
    }
    nextOutput += count
    if isLast {
      reset()
    } else {
      // Drop the inputs no later output reads.
      let oldestNeeded = filter.position(ofOutput: nextOutput).newest - filter.taps + 1
      let drop = min(oldestNeeded - bufferStart, buffer.count)
      if drop > 0 {
        buffer.removeFirst(drop)
        bufferStart += drop
      }
    }
    return output
  }
}
