import SpeechCommands
import Testing

@testable import speechcmd

/// The libraries name settings in their own terms; the command line names the flags.
@Suite struct FlagNamesTests {
  @Test func settingErrorsBecomeFlags() {
    #expect(
      FlagNames.message(SettingError("topK", "must be at least 1")) == "--top-k must be at least 1")
    #expect(
      FlagNames.message(SettingError("recognizer.minimumCount", "must be at least 1"))
        == "--minimum-count must be at least 1")
    #expect(
      FlagNames.message(SettingError("learningRate", "must be a positive number"))
        == "--lr must be a positive number")
    // A setting with no flag keeps the library's words.
    #expect(
      FlagNames.message(SettingError("maximumBatch", "must be at least 1"))
        == "maximumBatch must be at least 1")
  }

  @Test func everyTrainingSettingHasAFlag() {
    var options = TrainingOptions()
    options.dropout = 1
    do throws(SettingError) {
      try options.validate()
      Issue.record("dropout 1 was accepted")
    } catch {
      #expect(FlagNames.message(error) == "--dropout must be in [0, 1)")
    }
  }

  @Test func divergenceAndAMissingModelNameTheirFlags() {
    let diverged = FlagNames.withFlags(
      TrainingError.diverged(epoch: 2, batch: 3, loss: .nan, kept: 1, output: "m.safetensors"))
    #expect(
      "\(diverged)"
        == "training stopped: the loss became nan at epoch 2, batch 3; kept epoch 1's weights in "
        + "'m.safetensors'. Lower the learning rate (--lr) or enable gradient clipping (--clip)")
    let missing = FlagNames.withFlags(
      ModelLoadError.modelNotFound(searched: ["/a/samples/model.safetensors"]))
    #expect(
      "\(missing)"
        == "no model given: pass --model FILE or set SPEECHCMD_MODEL; the demo model "
        + "samples/model.safetensors was not found (looked for /a/samples/model.safetensors)")
  }
}
