/// Where frames lie on a signal of a given length, and the padded working copy they are cut from.
///
/// Frame t covers `windowLength` samples of the padded signal starting at `t·hop`. For centred
/// framing the window sits in the middle of an `fftLength` frame centred on sample `t·hop`
/// (librosa pads a shorter window to `fftLength`), so the left padding is
/// `fftLength/2 − (fftLength − windowLength)/2`; the spectrum's magnitude does not depend on where
/// inside the zero-padded FFT input the windowed samples are placed.
package struct FrameLayout: Sendable {
  let framing: MFCCConfig.Framing
  let padding: MFCCConfig.Padding
  package let window: Int
  package let hop: Int
  let fft: Int

  init(config: MFCCConfig) {
    framing = config.framing
    padding = config.padding
    window = config.windowLength
    hop = config.hopLength
    fft = config.fftLength
  }

  /// Frames produced from `samples` input samples.
  package func frameCount(samples n: Int) -> Int {
    let n = max(n, 0)
    switch framing {
    case .centered: return 1 + n / hop
    case .padTail: return n <= window ? 1 : 1 + (n - window + hop - 1) / hop
    case .dropTail: return n < window ? 0 : 1 + (n - window) / hop
    }
  }

  /// Samples added before the signal.
  var leftPad: Int { framing == .centered ? fft / 2 - (fft - window) / 2 : 0 }

  /// Length of the padded working signal for `n` samples (covers every frame).
  package func paddedLength(samples n: Int) -> Int {
    let frames = frameCount(samples: n)
    return max(n + leftPad, frames == 0 ? 0 : (frames - 1) * hop + window)
  }

  /// Writes the pre-emphasised, padded signal into `out` (`paddedLength(samples:)` floats);
  /// `previous` is the sample before `x[0]` for its pre-emphasis (0 at the start of a clip, as
  /// python_speech_features keeps the first sample as it is).
  package func fill(
    _ out: UnsafeMutablePointer<Float>, from x: UnsafeBufferPointer<Float>, preEmphasis a: Float,
    previous: Float = 0
  ) {
    let n = x.count
    let total = paddedLength(samples: n)
    let left = leftPad
    let body = out + left
    if n > 0 {
      if a == 0 {
        body.update(from: x.baseAddress!, count: n)
      } else {
        body[0] = x[0] - a * previous
        for i in 1..<n { body[i] = x[i] - a * x[i - 1] }
      }
    }
    let right = total - left - n
    if padding == .reflect && framing == .centered && n > 1 {
      // numpy 'reflect': index −k mirrors to k, n−1+k to n−1−k; repeats for long pads.
      for k in 0..<left { out[left - 1 - k] = body[reflect(-1 - k, n)] }
      for k in 0..<right { body[n + k] = body[reflect(n + k, n)] }
    } else {
      for k in 0..<left { out[k] = 0 }
      for k in 0..<right { body[n + k] = 0 }
    }
  }

  private func reflect(_ i: Int, _ n: Int) -> Int {
    let period = 2 * (n - 1)
    var m = i % period
    if m < 0 { m += period }
    return m < n ? m : period - m
  }
}
