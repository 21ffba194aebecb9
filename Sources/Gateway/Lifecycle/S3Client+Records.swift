import DropgateAPI
import Foundation
import S3Client

extension S3Client {
    /// A small JSON record of the gateway's state, decoded; nil when there is no object at `key` (404). Any other
    /// failure, or bytes that are not the record, throws.
    func record<Record: Decodable>(_ type: Record.Type, at key: String) throws -> Record? {
        let bytes: [UInt8]
        do {
            bytes = try getObject(key: key).bytes
        } catch let error as S3ClientError where error.status == 404 {
            return nil
        }
        return try APIJSON.decode(type, from: bytes)
    }
}
