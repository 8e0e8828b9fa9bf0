import Foundation
import SpeechModel
import Testing

@testable import SpeechBench

@Suite struct TrainingBenchmarkTests {
  @Test func flopCountOfTheStandardNetwork() {
    // Forward 2·(490·144 + 144·144·2 + 144·12) = 227,520; weight gradients as much; input
    // gradients for every layer but the first: 2·(144·144·2 + 144·12) = 86,400.
    #expect(TrainingBenchmark.trainingFlopsPerSample(sizes: [490, 144, 144, 144, 12]) == 541_440)
  }

  @Test func smallRunReportsEveryFigure() {
    var config = TrainingBenchmark.Configuration()
    config.inputSize = 20
    config.hidden = [16, 16]
    config.outputSize = 4
    config.batchSize = 10
    config.samples = 200
    config.epochs = 2
    config.predictions = 20
    config.sgemmSeconds = 0.01
    let r = TrainingBenchmark.run(config)
    // The run held one thread. (What the process's count is afterwards is not checked here: other
    // tests running beside this one hold and prefer counts of their own.)
    #expect(r.threads == 1)
    // The figures agree with each other: 200 samples × 2 epochs in trainSeconds, and the FLOP
    // count of a [20, 16, 16, 4] network (forward 2·(320 + 256 + 64) = 1,280, weight gradients
    // as much, input gradients 2·(256 + 64) = 640).
    #expect(TrainingBenchmark.trainingFlopsPerSample(sizes: [20, 16, 16, 4]) == 3_200)
    #expect(abs(r.samplesPerSecond * r.trainSeconds - 400) < 1e-6 * 400)
    #expect(abs(r.gflops - r.samplesPerSecond * 3_200 / 1e9) <= 1e-9 * max(1, r.gflops))
    // Random labels of 4 classes: after 2 short epochs the mean loss is still about ln 4.
    #expect(abs(r.finalLoss - log(4)) < 0.5, "\(r.finalLoss)")
    #expect(r.predictOneMicroseconds > 0 && r.sgemmPeakGflops > 0 && r.sgemmWidestGflops > 0)
  }
}
