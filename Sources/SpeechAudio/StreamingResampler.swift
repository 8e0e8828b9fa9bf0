internal import CSamplerate

/// Converts a mono stream from one sample rate to another block by block, keeping the filter
/// state between calls so that the concatenated output equals a whole-signal conversion.
///
/// `quality` chooses the converter (default `ResampleQuality.standard`). Memory is the converter state plus one output block. When the two rates
/// are equal the input is passed through unchanged. Not thread-safe: one stream per instance.
public final class StreamingResampler {
  /// Input rate in Hz.
  public let from: Int
  /// Output rate in Hz.
  public let to: Int
  /// The converter actually used (`polyphase` falls back to `medium` for irregular ratios).
  public let quality: ResampleQuality
  /// The libsamplerate `SRC_STATE*`, for the sinc qualities when `from != to`.
  private let state: OpaquePointer?
  /// The polyphase converter, for `.polyphase` when `from != to`.
  private var polyphase: PolyphaseStream?
  /// Output frames per input frame (`to / from`).
  private let ratio: Double

  /// Prepares a converter from `from` Hz to `to` Hz.
  ///
  /// Throws `AudioError.resampleFailed` when a rate is not positive or the ratio lies outside
  /// libsamplerate's range of 1/256 to 256. The corresponding C function is `src_new`.
  public init(from: Int, to: Int, quality: ResampleQuality = .standard) throws(AudioError) {
    guard from > 0, to > 0 else {
      throw AudioError.resampleFailed(from: from, to: to, reason: "sample rates must be positive")
    }
    let ratio = Double(to) / Double(from)
    guard src_is_valid_ratio(ratio) != 0 else {
      throw AudioError.resampleFailed(
        from: from, to: to, reason: "the ratio must lie between 1/256 and 256")
    }
    self.from = from
    self.to = to
    self.ratio = ratio
    if from == to {
      self.quality = quality
      state = nil
      return
    }
    if quality == .polyphase, let filter = PolyphaseFilter.shared(from: from, to: to) {
      self.quality = .polyphase
      polyphase = PolyphaseStream(filter: filter)
      state = nil
      return
    }
    self.quality = quality == .polyphase ? .medium : quality
    let converter: Int32
    switch self.quality {
    case .best: converter = Int32(SRC_SINC_BEST_QUALITY)
    case .fastest: converter = Int32(SRC_SINC_FASTEST)
    case .medium, .polyphase: converter = Int32(SRC_SINC_MEDIUM_QUALITY)
    }
    var error: Int32 = 0
    guard let state = src_new(converter, 1, &error) else {
      throw AudioError.resampleFailed(
        from: from, to: to, reason: String(cString: src_strerror(error)))
    }
    self.state = state
  }

  deinit {
    if let state { src_delete(state) }
  }

  /// Converts the next block of the stream and returns the output it makes available.
  ///
  /// Output lags input by the filter's delay, so a block's output may be shorter than
  /// `x.count × to / from`; pass `isLast: true` with the final block (which may be empty) to
  /// flush the tail. After the last block the converter is reset and may start a new stream.
  /// The corresponding C function is `src_process`.
  public func process(_ x: [Float], isLast: Bool) throws(AudioError) -> [Float] {
    if polyphase != nil {
      return polyphase!.process(x, isLast: isLast)
    }
    guard let state else { return x }
    var output: [Float] = []
    output.reserveCapacity(Int((Double(x.count) * ratio).rounded(.up)) + 64)
    var chunk = [Float](repeating: 0, count: max(Int(Double(x.count) * ratio) + 256, 4096))
    var consumed = 0
    var status: Int32 = 0
    while true {
      var generated = 0
      var used = 0
      x.withUnsafeBufferPointer { input in
        chunk.withUnsafeMutableBufferPointer { out in
          var data = SRC_DATA()
          data.data_in = input.baseAddress.map { $0 + consumed }
          data.input_frames = x.count - consumed
          data.data_out = out.baseAddress
          data.output_frames = out.count
          data.end_of_input = isLast ? 1 : 0
          data.src_ratio = ratio
          status = src_process(state, &data)
          used = data.input_frames_used
          generated = data.output_frames_gen
        }
      }
      guard status == 0 else {
        src_reset(state)
        throw AudioError.resampleFailed(
          from: from, to: to, reason: String(cString: src_strerror(status)))
      }
      consumed += used
      output.append(contentsOf: chunk[0..<generated])
      // Done once the input is used up and, at the end of the stream, the tail is drained; a call
      // that makes no progress at all also ends the loop rather than spinning.
      if consumed >= x.count && (!isLast || generated == 0) { break }
      if used == 0 && generated == 0 { break }
    }
    if isLast { src_reset(state) }
    return output
  }
}
