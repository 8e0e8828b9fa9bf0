import Dispatch
import Foundation
import Testing

@testable import SpeechFeatures

/// Shapes, edge cases, configuration handling and thread safety of the MFCC front end.
@Suite struct MFCCBehaviourTests {
  @Test(arguments: [
    ("training", 49, 20), ("classic", 98, 13), ("psf", 99, 13), ("librosa", 101, 13),
    ("torchaudio", 101, 13),
    ("hello-edge", 49, 10),
  ])
  func oneSecondShapes(_ name: String, _ frames: Int, _ coefficients: Int) throws {
    let mfcc = try MFCC(config: try #require(MFCCConfig.preset(named: name)))
    #expect(mfcc.frameCount(samples: 16000) == frames)
    let m = mfcc.compute(ReferenceSignal.chirp.samples)
    #expect(m.frames == frames && m.coefficients == coefficients)
    #expect(m.values.allSatisfy { $0.isFinite })
  }

  @Test func defaultPresetIsThePropertyDefaults() {
    #expect(MFCCConfig.classic == MFCCConfig())
    #expect(MFCCConfig.presetNames.first == "training")
    for name in MFCCConfig.presetNames { #expect(MFCCConfig.preset(named: name) != nil) }
    #expect(MFCCConfig.preset(named: "kaldi") == nil)
  }

  @Test func frameCounts() throws {
    var c = MFCCConfig()
    c.windowLength = 400
    c.hopLength = 160
    c.framing = .padTail
    var l = FrameLayout(config: c)
    #expect([0, 1, 400, 401, 560, 561].map { l.frameCount(samples: $0) } == [1, 1, 1, 2, 2, 3])
    c.framing = .dropTail
    l = FrameLayout(config: c)
    #expect([0, 399, 400, 559, 560].map { l.frameCount(samples: $0) } == [0, 0, 1, 1, 2])
    c.framing = .centered
    l = FrameLayout(config: c)
    #expect([0, 159, 160, 16000].map { l.frameCount(samples: $0) } == [1, 1, 2, 101])
  }

  @Test(arguments: MFCCConfig.presetNames)
  func emptyAndTinyInputsDoNotCrash(_ name: String) throws {
    var config = try #require(MFCCConfig.preset(named: name))
    config.deltas = .second
    config.normalization = .meanVariance
    for framing in MFCCConfig.Framing.allCases {
      for padding in MFCCConfig.Padding.allCases {
        config.framing = framing
        config.padding = padding
        let mfcc = try MFCC(config: config)
        for n in [0, 1, 2, 3, 161] {
          let m = mfcc.compute([Float](repeating: 0.25, count: n))
          #expect(m.frames == mfcc.frameCount(samples: n))
          #expect(m.coefficients == config.coefficients * 3)
          #expect(m.values.allSatisfy { $0.isFinite })
        }
      }
    }
  }

  @Test func silenceHitsTheLogFloor() throws {
    let m = try MFCC(config: .classic).compute([Float](repeating: 0, count: 16000))
    // log(1e-6) in every band: DCT-II ortho of a constant is √N·value in c0 and 0 elsewhere.
    let c0 = Float(40).squareRoot() * logf(1e-6)
    for t in 0..<m.frames {
      #expect(abs(m[t, 0] - c0) < 1e-3)
      for k in 1..<m.coefficients { #expect(abs(m[t, k]) < 1e-3) }
    }
  }

  @Test func invalidConfigurationsAreRejected() {
    func rejects(_ field: String, _ change: (inout MFCCConfig) -> Void) {
      var c = MFCCConfig()
      change(&c)
      do {
        _ = try MFCC(config: c)
        Issue.record("accepted an invalid \(field)")
      } catch {
        if case .invalidConfig(let f, _) = error {
          #expect(f == field)
        } else {
          Issue.record("unexpected \(error)")
        }
      }
    }
    rejects("sampleRate") { $0.sampleRate = 0 }
    rejects("windowLength") { $0.windowLength = 0 }
    rejects("hopLength") { $0.hopLength = -1 }
    rejects("fftLength") { $0.fftLength = 256 }
    rejects("maxFrequency") { $0.maxFrequency = 9000 }
    rejects("maxFrequency") {
      $0.minFrequency = 8000; $0.maxFrequency = nil
    }
    rejects("coefficients") { $0.coefficients = 41 }
    rejects("logFloor") { $0.logFloor = 0 }
    rejects("deltaWidth") { $0.deltaWidth = 0 }
    let message = FeatureError.invalidConfig(
      field: "hopLength", reason: "must be at least 1 sample")
    #expect(message.description == "invalid MFCC setting 'hopLength': must be at least 1 sample")
  }

  @Test func configRoundTripsThroughJSON() throws {
    for name in MFCCConfig.presetNames {
      let c = try #require(MFCCConfig.preset(named: name))
      let data = try JSONEncoder().encode(c)
      #expect(try JSONDecoder().decode(MFCCConfig.self, from: data) == c)
    }
  }

  /// Many clips on all cores give bit-identical results to a serial run.
  @Test func parallelEqualsSerial() throws {
    var config = MFCCConfig.classic
    config.deltas = .second
    let mfcc = try MFCC(config: config)
    let clips: [[Float]] = (0..<64).map { i in
      let base = ReferenceSignal.allCases[i % 3].samples
      return base.enumerated().map {
        $0.element * (1 + Float(i) / 64) + Float($0.offset % (i + 2)) * 1e-4
      }
    }
    let serial = clips.map { mfcc.compute($0) }
    let box = ResultBox(count: clips.count)
    DispatchQueue.concurrentPerform(iterations: clips.count) { i in
      box.set(i, mfcc.compute(clips[i]))
    }
    #expect(box.results == serial)
  }
}

/// Collects results written from many threads (each index written once).
final class ResultBox: @unchecked Sendable {
  private let lock = NSLock()
  private var storage: [FeatureMatrix?]
  init(count: Int) { storage = Array(repeating: nil, count: count) }
  func set(_ i: Int, _ m: FeatureMatrix) { lock.withLock { storage[i] = m } }
  var results: [FeatureMatrix] { lock.withLock { storage.map { $0! } } }
}
