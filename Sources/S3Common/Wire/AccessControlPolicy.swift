/// `<AccessControlPolicy>`: an object's ACL, as GetObjectAcl answers it. Grantees are read by what they carry (an
/// `ID`, a group's `URI` or an `EmailAddress`), so a document reads the same with or without `xsi:type`; they are
/// written with it, as S3 writes them and clients such as s3cmd require.
public struct AccessControlPolicy: XMLBody, Hashable {
    public static let rootName = "AccessControlPolicy"

    /// One grant: who, and what they may do.
    public struct Grant: Sendable, Hashable {
        /// The canonical user's id, when the grantee is one.
        public var id: String?
        /// The group's URI (`…/global/AllUsers`), when the grantee is a group.
        public var uri: String?
        public var email: String?
        public var permission: String

        public init(id: String? = nil, uri: String? = nil, email: String? = nil, permission: String) {
            self.id = id
            self.uri = uri
            self.email = email
            self.permission = permission
        }
    }

    public var ownerID: String
    public var grants: [Grant]

    public init(ownerID: String, grants: [Grant]) {
        self.ownerID = ownerID
        self.grants = grants
    }

    public init(xml: XMLTree) throws(XMLBodyError) {
        ownerID = xml.child("Owner")?.text(of: "ID") ?? ""
        grants = (xml.child("AccessControlList")?.children(named: "Grant") ?? []).map { grant in
            let grantee = grant.child("Grantee")
            return Grant(
                id: grantee?.text(of: "ID"), uri: grantee?.text(of: "URI"), email: grantee?.text(of: "EmailAddress"),
                permission: grant.text(of: "Permission") ?? "")
        }
    }

    /// The grants to anyone but the owner: a group (everyone, any authenticated user), an address, another user.
    public var grantsBeyondOwner: [Grant] {
        grants.filter { $0.uri != nil || $0.email != nil || ($0.id ?? "") != ownerID }
    }

    public var xml: XMLTree {
        let owner = XMLTree("Owner", children: [.leaf("ID", ownerID), .leaf("DisplayName", ownerID)])
        let list = grants.map { grant in
            var grantee: [XMLTree] = []
            if let id = grant.id { grantee.append(.leaf("ID", id)) }
            if let uri = grant.uri { grantee.append(.leaf("URI", uri)) }
            if let email = grant.email { grantee.append(.leaf("EmailAddress", email)) }
            let type = grant.uri != nil ? "Group" : grant.id != nil ? "CanonicalUser" : "AmazonCustomerByEmail"
            let attributes: [XMLTree.Attribute] = [.init("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"), .init("xsi:type", type)]
            return XMLTree(
                "Grant", children: [XMLTree("Grantee", children: grantee, attributes: attributes), .leaf("Permission", grant.permission)])
        }
        return XMLTree(Self.rootName, children: [owner, XMLTree("AccessControlList", children: list)])
    }
}
