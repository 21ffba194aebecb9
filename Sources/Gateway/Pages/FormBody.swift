import Foundation
import HTTPWire

/// `application/x-www-form-urlencoded` bodies, parsed with the one query parser (`+` is a space there).
enum FormBody {
    /// The first field of that name, decoded; nil when absent or not valid UTF-8 after decoding.
    static func value(named name: String, in body: [UInt8]) -> String? {
        let text = String(decoding: body, as: UTF8.self)
        guard let item = QueryItem.parse(text).first(where: { $0.name == name }) else { return nil }
        return PercentDecoding.decode(item.value.replacingOccurrences(of: "+", with: " "))
    }
}
