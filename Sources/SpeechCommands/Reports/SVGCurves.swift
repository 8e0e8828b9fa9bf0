import Foundation

extension SVGChart {
  /// Training curves: loss (left panel) and accuracy (right panel) per epoch, training in blue,
  /// validation in orange, the kept (best) epoch marked with a dashed line.
  public static func curves(_ history: [EpochRecord], bestEpoch: Int?, title: String) -> String {
    let panelW = 380.0
    let panelH = 260.0
    let left = 64.0
    let gap = 90.0
    let top = 56.0
    let width = left + panelW * 2 + gap + 30
    let height = top + panelH + 80
    var s = header(width: width, height: height)
    s += text(x: width / 2, y: 24, title, size: 16, anchor: "middle", weight: "bold")
    let epochs = history.map { Double($0.epoch) }
    let loss: [(String, String, [Double?])] = [
      ("training", "#1f77b4", history.map { $0.trainLoss }),
      ("validation", "#ff7f0e", history.map { $0.validationLoss }),
    ]
    let acc: [(String, String, [Double?])] = [
      ("training", "#1f77b4", history.map { $0.trainAccuracy * 100 }),
      ("validation", "#ff7f0e", history.map { $0.validationAccuracy.map { $0 * 100 } }),
    ]
    s += panel(
      x: left, y: top, w: panelW, h: panelH, epochs: epochs, series: loss, best: bestEpoch,
      title: "loss", fixedRange: nil)
    s += panel(
      x: left + panelW + gap, y: top, w: panelW, h: panelH, epochs: epochs, series: acc,
      best: bestEpoch, title: "accuracy (%)", fixedRange: nil)
    // Legend.
    let ly = top + panelH + 56
    for (k, (name, colour, _)) in loss.enumerated() {
      let lx = left + Double(k) * 140
      s +=
        "<line x1=\"\(f(lx))\" y1=\"\(f(ly))\" x2=\"\(f(lx + 24))\" y2=\"\(f(ly))\" "
        + "stroke=\"\(colour)\" stroke-width=\"2.5\"/>\n"
      s += text(x: lx + 30, y: ly + 4, name, size: 12, anchor: "start")
    }
    if let b = bestEpoch {
      let lx = left + 280
      s +=
        "<line x1=\"\(f(lx))\" y1=\"\(f(ly))\" x2=\"\(f(lx + 24))\" y2=\"\(f(ly))\" "
        + "stroke=\"#2ca02c\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>\n"
      s += text(x: lx + 30, y: ly + 4, "kept weights (epoch \(b))", size: 12, anchor: "start")
    }
    return s + "</svg>\n"
  }

  private static func panel(
    x: Double, y: Double, w: Double, h: Double, epochs: [Double],
    series: [(String, String, [Double?])], best: Int?, title: String, fixedRange: (Double, Double)?
  ) -> String {
    var s = text(x: x + w / 2, y: y - 10, title, size: 13, anchor: "middle", weight: "bold")
    s +=
      "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(w))\" height=\"\(f(h))\" fill=\"none\" "
      + "stroke=\"#888888\"/>\n"
    let values = series.flatMap { $0.2.compactMap { $0 } }.filter(\.isFinite)
    guard !epochs.isEmpty, !values.isEmpty else {
      return s + text(x: x + w / 2, y: y + h / 2, "no data", size: 12, anchor: "middle")
    }
    var (lo, hi) = fixedRange ?? (values.min()!, values.max()!)
    if hi - lo < 1e-9 {
      lo -= 0.5
      hi += 0.5
    }
    let pad = (hi - lo) * 0.05
    lo -= pad
    hi += pad
    let e0 = epochs.first!
    let e1 = max(epochs.last!, e0 + 1)
    func px(_ e: Double) -> Double { x + (e - e0) / (e1 - e0) * w }
    func py(_ v: Double) -> Double { y + h - (v - lo) / (hi - lo) * h }
    // Grid and y ticks.
    for t in ticks(lo, hi, count: 5) {
      let yy = py(t)
      s +=
        "<line x1=\"\(f(x))\" y1=\"\(f(yy))\" x2=\"\(f(x + w))\" y2=\"\(f(yy))\" "
        + "stroke=\"#e5e5e5\"/>\n"
      s += text(x: x - 6, y: yy + 4, label(t), size: 11, anchor: "end", fill: "#555555")
    }
    for t in ticks(e0, e1, count: 6) where t == t.rounded() {
      let xx = px(t)
      s +=
        "<line x1=\"\(f(xx))\" y1=\"\(f(y + h))\" x2=\"\(f(xx))\" y2=\"\(f(y + h + 4))\" "
        + "stroke=\"#888888\"/>\n"
      s += text(x: xx, y: y + h + 18, label(t), size: 11, anchor: "middle", fill: "#555555")
    }
    s += text(x: x + w / 2, y: y + h + 36, "epoch", size: 12, anchor: "middle")
    if let b = best {
      let xx = px(Double(b))
      s +=
        "<line x1=\"\(f(xx))\" y1=\"\(f(y))\" x2=\"\(f(xx))\" y2=\"\(f(y + h))\" "
        + "stroke=\"#2ca02c\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>\n"
    }
    for (_, colour, points) in series {
      let coords = zip(epochs, points).compactMap { e, v -> String? in
        guard let v, v.isFinite else { return nil }
        return "\(f(px(e))),\(f(py(v)))"
      }
      guard !coords.isEmpty else { continue }
      s +=
        "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" "
        + "points=\"\(coords.joined(separator: " "))\"/>\n"
      if coords.count == 1 {
        let p = coords[0].split(separator: ",")
        s += "<circle cx=\"\(p[0])\" cy=\"\(p[1])\" r=\"3\" fill=\"\(colour)\"/>\n"
      }
    }
    return s
  }

  /// About `count` round tick values covering [lo, hi] (steps of 1, 2 or 5 × 10^k).
  static func ticks(_ lo: Double, _ hi: Double, count: Int) -> [Double] {
    let raw = (hi - lo) / Double(max(1, count))
    let mag = pow(10, (log10(raw)).rounded(.down))
    let step = [1.0, 2, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
    var t = (lo / step).rounded(.up) * step
    var out: [Double] = []
    while t <= hi + step * 1e-9 {
      out.append(abs(t) < step * 1e-9 ? 0 : t)
      t += step
    }
    return out
  }

  static func label(_ v: Double) -> String {
    if v == v.rounded() && abs(v) < 1e6 { return String(Int(v)) }
    let s = String(format: "%.3g", v)
    return s
  }
}
