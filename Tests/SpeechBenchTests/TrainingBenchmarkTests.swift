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
    #expect(r.samplesPerSecond > 0 && r.samplesPerSecond.isFinite)
    #expect(r.predictOneMicroseconds > 0 && r.gflops > 0)
    #expect(r.sgemmPeakGflops > 0 && r.sgemmWidestGflops > 0)
    #expect(r.threads == 1 && r.finalLoss.isFinite && r.finalLoss > 0)
  }
}
