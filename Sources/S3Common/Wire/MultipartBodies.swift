import HTTPWire

/// `<InitiateMultipartUploadResult>`: the answer to CreateMultipartUpload.
public struct InitiateMultipartUploadResult: XMLBody, Hashable {
    public static let rootName = "InitiateMultipartUploadResult"
    public var bucket: String
    public var key: String
    public var uploadID: String

    public init(bucket: String, key: String, uploadID: String) {
        self.bucket = bucket
        self.key = key
        self.uploadID = uploadID
    }

    public init(xml: XMLTree) throws(XMLBodyError) {
        bucket = xml.text(of: "Bucket") ?? ""
        key = xml.text(of: "Key") ?? ""
        uploadID = try xml.required("UploadId")
    }

    public var xml: XMLTree { XMLTree(Self.rootName, children: [.leaf("Bucket", bucket), .leaf("Key", key), .leaf("UploadId", uploadID)]) }
}

/// `<CompleteMultipartUpload><Part><PartNumber>…</PartNumber><ETag>…</ETag></Part>…`: the request body.
public struct CompleteMultipartUpload: XMLBody, Hashable {
    /// One part as listed: its number, ETag (unquoted) and any checksums.
    public struct Part: Sendable, Hashable {
        public var number: Int
        public var etag: String
        public var checksums: [ChecksumAlgorithm: String]
        public init(number: Int, etag: String, checksums: [ChecksumAlgorithm: String] = [:]) {
            self.number = number
            self.etag = etag
            self.checksums = checksums
        }
    }

    public static let rootName = "CompleteMultipartUpload"
    public var parts: [Part]

    public init(parts: [Part]) { self.parts = parts }

    public init(xml: XMLTree) throws(XMLBodyError) {
        var parts: [Part] = []
        for part in xml.children(named: "Part") {
            guard let number = part.text(of: "PartNumber").flatMap({ Int($0) }), let etag = part.text(of: "ETag") else {
                throw XMLBodyError("Every <Part> needs a <PartNumber> and an <ETag>.")
            }
            parts.append(Part(number: number, etag: ASCIIText.unquoted(etag), checksums: ChecksumAlgorithm.checksums(in: part)))
        }
        self.parts = parts
    }

    public var xml: XMLTree {
        XMLTree(
            Self.rootName,
            children: parts.map {
                XMLTree(
                    "Part",
                    children: [.leaf("PartNumber", String($0.number)), .leaf("ETag", "\"\($0.etag)\"")] + ChecksumAlgorithm.elements($0.checksums))
            })
    }
}

/// `<CompleteMultipartUploadResult>`: the answer to CompleteMultipartUpload (an `<Error>` may come with 200 instead).
public struct CompleteMultipartUploadResult: XMLBody, Hashable {
    public static let rootName = "CompleteMultipartUploadResult"
    public var location: String
    public var bucket: String
    public var key: String
    /// Unquoted; empty from Ceph RGW 16, which sends `<ETag></ETag>`.
    public var etag: String
    /// The object's checksum (`value-N` when composite), when the upload had an algorithm.
    public var checksums: [ChecksumAlgorithm: String]
    /// `COMPOSITE` or `FULL_OBJECT`.
    public var checksumType: String?

    public init(
        location: String, bucket: String, key: String, etag: String, checksums: [ChecksumAlgorithm: String] = [:], checksumType: String? = nil
    ) {
        self.location = location
        self.bucket = bucket
        self.key = key
        self.etag = etag
        self.checksums = checksums
        self.checksumType = checksumType
    }

    public init(xml: XMLTree) throws(XMLBodyError) {
        location = xml.text(of: "Location") ?? ""
        bucket = xml.text(of: "Bucket") ?? ""
        key = xml.text(of: "Key") ?? ""
        etag = ASCIIText.unquoted(xml.text(of: "ETag") ?? "")
        checksums = ChecksumAlgorithm.checksums(in: xml)
        checksumType = xml.text(of: "ChecksumType")
    }

    public var xml: XMLTree {
        XMLTree(
            Self.rootName,
            children: [.leaf("Location", location), .leaf("Bucket", bucket), .leaf("Key", key), .leaf("ETag", "\"\(etag)\"")]
                + ChecksumAlgorithm.elements(checksums) + XMLTree.leaves([("ChecksumType", checksumType)]))
    }
}

/// `<ListPartsResult>`: the parts of a multipart upload so far.
public struct ListPartsResult: XMLBody, Hashable {
    /// One uploaded part.
    public struct Part: Sendable, Hashable {
        public var number: Int
        public var lastModified: String
        /// Unquoted.
        public var etag: String
        public var size: Int64
        public var checksums: [ChecksumAlgorithm: String]
        public init(number: Int, lastModified: String, etag: String, size: Int64, checksums: [ChecksumAlgorithm: String] = [:]) {
            self.number = number
            self.lastModified = lastModified
            self.etag = etag
            self.size = size
            self.checksums = checksums
        }
    }

    public static let rootName = "ListPartsResult"
    /// The upload's `x-amz-checksum-algorithm` and `x-amz-checksum-type`, when it had them.
    public var checksumAlgorithm: String?
    public var checksumType: String?
    public var bucket: String
    public var key: String
    public var uploadID: String
    public var parts: [Part]
    public var partNumberMarker = 0
    public var nextPartNumberMarker = 0
    public var maxParts = 1000
    public var isTruncated = false

    public init(bucket: String, key: String, uploadID: String, parts: [Part]) {
        self.bucket = bucket
        self.key = key
        self.uploadID = uploadID
        self.parts = parts
    }

    public init(xml: XMLTree) throws(XMLBodyError) {
        bucket = xml.text(of: "Bucket") ?? ""
        key = xml.text(of: "Key") ?? ""
        uploadID = xml.text(of: "UploadId") ?? ""
        partNumberMarker = Int(xml.integer("PartNumberMarker") ?? 0)
        nextPartNumberMarker = Int(xml.integer("NextPartNumberMarker") ?? 0)
        maxParts = Int(xml.integer("MaxParts") ?? 1000)
        isTruncated = xml.boolean("IsTruncated") ?? false
        parts = xml.children(named: "Part").compactMap { part in
            guard let number = part.text(of: "PartNumber").flatMap({ Int($0) }) else { return nil }
            return Part(
                number: number, lastModified: part.text(of: "LastModified") ?? "", etag: ASCIIText.unquoted(part.text(of: "ETag") ?? ""),
                size: part.integer("Size") ?? 0, checksums: ChecksumAlgorithm.checksums(in: part))
        }
        checksumAlgorithm = xml.text(of: "ChecksumAlgorithm")
        checksumType = xml.text(of: "ChecksumType")
    }

    public var xml: XMLTree {
        let head: [XMLTree] =
            [
                .leaf("Bucket", bucket), .leaf("Key", key), .leaf("UploadId", uploadID), .leaf("PartNumberMarker", String(partNumberMarker)),
                .leaf("NextPartNumberMarker", String(nextPartNumberMarker)), .leaf("MaxParts", String(maxParts)),
                .leaf("IsTruncated", isTruncated ? "true" : "false"), .leaf("StorageClass", "STANDARD"),
            ] + XMLTree.leaves([("ChecksumAlgorithm", checksumAlgorithm), ("ChecksumType", checksumType)])
        return XMLTree(
            Self.rootName,
            children: head
                + parts.map {
                    XMLTree(
                        "Part",
                        children: [
                            .leaf("PartNumber", String($0.number)), .leaf("LastModified", $0.lastModified), .leaf("ETag", "\"\($0.etag)\""),
                            .leaf("Size", String($0.size)),
                        ] + ChecksumAlgorithm.elements($0.checksums))
                })
    }
}

/// `<ListMultipartUploadsResult>`: the multipart uploads in progress.
public struct ListMultipartUploadsResult: XMLBody, Hashable {
    /// One upload in progress.
    public struct Upload: Sendable, Hashable {
        public var key: String
        public var uploadID: String
        public var initiated: String
        public init(key: String, uploadID: String, initiated: String) {
            self.key = key
            self.uploadID = uploadID
            self.initiated = initiated
        }
    }

    public static let rootName = "ListMultipartUploadsResult"
    public var bucket: String
    public var uploads: [Upload]
    public var isTruncated: Bool
    public var nextKeyMarker: String?
    public var nextUploadIDMarker: String?
    /// `url` when keys and markers are percent-encoded (`encoding-type=url`).
    public var encodingType: String?

    public init(
        bucket: String, uploads: [Upload], isTruncated: Bool = false, nextKeyMarker: String? = nil, nextUploadIDMarker: String? = nil,
        encodingType: String? = nil
    ) {
        self.bucket = bucket
        self.uploads = uploads
        self.isTruncated = isTruncated
        self.nextKeyMarker = nextKeyMarker
        self.nextUploadIDMarker = nextUploadIDMarker
        self.encodingType = encodingType
    }

    public init(xml: XMLTree) throws(XMLBodyError) {
        bucket = xml.text(of: "Bucket") ?? ""
        isTruncated = xml.boolean("IsTruncated") ?? false
        nextKeyMarker = xml.text(of: "NextKeyMarker")
        nextUploadIDMarker = xml.text(of: "NextUploadIdMarker")
        encodingType = xml.text(of: "EncodingType")
        uploads = xml.children(named: "Upload").compactMap { upload in
            guard let key = upload.text(of: "Key"), let id = upload.text(of: "UploadId") else { return nil }
            return Upload(key: key, uploadID: id, initiated: upload.text(of: "Initiated") ?? "")
        }
    }

    public var xml: XMLTree {
        var children: [XMLTree] = [.leaf("Bucket", bucket), .leaf("MaxUploads", "1000"), .leaf("IsTruncated", isTruncated ? "true" : "false")]
        children += XMLTree.leaves([("NextKeyMarker", nextKeyMarker), ("NextUploadIdMarker", nextUploadIDMarker)])
        children += uploads.map {
            XMLTree("Upload", children: [.leaf("Key", $0.key), .leaf("UploadId", $0.uploadID), .leaf("Initiated", $0.initiated)])
        }
        children += XMLTree.leaves([("EncodingType", encodingType)])
        return XMLTree(Self.rootName, children: children)
    }
}
