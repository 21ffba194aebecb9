/// `<LifecycleConfiguration>`: the bucket lifecycle rules Dropgate writes (expire objects under a prefix, abort
/// incomplete multipart uploads after some days).
public struct LifecycleConfiguration: XMLBody, Hashable {
    /// One rule.
    public struct Rule: Sendable, Hashable {
        public var id: String
        public var enabled: Bool
        /// The key prefix the rule applies to (empty: the whole bucket).
        public var prefix: String
        /// Days after which objects expire.
        public var expirationDays: Int?
        /// Days after which incomplete multipart uploads are aborted.
        public var abortIncompleteMultipartUploadDays: Int?

        public init(id: String, enabled: Bool = true, prefix: String = "", expirationDays: Int? = nil, abortIncompleteMultipartUploadDays: Int? = nil)
        {
            self.id = id
            self.enabled = enabled
            self.prefix = prefix
            self.expirationDays = expirationDays
            self.abortIncompleteMultipartUploadDays = abortIncompleteMultipartUploadDays
        }
    }

    public static let rootName = "LifecycleConfiguration"
    public var rules: [Rule]

    public init(rules: [Rule]) { self.rules = rules }

    public init(xml: XMLTree) throws(XMLBodyError) {
        rules = xml.children(named: "Rule").map { rule in
            let prefix =
                rule.child("Filter")?.text(of: "Prefix") ?? rule.child("Filter")?.child("And")?.text(of: "Prefix") ?? rule.text(of: "Prefix") ?? ""
            return Rule(
                id: rule.text(of: "ID") ?? "", enabled: rule.text(of: "Status") == "Enabled", prefix: prefix,
                expirationDays: rule.child("Expiration")?.integer("Days").map { Int($0) },
                abortIncompleteMultipartUploadDays: rule.child("AbortIncompleteMultipartUpload")?.integer("DaysAfterInitiation").map { Int($0) })
        }
    }

    public var xml: XMLTree {
        XMLTree(
            Self.rootName,
            children: rules.map { rule in
                var children: [XMLTree] = [
                    .leaf("ID", rule.id), XMLTree("Filter", children: [.leaf("Prefix", rule.prefix)]),
                    .leaf("Status", rule.enabled ? "Enabled" : "Disabled"),
                ]
                if let days = rule.expirationDays { children.append(XMLTree("Expiration", children: [.leaf("Days", String(days))])) }
                if let days = rule.abortIncompleteMultipartUploadDays {
                    children.append(XMLTree("AbortIncompleteMultipartUpload", children: [.leaf("DaysAfterInitiation", String(days))]))
                }
                return XMLTree("Rule", children: children)
            })
    }
}
