/// `<Delete><Object><Key>…</Key></Object>…<Quiet>true</Quiet></Delete>`: the DeleteObjects request.
public struct DeleteRequest: XMLBody, Hashable {
    public static let rootName = "Delete"
    public var keys: [String]
    public var quiet: Bool

    public init(keys: [String], quiet: Bool = false) {
        self.keys = keys
        self.quiet = quiet
    }

    public init(xml: XMLTree) throws(XMLBodyError) {
        keys = xml.children(named: "Object").compactMap { $0.text(of: "Key") }
        quiet = xml.boolean("Quiet") ?? false
    }

    public var xml: XMLTree {
        XMLTree(Self.rootName, children: keys.map { XMLTree("Object", children: [.leaf("Key", $0)]) } + [.leaf("Quiet", quiet ? "true" : "false")])
    }
}

/// `<DeleteResult>`: what DeleteObjects deleted, and what it could not.
public struct DeleteResult: XMLBody, Hashable {
    /// A key that could not be deleted, and why.
    public struct Failure: Sendable, Hashable {
        public var key: String
        public var code: String
        public var message: String
        public init(key: String, code: String, message: String) {
            self.key = key
            self.code = code
            self.message = message
        }
    }

    public static let rootName = "DeleteResult"
    public var deleted: [String]
    public var errors: [Failure]

    public init(deleted: [String], errors: [Failure]) {
        self.deleted = deleted
        self.errors = errors
    }

    public init(xml: XMLTree) throws(XMLBodyError) {
        deleted = xml.children(named: "Deleted").compactMap { $0.text(of: "Key") }
        errors = xml.children(named: "Error").map {
            Failure(key: $0.text(of: "Key") ?? "", code: $0.text(of: "Code") ?? "", message: $0.text(of: "Message") ?? "")
        }
    }

    public var xml: XMLTree {
        XMLTree(
            Self.rootName,
            children: deleted.map { XMLTree("Deleted", children: [.leaf("Key", $0)]) }
                + errors.map { XMLTree("Error", children: [.leaf("Key", $0.key), .leaf("Code", $0.code), .leaf("Message", $0.message)]) })
    }
}
