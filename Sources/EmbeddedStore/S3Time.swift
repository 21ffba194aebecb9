import Foundation
import HTTPServer
import SigV4

/// The two date formats of the S3 API.
enum S3Time {
    /// `2026-11-29T10:00:00.000Z`, for XML bodies.
    static func iso8601(_ date: Date) -> String {
        AmzDate(date).iso8601Milliseconds
    }

    /// `Sun, 29 Nov 2026 10:00:00 GMT`, for Last-Modified.
    static func httpDate(_ date: Date) -> String { HTTPDate.format(secondsSince1970: Int(date.timeIntervalSince1970)) }

}
