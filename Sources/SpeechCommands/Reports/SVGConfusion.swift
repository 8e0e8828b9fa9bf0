import Foundation

/// Hand-written SVG charts for training reports (no dependencies; open in any browser).
public enum SVGChart {
  /// A confusion matrix: rows are true classes, columns predicted classes; each cell shows the
  /// count and is shaded by the row's fraction (recall on the diagonal, errors off it).
  public static func confusion(_ metrics: ClassificationMetrics, title: String) -> String {
    let labels = metrics.labels
    let n = labels.count
    let cell = n <= 12 ? 44.0 : max(18.0, 528.0 / Double(n))
    let longest = Double(labels.map(\.count).max() ?? 1)
    let margin = 44 + min(160, 7.2 * longest)
    let top = 96.0
    let width = margin + cell * Double(n) + 40
    let height = top + cell * Double(n) + margin + 20
    var s = header(width: width, height: height)
    s += text(x: width / 2, y: 24, title, size: 16, anchor: "middle", weight: "bold")
    s += text(
      x: margin + cell * Double(n) / 2, y: top - 28, "predicted", size: 12, anchor: "middle")
    s +=
      "<text x=\"14\" y=\"\(f(top + cell * Double(n) / 2))\" font-size=\"12\" "
      + "text-anchor=\"middle\" transform=\"rotate(-90 14 \(f(top + cell * Double(n) / 2)))\">"
      + "true</text>\n"
    let fontSize = min(12, cell / 3.2)
    for (i, row) in metrics.confusion.enumerated() {
      let total = max(1, row.reduce(0, +))
      for (j, count) in row.enumerated() {
        let fraction = Double(count) / Double(total)
        let x = margin + cell * Double(j)
        let y = top + cell * Double(i)
        let colour = i == j ? blue(fraction) : red(fraction)
        s +=
          "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(cell))\" height=\"\(f(cell))\" "
          + "fill=\"\(colour)\" stroke=\"#ffffff\" stroke-width=\"1\">"
          + "<title>true \(escape(labels[i])), predicted \(escape(labels[j])): \(count)</title></rect>\n"
        if count > 0 {
          s += text(
            x: x + cell / 2, y: y + cell / 2 + fontSize / 3, "\(count)", size: fontSize,
            anchor: "middle", fill: fraction > 0.55 ? "#ffffff" : "#222222")
        }
      }
      s += text(
        x: margin - 6, y: top + cell * (Double(i) + 0.5) + 4, labels[i], size: 12, anchor: "end")
    }
    for (j, label) in labels.enumerated() {
      let x = margin + cell * (Double(j) + 0.5)
      let y = top + cell * Double(n) + 8
      s +=
        "<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"12\" text-anchor=\"end\" "
        + "transform=\"rotate(-45 \(f(x)) \(f(y)))\">\(escape(label))</text>\n"
    }
    s += text(
      x: margin, y: top - 8,
      String(format: "accuracy %.2f%% of %d clips", metrics.accuracy * 100, metrics.count),
      size: 12, anchor: "start", fill: "#444444")
    return s + "</svg>\n"
  }

  // MARK: shared pieces

  static func header(width: Double, height: Double) -> String {
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" "
      + "viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"Helvetica, Arial, sans-serif\">\n"
      + "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
  }

  static func text(
    x: Double, y: Double, _ content: String, size: Double, anchor: String,
    weight: String = "normal", fill: String = "#222222"
  ) -> String {
    "<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"\(f(size))\" text-anchor=\"\(anchor)\" "
      + "font-weight=\"\(weight)\" fill=\"\(fill)\">\(escape(content))</text>\n"
  }

  /// A number with at most two decimals, as SVG attributes want.
  static func f(_ v: Double) -> String {
    let r = (v * 100).rounded() / 100
    return r == r.rounded() ? String(Int(r)) : String(format: "%.2f", r)
  }

  static func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }

  /// White to blue as `t` goes 0 → 1.
  static func blue(_ t: Double) -> String { mix((255, 255, 255), (33, 102, 172), t) }
  /// White to red as `t` goes 0 → 1 (errors reach full colour at half the row).
  static func red(_ t: Double) -> String { mix((255, 255, 255), (202, 0, 32), min(1, 2 * t)) }

  static func mix(_ a: (Int, Int, Int), _ b: (Int, Int, Int), _ t: Double) -> String {
    let c = min(1, max(0, t))
    func ch(_ x: Int, _ y: Int) -> Int { Int((Double(x) + (Double(y) - Double(x)) * c).rounded()) }
    return String(format: "#%02x%02x%02x", ch(a.0, b.0), ch(a.1, b.1), ch(a.2, b.2))
  }
}
