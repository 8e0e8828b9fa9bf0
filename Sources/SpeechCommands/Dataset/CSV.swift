/// A minimal RFC 4180 reader and field writer: commas, double quotes (`""` inside quotes), CRLF,
/// LF or CR.
public enum CSV {
  /// `text` as a CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
  public static func field(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// One record with the 1-based line it starts on.
  struct Row: Equatable {
    var line: Int
    var fields: [String]
    /// The text ended inside a quoted field that starts in this (the last) row: the rest of the
    /// file was read into it, so the row is not what its author meant.
    var unclosedQuote = false
  }

  static func parse(_ text: String) -> [Row] {
    var rows: [Row] = []
    var fields: [String] = []
    var field = ""
    var inQuotes = false
    var line = 1
    var rowLine = 1
    var chars = Array(text.unicodeScalars)[...]
    if chars.first == "\u{FEFF}" { chars = chars.dropFirst() }
    var i = chars.startIndex
    func endRow() {
      fields.append(field)
      rows.append(Row(line: rowLine, fields: fields))
      fields = []
      field = ""
    }
    while i < chars.endIndex {
      let c = chars[i]
      if inQuotes {
        if c == "\"" {
          if i + 1 < chars.endIndex && chars[i + 1] == "\"" {
            field.unicodeScalars.append("\"")
            i += 1
          } else {
            inQuotes = false
          }
        } else {
          if c == "\n" { line += 1 }
          field.unicodeScalars.append(c)
        }
      } else if c == "\"" {
        inQuotes = true
      } else if c == "," {
        fields.append(field)
        field = ""
      } else if c == "\r" && i + 1 < chars.endIndex && chars[i + 1] == "\n" {
        // CRLF: the row ends at the LF
      } else if c == "\n" || c == "\r" {
        // LF, or a lone CR (the line end of spreadsheets saved in the classic Mac format)
        endRow()
        line += 1
        rowLine = line
      } else {
        field.unicodeScalars.append(c)
      }
      i += 1
    }
    if !field.isEmpty || !fields.isEmpty || inQuotes { endRow() }
    if inQuotes { rows[rows.count - 1].unclosedQuote = true }
    return rows
  }
}
