import Foundation

extension SVGChart {
  /// A DET curve: miss rate (words not detected with the right label, %) against false accepts
  /// per hour of non-command speech, one dot per threshold (labelled), the curve joining them,
  /// and the point at `highlight` (the default threshold) ringed. Lower left is better.
  public static func detectionCurve(
    _ points: [DetectionSweepPoint], highlight: Float?, title: String
  ) -> String {
    let left = 70.0
    let top = 50.0
    let w = 520.0
    let h = 340.0
    let width = left + w + 40
    let height = top + h + 70
    var s = header(width: width, height: height)
    s += text(x: width / 2, y: 26, title, size: 15, anchor: "middle", weight: "bold")
    s +=
      "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(w))\" height=\"\(f(h))\" "
      + "fill=\"none\" stroke=\"#888888\"/>\n"
    let sorted = points.sorted { $0.falseAcceptsPerHour < $1.falseAcceptsPerHour }
    let xMax = max(1, (sorted.map(\.falseAcceptsPerHour).max() ?? 1) * 1.05)
    let yMax = min(100, max(10, (sorted.map { $0.missRate * 100 }.max() ?? 10) * 1.1))
    func px(_ v: Double) -> Double { left + v / xMax * w }
    func py(_ v: Double) -> Double { top + h - v / yMax * h }
    for t in ticks(0, xMax, count: 6) {
      s +=
        "<line x1=\"\(f(px(t)))\" y1=\"\(f(top))\" x2=\"\(f(px(t)))\" y2=\"\(f(top + h))\" "
        + "stroke=\"#eeeeee\"/>\n"
      s += text(x: px(t), y: top + h + 18, label(t), size: 11, anchor: "middle")
    }
    for t in ticks(0, yMax, count: 5) {
      s +=
        "<line x1=\"\(f(left))\" y1=\"\(f(py(t)))\" x2=\"\(f(left + w))\" y2=\"\(f(py(t)))\" "
        + "stroke=\"#eeeeee\"/>\n"
      s += text(x: left - 8, y: py(t) + 4, label(t), size: 11, anchor: "end")
    }
    s += text(
      x: left + w / 2, y: top + h + 42, "false accepts per hour of non-command speech",
      size: 12, anchor: "middle")
    s +=
      "<text x=\"18\" y=\"\(f(top + h / 2))\" font-size=\"12\" text-anchor=\"middle\" "
      + "transform=\"rotate(-90 18 \(f(top + h / 2)))\" fill=\"#222222\">miss rate (%)</text>\n"
    if !sorted.isEmpty {
      let path = sorted.map { "\(f(px($0.falseAcceptsPerHour))),\(f(py($0.missRate * 100)))" }
      s +=
        "<polyline points=\"\(path.joined(separator: " "))\" fill=\"none\" stroke=\"#1f77b4\" "
        + "stroke-width=\"2\"/>\n"
    } else {
      s += text(x: left + w / 2, y: top + h / 2, "no data", size: 12, anchor: "middle")
    }
    // Threshold labels (about 22 × 10 px at font size 9) are left out where they would overlap
    // one already placed: neighbouring thresholds often share a dot's position.
    var placed: [(x: Double, y: Double)] = []
    for p in sorted {
      let (x, y) = (px(p.falseAcceptsPerHour), py(p.missRate * 100))
      s += "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"3\" fill=\"#1f77b4\"/>\n"
      let isDefault = highlight == p.threshold
      if !isDefault, !placed.contains(where: { abs($0.x - x) < 24 && abs($0.y - y) < 11 }) {
        placed.append((x, y))
        s += text(
          x: x + 5, y: y - 5, String(format: "%.2f", p.threshold), size: 9, anchor: "start",
          fill: "#555555")
      }
      if isDefault {
        s +=
          "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"8\" fill=\"none\" stroke=\"#d62728\" "
          + "stroke-width=\"2\"/>\n"
        s += text(
          x: x + 10, y: y + 16,
          String(
            format: "default %.2f: %.0f%% missed, %.1f FA/h", p.threshold, p.missRate * 100,
            p.falseAcceptsPerHour), size: 11, anchor: "start", fill: "#d62728")
      }
    }
    return s + "</svg>\n"
  }
}
