import SpeechAudio

extension FrontEnd {
  /// The clip `fitClip` cuts from the recording at `path` (decoded at `sampleRate`), found
  /// without holding the recording: one pass in blocks finds its loudest window
  /// (`LoudestWindow.Scan`), a second collects the clip's samples. The same samples as
  /// `fitClip(AudioFile.read(at:sampleRate:))`, in memory of a few blocks instead of the whole
  /// recording (a 30-minute 48 kHz stereo file held 115 MB of samples), for twice the decoding.
  ///
  /// Also says whether the file is cut short. Throws what `AudioFile.forEachBlock` throws.
  func fitClip(streamingFrom path: String, sampleRate: Int) throws -> (
    clip: [Float], cutShort: CutShort?
  ) {
    let length = config.clipSamples
    let width = focusSamples ?? length
    var scan = LoudestWindow.Scan(width: width)
    var total = 0
    var head: [Float] = []  // the recording itself while it is no longer than `width`
    let cutShort = try AudioFile.forEachBlock(at: path, sampleRate: sampleRate) { block in
      block.withUnsafeBufferPointer { scan.append($0) }
      if total < width { head += block.prefix(width - total) }
      total += block.count
    }
    guard let start = scan.start, total > width else {
      // Short enough to hold: the ordinary rule on the samples themselves.
      return (fitClip(head), cutShort)
    }
    let from = focusSamples == nil ? start : start + width / 2 - length / 2
    var clip = [Float](repeating: 0, count: length)
    var offset = 0
    do {
      try AudioFile.forEachBlock(at: path, sampleRate: sampleRate) { block in
        let lo = max(from, offset)
        let hi = min(from + length, offset + block.count)
        if lo < hi {
          clip.replaceSubrange(
            (lo - from)..<(hi - from), with: block[(lo - offset)..<(hi - offset)])
        }
        offset += block.count
        if offset >= from + length { throw ClipComplete() }
      }
    } catch is ClipComplete {
      // The rest of the recording is not needed.
    }
    return (clip, cutShort)
  }
}

/// Stops the second pass of `fitClip(streamingFrom:sampleRate:)` once the clip is complete.
private struct ClipComplete: Error {}
