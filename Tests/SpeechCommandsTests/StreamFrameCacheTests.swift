import SpeechFeatures
import SpeechModel
import SpeechTestSupport
import Testing

@testable import SpeechCommands

/// `listen`'s frame cache gives every window exactly the features `MFCC.compute` gives its clip:
/// the clip `fitClip` would cut, its start moved to the stream's frame grid, zeros outside the
/// window.
@Suite struct StreamFrameCacheTests {
  /// A few seconds of faint noise with synthetic words at random places.
  static func stream(seconds: Double, rate: Int, seed: UInt64) -> [Float] {
    var rng = SeededGenerator(seed: seed)
    var out = SyntheticWords.noise(count: Int(seconds * Double(rate)), level: 0.005, using: &rng)
    for _ in 0..<Int(seconds) {
      let sound = SyntheticWords.sound(
        SyntheticWords.words.randomElement(using: &rng)!, sampleRate: rate, using: &rng)
      let at = Int.random(in: 0..<(out.count - sound.count), using: &rng)
      for (i, v) in sound.enumerated() { out[at + i] += v }
    }
    return out
  }

  /// The reference: the grid-aligned clip of the window at `start`, moved `shift` samples
  /// earlier (a view; zeros where it leaves the clip), through `MFCC.compute`.
  static func reference(_ frontEnd: FrontEnd, stream: [Float], start: Int, shift: Int = 0)
    -> [Float]
  {
    let length = frontEnd.config.clipSamples
    let hop = frontEnd.mfcc.layout.hop
    let window = Array(stream[start..<start + length])
    let exact = start + frontEnd.clipStart(ofWindow: window)
    let clipStart = Int(StreamFrameCache.roundedDown(Int64(exact + hop / 2), to: Int64(hop)))
    let clip = (0..<length).map { i -> Float in
      let p = clipStart + i
      return p >= start && p < start + length ? stream[p] : 0
    }
    let moved = (0..<length).map { i -> Float in
      i + shift >= 0 && i + shift < length ? clip[i + shift] : 0
    }
    return frontEnd.mfcc.compute(moved).values
  }

  /// With views, each view of a window equals its moved clip computed afresh.
  @Test func viewsEqualTheirMovedClipsComputedAfresh() throws {
    let frontEnd = try FrontEnd(config: .default)
    #expect(frontEnd.views == 5)
    let cache = try #require(StreamFrameCache(frontEnd: frontEnd))
    let stream = Self.stream(seconds: 3, rate: 16000, seed: 8)
    let size = frontEnd.inputSize
    var out = [Float](repeating: 0, count: frontEnd.views * size)
    let sums = LoudestWindow.runningSums(stream)
    var checked = 0
    for start in stride(from: 0, through: stream.count - 16000, by: 480) {
      stream.withUnsafeBufferPointer { samples in
        out.withUnsafeMutableBufferPointer { out in
          sums.withUnsafeBufferPointer {
            cache.features(
              windowAt: Int64(start), buffer: samples, energySums: $0, origin: 0,
              into: out.baseAddress!)
          }
        }
      }
      guard start % 1440 == 0 else { continue }
      for (v, shift) in frontEnd.viewShiftSamples.enumerated() {
        let want = Self.reference(frontEnd, stream: stream, start: start, shift: shift)
        #expect(Array(out[(v * size)..<((v + 1) * size)]) == want, "window \(start) view \(v)")
      }
      checked += 1
    }
    #expect(checked >= 10)
  }

  @Test(arguments: ["training", "psf", "classic"])
  func windowsEqualTheirClipsComputedAfresh(preset: String) throws {
    let frontEnd = try FrontEnd(
      config: FrontEndConfig(mfcc: MFCCConfig.preset(named: preset)!, viewShifts: nil))
    let cache = try #require(StreamFrameCache(frontEnd: frontEnd))
    let stream = Self.stream(seconds: 4, rate: 16000, seed: 2)
    let size = frontEnd.inputSize
    var out = [Float](repeating: 0, count: size)
    // Windows every 30 ms: off the 20 ms grid every other window.
    let starts = Array(stride(from: 0, through: stream.count - 16000, by: 480))
    var checked = 0
    let sums = LoudestWindow.runningSums(stream)
    stream.withUnsafeBufferPointer { samples in
      for start in starts {
        out.withUnsafeMutableBufferPointer { out in
          sums.withUnsafeBufferPointer {
            cache.features(
              windowAt: Int64(start), buffer: samples, energySums: $0, origin: 0,
              into: out.baseAddress!)
          }
        }
        if start % 960 == 0 || start > stream.count - 17000 {
          let want = Self.reference(frontEnd, stream: stream, start: start)
          let stride = frontEnd.coefficients
          let bad = (0..<frontEnd.frames).filter {
            Array(out[$0 * stride..<($0 + 1) * stride])
              != Array(want[$0 * stride..<($0 + 1) * stride])
          }
          #expect(bad.isEmpty, "window \(start): frames \(bad) differ")
          checked += 1
        }
      }
    }
    #expect(checked >= 8)
    // Most frames came from the cache: far fewer computed than windows × frames.
    #expect(cache.framesComputed * 3 < starts.count * frontEnd.frames)
  }

  @Test func aBufferThatStartsLaterGivesTheSameFeatures() throws {
    let frontEnd = try FrontEnd()
    let stream = Self.stream(seconds: 3, rate: 16000, seed: 5)
    let whole = try #require(StreamFrameCache(frontEnd: frontEnd))
    let partial = try #require(StreamFrameCache(frontEnd: frontEnd))
    let origin = 7000
    let wholeSums = LoudestWindow.runningSums(stream)
    // The later buffer's running sums start near the top of Int64 and wrap: only their
    // differences may matter.
    var partialSums: [Int64] = [Int64.max - 1_000_000]
    Array(stream[origin...]).withUnsafeBufferPointer {
      LoudestWindow.appendRunningSums(of: $0, to: &partialSums)
    }
    var a = [Float](repeating: 0, count: frontEnd.views * frontEnd.inputSize)
    var b = a
    for start in stride(from: 9600, through: stream.count - 16000, by: 480) {
      stream.withUnsafeBufferPointer { s in
        a.withUnsafeMutableBufferPointer { out in
          wholeSums.withUnsafeBufferPointer {
            whole.features(
              windowAt: Int64(start), buffer: s, energySums: $0, origin: 0, into: out.baseAddress!)
          }
        }
      }
      Array(stream[origin...]).withUnsafeBufferPointer { s in
        b.withUnsafeMutableBufferPointer { out in
          partialSums.withUnsafeBufferPointer {
            partial.features(
              windowAt: Int64(start), buffer: s, energySums: $0, origin: Int64(origin),
              into: out.baseAddress!)
          }
        }
      }
      #expect(a == b, "window \(start)")
    }
  }

  @Test func clipWideFrontEndsAreNotCached() throws {
    #expect(StreamFrameCache(frontEnd: try FrontEnd(config: FrontEndConfig(mfcc: .librosa))) == nil)
  }
}
