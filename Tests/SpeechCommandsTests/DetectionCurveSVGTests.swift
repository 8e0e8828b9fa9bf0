import Testing

@testable import SpeechCommands

/// The DET curve's threshold labels: one per dot position, none under the default's ring.
@Suite struct DetectionCurveSVGTests {
  static func point(_ threshold: Float, miss: Double, perHour: Double) -> DetectionSweepPoint {
    DetectionSweepPoint(
      threshold: threshold, matched: 1 - miss, right: 1 - miss, wrong: 0, spurious: 0,
      missRate: miss, falseAccepts: Int(perHour), falseAcceptsPerHour: perHour,
      falseAcceptsPerWord: 0, noiseFalseAcceptsPerHour: nil)
  }

  @Test func labelsThatWouldOverlapAreLeftOut() {
    let points = [
      Self.point(0.40, miss: 0.23, perHour: 325), Self.point(0.45, miss: 0.23, perHour: 325),
      Self.point(0.60, miss: 0.28, perHour: 116), Self.point(0.90, miss: 0.58, perHour: 0),
    ]
    let svg = SVGChart.detectionCurve(points, highlight: 0.90, title: "t")
    #expect(svg.components(separatedBy: "<circle").count - 1 == 5)  // 4 dots and the ring
    // 0.40 and 0.45 share a dot: one label. 0.60 stands alone. 0.90 is told by the ring's caption.
    #expect(svg.contains(">0.40<") != svg.contains(">0.45<"))
    #expect(svg.contains(">0.60<") && !svg.contains(">0.90<"))
    #expect(svg.contains("default 0.90: 58% missed, 0.0 FA/h"))
  }
}
