/// `<PublicAccessBlockConfiguration>`: the four switches that keep a bucket from being made public by ACLs or policies.
public struct PublicAccessBlockConfiguration: XMLBody, Hashable {
    public static let rootName = "PublicAccessBlockConfiguration"

    public var blockPublicAcls: Bool
    public var ignorePublicAcls: Bool
    public var blockPublicPolicy: Bool
    public var restrictPublicBuckets: Bool

    /// Every switch on, or every switch off.
    public init(all on: Bool) {
        blockPublicAcls = on
        ignorePublicAcls = on
        blockPublicPolicy = on
        restrictPublicBuckets = on
    }

    /// Whether every switch is on.
    public var blocksEverything: Bool { blockPublicAcls && ignorePublicAcls && blockPublicPolicy && restrictPublicBuckets }

    public init(xml: XMLTree) throws(XMLBodyError) {
        func flag(_ name: String) -> Bool { xml.text(of: name)?.lowercased() == "true" }
        blockPublicAcls = flag("BlockPublicAcls")
        ignorePublicAcls = flag("IgnorePublicAcls")
        blockPublicPolicy = flag("BlockPublicPolicy")
        restrictPublicBuckets = flag("RestrictPublicBuckets")
    }

    public var xml: XMLTree {
        XMLTree(
            Self.rootName,
            children: [
                .leaf("BlockPublicAcls", String(blockPublicAcls)), .leaf("IgnorePublicAcls", String(ignorePublicAcls)),
                .leaf("BlockPublicPolicy", String(blockPublicPolicy)), .leaf("RestrictPublicBuckets", String(restrictPublicBuckets)),
            ])
    }
}
