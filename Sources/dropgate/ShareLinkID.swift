/// The ids in Dropgate's links (`/s/<id>`, `/r/<id>`): 22 base64url characters, checked byte by byte.
enum ShareLinkID {
    static func isValid(_ id: Substring) -> Bool {
        id.utf8.count == 22
            && id.utf8.allSatisfy {
                $0 == 0x2D || $0 == 0x5F || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0)
            }
    }
}
