/// `<CORSConfiguration><CORSRule>…</CORSRule>…</CORSConfiguration>`: GetBucketCors and PutBucketCors.
public struct CORSConfiguration: XMLBody, Hashable {
    public static let rootName = "CORSConfiguration"
    public var rules: [CORSRule]

    public init(rules: [CORSRule]) { self.rules = rules }

    public init(xml: XMLTree) throws(XMLBodyError) {
        rules = xml.children(named: "CORSRule").map { rule in
            let values = { (name: String) in rule.children(named: name).map(\.text) }
            return CORSRule(
                allowedOrigins: values("AllowedOrigin"), allowedMethods: values("AllowedMethod"), allowedHeaders: values("AllowedHeader"),
                exposeHeaders: values("ExposeHeader"), maxAgeSeconds: rule.text(of: "MaxAgeSeconds").flatMap { Int($0) })
        }
    }

    public var xml: XMLTree {
        XMLTree(
            Self.rootName,
            children: rules.map { rule in
                var children: [XMLTree] = []
                children += rule.allowedOrigins.map { .leaf("AllowedOrigin", $0) }
                children += rule.allowedMethods.map { .leaf("AllowedMethod", $0) }
                children += rule.allowedHeaders.map { .leaf("AllowedHeader", $0) }
                children += rule.exposeHeaders.map { .leaf("ExposeHeader", $0) }
                if let maxAge = rule.maxAgeSeconds { children.append(.leaf("MaxAgeSeconds", String(maxAge))) }
                return XMLTree("CORSRule", children: children)
            })
    }
}
