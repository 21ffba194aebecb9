import HTTPWire

/// `<ListBucketResult>`: ListObjects (v1, with markers) and ListObjectsV2 (with continuation tokens).
public struct ListBucketResult: XMLBody, Hashable {
    /// One object.
    public struct Object: Sendable, Hashable {
        public var key: String
        public var lastModified: String
        /// Unquoted.
        public var etag: String
        public var size: Int64
        /// The owner's id: always in a v1 listing, in v2 only with `fetch-owner=true`; nil leaves `<Owner>` out.
        public var owner: String?
        public init(key: String, lastModified: String, etag: String, size: Int64, owner: String? = nil) {
            self.key = key
            self.lastModified = lastModified
            self.etag = etag
            self.size = size
            self.owner = owner
        }
    }

    public static let rootName = "ListBucketResult"
    public var name: String
    public var prefix: String
    public var delimiter: String?
    public var maxKeys: Int
    /// `url` when keys, prefixes and markers are percent-encoded.
    public var encodingType: String?
    public var isTruncated: Bool
    public var contents: [Object]
    public var commonPrefixes: [String]
    /// v2 only.
    public var keyCount: Int?
    public var continuationToken: String?
    public var startAfter: String?
    public var nextContinuationToken: String?
    /// v1 only.
    public var marker: String?
    public var nextMarker: String?

    public init(name: String, prefix: String, maxKeys: Int, isTruncated: Bool, contents: [Object], commonPrefixes: [String] = []) {
        self.name = name
        self.prefix = prefix
        self.maxKeys = maxKeys
        self.isTruncated = isTruncated
        self.contents = contents
        self.commonPrefixes = commonPrefixes
    }

    public init(xml: XMLTree) throws(XMLBodyError) {
        name = xml.text(of: "Name") ?? ""
        prefix = xml.text(of: "Prefix") ?? ""
        delimiter = xml.text(of: "Delimiter")
        maxKeys = Int(xml.integer("MaxKeys") ?? 1000)
        encodingType = xml.text(of: "EncodingType")
        isTruncated = xml.boolean("IsTruncated") ?? false
        keyCount = xml.integer("KeyCount").map { Int($0) }
        continuationToken = xml.text(of: "ContinuationToken")
        startAfter = xml.text(of: "StartAfter")
        nextContinuationToken = xml.text(of: "NextContinuationToken")
        marker = xml.text(of: "Marker")
        nextMarker = xml.text(of: "NextMarker")
        contents = xml.children(named: "Contents").compactMap { entry in
            guard let key = entry.text(of: "Key") else { return nil }
            return Object(
                key: key, lastModified: entry.text(of: "LastModified") ?? "", etag: ASCIIText.unquoted(entry.text(of: "ETag") ?? ""),
                size: entry.integer("Size") ?? 0, owner: entry.child("Owner")?.text(of: "ID"))
        }
        commonPrefixes = xml.children(named: "CommonPrefixes").compactMap { $0.text(of: "Prefix") }
    }

    public var xml: XMLTree {
        var children: [XMLTree] = [.leaf("Name", name), .leaf("Prefix", prefix)]
        children += XMLTree.leaves([("Delimiter", delimiter)])
        children.append(.leaf("MaxKeys", String(maxKeys)))
        children += XMLTree.leaves([("EncodingType", encodingType)])
        children.append(.leaf("IsTruncated", isTruncated ? "true" : "false"))
        children += XMLTree.leaves([
            ("KeyCount", keyCount.map(String.init)), ("ContinuationToken", continuationToken), ("StartAfter", startAfter),
            ("NextContinuationToken", nextContinuationToken), ("Marker", marker), ("NextMarker", nextMarker),
        ])
        children += contents.map { object in
            var fields: [XMLTree] = [
                .leaf("Key", object.key), .leaf("LastModified", object.lastModified), .leaf("ETag", "\"\(object.etag)\""),
                .leaf("Size", String(object.size)),
            ]
            if let owner = object.owner { fields.append(XMLTree("Owner", children: [.leaf("ID", owner), .leaf("DisplayName", owner)])) }
            fields.append(.leaf("StorageClass", "STANDARD"))
            return XMLTree("Contents", children: fields)
        }
        children += commonPrefixes.map { XMLTree("CommonPrefixes", children: [.leaf("Prefix", $0)]) }
        return XMLTree(Self.rootName, children: children)
    }
}

/// `<ListAllMyBucketsResult>`: ListBuckets.
public struct ListAllMyBucketsResult: XMLBody, Hashable {
    /// One bucket and when it was made (ISO 8601 with milliseconds).
    public struct Bucket: Sendable, Hashable {
        public var name: String
        public var creationDate: String
        public init(name: String, creationDate: String) {
            self.name = name
            self.creationDate = creationDate
        }
    }

    public static let rootName = "ListAllMyBucketsResult"
    public var owner: String
    public var buckets: [Bucket]
    /// Where the next page starts, when `max-buckets` cut this one short.
    public var continuationToken: String?

    public init(owner: String, buckets: [Bucket], continuationToken: String? = nil) {
        self.owner = owner
        self.buckets = buckets
        self.continuationToken = continuationToken
    }

    public init(xml: XMLTree) throws(XMLBodyError) {
        owner = xml.child("Owner")?.text(of: "ID") ?? ""
        continuationToken = xml.text(of: "ContinuationToken")
        buckets = (xml.child("Buckets")?.children(named: "Bucket") ?? []).compactMap { bucket in
            bucket.text(of: "Name").map { Bucket(name: $0, creationDate: bucket.text(of: "CreationDate") ?? "") }
        }
    }

    public var xml: XMLTree {
        XMLTree(
            Self.rootName,
            children: [
                XMLTree("Owner", children: [.leaf("ID", owner), .leaf("DisplayName", owner)]),
                XMLTree(
                    "Buckets",
                    children: buckets.map { XMLTree("Bucket", children: [.leaf("Name", $0.name), .leaf("CreationDate", $0.creationDate)]) }),
            ] + XMLTree.leaves([("ContinuationToken", continuationToken)]))
    }
}
