import ArgumentParser
import SpeechCommands
import Testing

@testable import speechcmd

/// The accuracy options of `train` (masks, mixup, weight averaging, noise SNR) reach the request,
/// and bad values are usage errors naming the flag.
@Suite struct TrainRegularisationArgumentsTests {
  @Test func flagsBecomeTheOptions() throws {
    let command = try SpeechCmd.parseAsRoot([
      "train", "D", "--out", "m", "--time-masks", "2", "--time-mask-frames", "8",
      "--freq-masks", "1", "--freq-mask-width", "3", "--mixup", "0.2", "--ema", "0.995",
      "--noise-snr=-5:20",
    ])
    let o = try #require(command as? SpeechCmd.Train).request().options
    #expect(
      o.featureMasks
        == FeatureMaskOptions(timeMasks: 2, maxFrames: 8, frequencyMasks: 1, maxCoefficients: 3))
    #expect(o.mixupAlpha == 0.2 && o.weightAverageDecay == 0.995)
    #expect(o.augmentation.noiseSNR == NoiseSNROptions(minimumDB: -5, maximumDB: 20))
  }

  @Test(arguments: [
    (["--noise-snr", "20"], "--noise-snr"), (["--noise-snr", "20:5"], "--noise-snr"),
    (["--mixup=-1"], "--mixup"), (["--ema", "1.5"], "--ema"),
    (["--time-masks=-1"], "--time-masks"),
  ])
  func badValuesAreUsageErrors(arguments: [String], flag: String) {
    do {
      let command = try SpeechCmd.parseAsRoot(["train", "D", "--out", "m"] + arguments)
      _ = try (command as? SpeechCmd.Train)?.request()
      Issue.record("\(arguments) was accepted")
    } catch {
      #expect(SpeechCmd.exitCode(for: error).rawValue == 64)
      #expect(SpeechCmd.message(for: error).contains(flag), "\(SpeechCmd.message(for: error))")
    }
  }
}
