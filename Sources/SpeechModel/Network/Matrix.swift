/// A dense row-major matrix of `Float` values: element (r, c) is `values[r * cols + c]`.
///
/// The storage is a plain array so a matrix is cheap to pass around (copy-on-write) and its
/// buffer can go straight to `cblas_sgemm`. A batch of samples is a matrix with one sample per row.
public struct Matrix: Sendable, Equatable {
  /// Number of rows (for a batch: the number of samples).
  public private(set) var rows: Int
  /// Number of columns (for a batch: the features per sample).
  public private(set) var cols: Int
  /// The elements, row after row; always `rows * cols` long.
  public var values: [Float] {
    didSet { precondition(values.count == rows * cols, "Matrix values must hold rows × cols") }
  }

  /// A `rows × cols` matrix with every element set to `value` (default 0).
  public init(rows: Int, cols: Int, repeating value: Float = 0) {
    precondition(rows >= 0 && cols >= 0, "Matrix dimensions must not be negative")
    self.rows = rows
    self.cols = cols
    self.values = [Float](repeating: value, count: rows * cols)
  }

  /// A `rows × cols` matrix over `values` given row after row; `values.count` must be `rows * cols`.
  public init(rows: Int, cols: Int, values: [Float]) {
    precondition(rows >= 0 && cols >= 0, "Matrix dimensions must not be negative")
    precondition(values.count == rows * cols, "Matrix values must hold rows × cols")
    self.rows = rows
    self.cols = cols
    self.values = values
  }

  /// A matrix with one row per element of `rows`; every row must have the same length.
  public init(rows: [[Float]]) {
    let cols = rows.first?.count ?? 0
    precondition(rows.allSatisfy { $0.count == cols }, "Matrix rows must all have the same length")
    self.init(rows: rows.count, cols: cols, values: rows.flatMap { $0 })
  }

  /// The element in row `row`, column `col`.
  public subscript(row: Int, col: Int) -> Float {
    get {
      precondition(row >= 0 && row < rows && col >= 0 && col < cols, "Matrix index out of range")
      return values[row * cols + col]
    }
    set {
      precondition(row >= 0 && row < rows && col >= 0 && col < cols, "Matrix index out of range")
      values[row * cols + col] = newValue
    }
  }

  /// A copy of row `index` (for a batch: one sample).
  public func row(_ index: Int) -> [Float] {
    precondition(index >= 0 && index < rows, "Matrix row out of range")
    return Array(values[index * cols..<(index + 1) * cols])
  }

  /// The matrix with rows and columns exchanged (a copy; not on any hot path).
  public var transposed: Matrix {
    var t = Matrix(rows: cols, cols: rows)
    for r in 0..<rows {
      for c in 0..<cols { t.values[c * rows + r] = values[r * cols + c] }
    }
    return t
  }
}
