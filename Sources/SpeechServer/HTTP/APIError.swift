import FlyingFox
import Foundation

/// A request the API refuses: the HTTP status and a one-line reason, sent as `{"error": "..."}`.
struct APIError: Error, Equatable, CustomStringConvertible {
  /// The status code, e.g. 400, 403, 404, 409, 413.
  var status: Int
  /// What was wrong, for the person reading the response.
  var message: String

  init(_ status: Int, _ message: String) {
    self.status = status
    self.message = message
  }

  var description: String { "\(status): \(message)" }

  /// The JSON error response.
  var response: HTTPResponse { JSONReply.make(["error": message], status: status) }

  static func badRequest(_ message: String) -> APIError { APIError(400, message) }
  static func forbidden(_ message: String) -> APIError { APIError(403, message) }
  static func notFound(_ message: String) -> APIError { APIError(404, message) }
}

/// JSON responses.
enum JSONReply {
  /// `value` encoded as JSON (sorted keys, so responses are stable) with `status`.
  static func make(_ value: some Encodable, status: Int = 200) -> HTTPResponse {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let body = (try? encoder.encode(value)) ?? Data(#"{"error":"response not encodable"}"#.utf8)
    return make(raw: body, status: status)
  }

  /// A response with `body`, already JSON.
  static func make(raw body: Data, status: Int = 200) -> HTTPResponse {
    HTTPResponse(
      statusCode: HTTPStatusCode(status, phrase: phrase(status)),
      headers: [.contentType: "application/json", HTTPHeader("Cache-Control"): "no-store"],
      body: body)
  }

  /// The reason phrase of the statuses this API uses.
  static func phrase(_ status: Int) -> String {
    switch status {
    case 200: "OK"
    case 201: "Created"
    case 202: "Accepted"
    case 400: "Bad Request"
    case 403: "Forbidden"
    case 404: "Not Found"
    case 405: "Method Not Allowed"
    case 409: "Conflict"
    case 413: "Content Too Large"
    case 500: "Internal Server Error"
    default: "Status"
    }
  }
}
