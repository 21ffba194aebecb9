import DropgateAPI
import EndToEnd
import Foundation
import HTTPServer

extension ShareService {
    /// `POST /api/shares`: one share of several verified files (their receipts), with the share's terms and password:
    /// 201 with the link and every file's link. Idempotent: the same files name the same share (200).
    func createCollection(_ request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse {
        let uploader = try access.requireUploader(request)
        try access.verified(uploader)
        let owner = access.owner(of: uploader)
        let input: ShareRequest
        do {
            let bytes = try body.readAll(limit: Gateway.largestBody)
            try GatewayError.checkStrict(bytes, ShareRequest.shape)
            input = try APIJSON.decode(ShareRequest.self, from: bytes)
        } catch let error as GatewayError {
            throw error
        } catch let error as HTTPProtocolError {
            throw error
        } catch let error as HTTPBodyAfterContinue {
            throw error
        } catch {
            throw GatewayError.badRequest(
                .invalidShareRequest,
                "A share is {\"files\":[\"<receipt>\",…]} with optional whole-number expiresIn and maxDownloads, a password string, a link string, and true or false for wordLink and burnAfterReading."
            )
        }
        guard let receipts = input.files, !receipts.isEmpty else {
            throw GatewayError.badRequest(.noFiles, "files must list the receipts of the verified uploads to share, at least one.")
        }
        guard receipts.count <= ShareRecord.maximumFiles else {
            throw GatewayError.badRequest(
                .tooManyFiles, "A share holds at most \(ShareRecord.maximumFiles, as: "most") files; this lists \(receipts.count, as: "count").")
        }
        var files = try verifiedFiles(receipts, owner: owner)
        if let folders = input.folders {
            guard input.encrypted != true else {
                throw GatewayError.badRequest(.invalidFolder, "An encrypted share keeps its folders in its sealed manifest, not in folders.")
            }
            guard folders.count == files.count else {
                throw GatewayError.badRequest(
                    .invalidFolder, "folders must give one folder (\"\" for the top level) for each of the \(files.count, as: "count") files.")
            }
            for index in files.indices {
                switch FolderPath.parts(folders[index], of: files[index].file.filename) {
                case .success(let parts): files[index].file.folder = parts.isEmpty ? nil : folders[index]
                case .failure(let refusal): throw GatewayError.badRequest(.invalidFolder, refusal.message)
                }
            }
        }
        let burn = input.burnAfterReading == true
        if burn, let asked = input.maxDownloads, asked != 1 {
            throw GatewayError.badRequest(.invalidMaxDownloads, "burnAfterReading allows one download of each file; leave out maxDownloads.")
        }
        var terms = try ShareTerms(expiresIn: input.expiresIn, maxDownloads: input.maxDownloads, settings: settings)
        if burn { terms.maxDownloads = 1 }
        if input.link != nil, input.wordLink == true {
            throw GatewayError.badRequest(.invalidLink, "A share has one readable link: give link or wordLink, not both.")
        }
        let customLink = try input.link.map(ShareLinkName.custom)
        let password = try input.password.flatMap(Self.validPassword)
        let encrypted = input.encrypted == true
        guard files.allSatisfy({ ($0.sealed == true) == encrypted }) else {
            throw GatewayError.badRequest(
                .encryptionMismatch,
                encrypted
                    ? "An encrypted share holds only uploads declared with encryption." : "Encrypted uploads go in a share with \"encrypted\": true.")
        }
        guard !encrypted || files.count >= 2 else {
            throw GatewayError.badRequest(.noManifest, "An encrypted share is its sealed manifest and at least one sealed file.")
        }
        if let keyWrap = input.keyWrap {
            guard encrypted, password != nil, Self.isWellFormed(keyWrap) else {
                throw GatewayError.badRequest(
                    .invalidKeyWrap,
                    "keyWrap goes with \"encrypted\": true and a password, as {salt (16 bytes), iterations, nonce (12 bytes), wrapped (48 bytes)} in base64url."
                )
            }
        }
        let id = shareID(forUploadKeys: files.map(\.uploadKey))
        if let existing = try shares.load(id) { return try answer(existing, request: request, status: 200) }
        let link =
            try customLink.map { try claim($0, for: id) } ?? (input.wordLink == true ? try claimWords(for: id, password: password != nil) : nil)
        let record: ShareRecord
        let created: Bool
        do {
            (record, created) = try createShare(
                id: id, files: files.map { ($0.uploadKey, $0.file) }, terms: terms, owner: owner, password: password, keyWrap: input.keyWrap,
                encrypted: encrypted, link: link, burnAfterReading: burn,
                cardImage: input.cardImage == true)
        } catch {
            // No share was made: its name is free again (unless another attempt of the same share made it meanwhile).
            if let link, (try? shares.load(id)) == nil { try? client.deleteObject(key: ShareLinkName.key(link)) }
            throw error
        }
        return try answer(record, request: request, status: created ? 201 : 200)
    }

    /// Gives the custom link `name` to share `id`, before the share is written (so a taken name makes no share): 409
    /// when another share has it.
    func claim(_ name: String, for id: String) throws -> String {
        guard try shares.claimLink(name, for: id) else {
            throw GatewayError(409, .linkTaken, "The link /s/\(name, as: "name") is taken; choose another.")
        }
        return name
    }

    /// A word link for share `id`, claimed like a custom one (a draw that meets a taken name draws again).
    func claimWords(for id: String, password: Bool) throws -> String {
        for _ in 0..<4 {
            let name = ShareLinkName.randomWords(password ? ShareLinkName.wordsWithPassword : ShareLinkName.words)
            if try shares.claimLink(name, for: id) { return name }
        }
        throw GatewayError(503, .busy, "No free word link was found; try again.")
    }

    /// The verified uploads that receipts name, each made by `owner` and not yet expired, none twice.
    func verifiedFiles(_ receipts: [String], owner: String?) throws -> [VerifiedFile] {
        let time = Int64(now().timeIntervalSince1970)
        let files = try receipts.enumerated().map { index, receipt in
            guard let verified = SignedToken.open(VerifiedFile.self, receipt, purpose: VerifiedFile.purpose, secret: secret), verified.isWellFormed,
                time <= verified.expiresAt
            else {
                throw GatewayError.badRequest(
                    .invalidReceipt, "File \(index + 1, as: "index")'s receipt is not valid here, or it has expired: complete its upload again.")
            }
            guard verified.owner == owner else {
                throw GatewayError(403, .notYourUpload, "\(verified.file.filename, as: "filename") was uploaded with another upload token.")
            }
            return verified
        }
        guard Set(files.map(\.uploadKey)).count == files.count else {
            throw GatewayError.badRequest(.duplicateFile, "files lists the same upload twice.")
        }
        return files
    }

    /// A key wrap of the shape `docs/encryption.md` gives; the gateway keeps it and hands it to the page, never opens it.
    static func isWellFormed(_ wrap: KeyWrap) -> Bool {
        KeyWrap.iterationRange.contains(wrap.iterations) && Base64URL.decode(wrap.salt)?.count == 16
            && Base64URL.decode(wrap.nonce)?.count == 12 && Base64URL.decode(wrap.wrapped)?.count == 48
    }

    /// A password a share may have: 1 to ``PasswordHash/maximumLength`` bytes; empty means none.
    static func validPassword(_ password: String) throws -> String? {
        guard !password.isEmpty else { return nil }
        guard password.utf8.count <= PasswordHash.maximumLength else {
            throw GatewayError.badRequest(.invalidPassword, "password is at most \(PasswordHash.maximumLength, as: "most") bytes.")
        }
        return password
    }
}
