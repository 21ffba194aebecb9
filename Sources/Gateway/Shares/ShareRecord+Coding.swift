import EndToEnd
import Foundation

/// The stored form. A record from before collections has its one file's fields at the top level; they are still
/// read, and still written for a one-file share without a password, so a gateway of the earlier version serves it;
/// it finds no file in a collection or a password share, so it serves none of theirs.
extension ShareRecord: Codable {
    enum CodingKeys: String, CodingKey {
        case id, files, createdAt, expiresAt, maxDownloads, revoked, owner, tombstone, password, encrypted, keyWrap, link, burnAfterReading, cardImage
        case key, filename, size, contentType, downloads
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        if let files = try container.decodeIfPresent([SharedFile].self, forKey: .files) {
            self.files = files
        } else {
            files = [
                SharedFile(
                    key: try container.decode(String.self, forKey: .key), filename: try container.decode(String.self, forKey: .filename),
                    size: try container.decode(Int64.self, forKey: .size), contentType: try container.decode(String.self, forKey: .contentType),
                    downloads: try container.decode(Int.self, forKey: .downloads))
            ]
        }
        createdAt = try container.decode(Int64.self, forKey: .createdAt)
        expiresAt = try container.decode(Int64.self, forKey: .expiresAt)
        maxDownloads = try container.decodeIfPresent(Int.self, forKey: .maxDownloads)
        revoked = try container.decode(Bool.self, forKey: .revoked)
        owner = try container.decodeIfPresent(String.self, forKey: .owner)
        tombstone = try container.decodeIfPresent(Bool.self, forKey: .tombstone)
        password = try container.decodeIfPresent(PasswordHash.self, forKey: .password)
        encrypted = try container.decodeIfPresent(Bool.self, forKey: .encrypted)
        keyWrap = try container.decodeIfPresent(KeyWrap.self, forKey: .keyWrap)
        link = try container.decodeIfPresent(String.self, forKey: .link)
        burnAfterReading = try container.decodeIfPresent(Bool.self, forKey: .burnAfterReading)
        cardImage = try container.decodeIfPresent(Bool.self, forKey: .cardImage)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(files, forKey: .files)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(expiresAt, forKey: .expiresAt)
        try container.encodeIfPresent(maxDownloads, forKey: .maxDownloads)
        try container.encode(revoked, forKey: .revoked)
        try container.encodeIfPresent(owner, forKey: .owner)
        try container.encodeIfPresent(tombstone, forKey: .tombstone)
        try container.encodeIfPresent(password, forKey: .password)
        try container.encodeIfPresent(encrypted, forKey: .encrypted)
        try container.encodeIfPresent(keyWrap, forKey: .keyWrap)
        try container.encodeIfPresent(link, forKey: .link)
        try container.encodeIfPresent(burnAfterReading, forKey: .burnAfterReading)
        try container.encodeIfPresent(cardImage, forKey: .cardImage)
        if files.count == 1, password == nil, encrypted == nil, let first = files.first {
            try container.encode(first.key, forKey: .key)
            try container.encode(first.filename, forKey: .filename)
            try container.encode(first.size, forKey: .size)
            try container.encode(first.contentType, forKey: .contentType)
            try container.encode(first.downloads, forKey: .downloads)
        }
    }
}
