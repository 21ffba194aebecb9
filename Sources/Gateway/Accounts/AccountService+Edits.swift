import DropgateAPI
import Foundation
import HTTPServer
import HTTPWire

extension AccountService {
    /// `PATCH /api/shares/{id}`: the owner (signed in with the CSRF token, or a personal token with the `shares`
    /// scope) changes a live share's expiry, download limit or password, bounded as at creation; the change holds on
    /// every gateway at once (every read of an owned share applies it) and is kept with who made it and when.
    func editShare(_ request: HTTPRequest, body: HTTPRequestBody) throws -> HTTPResponse {
        let owner = try shareOwner(request, changing: true)
        let by = Gateway.bearer(request) == nil ? (sessions.session(of: request)?.name ?? "the owner") : "a personal token"
        let path = request.pathParameters["id"] ?? ""
        // Counted (limited or not), so that a share its downloads used up reads as dead: an edit does not revive it.
        guard let record = try sharing.shares.load(path, counting: false).map(sharing.shares.counted) else {
            throw GatewayError(404, .unknownShare, "There is no share \(path, as: "path").")
        }
        let id = record.id  // the path may name it by its readable link
        guard record.owner.map({ ConstantTime.equals(Array($0.utf8), Array(owner.utf8)) }) == true else {
            throw GatewayError(403, .unauthorized, "This share is not yours to change.")
        }
        if let reason = record.unavailability(at: now()) { throw GatewayError(410, .shareUnavailable, reason) }
        // Room for a collection's worth of receipts (each well under 2 KiB).
        let bytes = try body.readAll(limit: Gateway.largestBody)
        try GatewayError.checkStrict(bytes, ShareEditRequest.shape)
        guard let input = try? APIJSON.decode(ShareEditRequest.self, from: bytes) else {
            throw GatewayError.badRequest(
                .invalidJSON,
                Wording(
                    verbatim:
                        #"A change is {"expiresIn": seconds, "maxDownloads": n or "unlimited": true, "password": "…" or "clearPassword": true, "#
                        + #""addFiles": ["<receipt>", …], "removeFiles": [n, …]}."#))
        }
        let time = Int64(now().timeIntervalSince1970)
        var fields: [String] = []
        var expiresAt: Int64?
        if let expiresIn = input.expiresIn {
            let terms = try ShareTerms(expiresIn: expiresIn, maxDownloads: nil, settings: settings)
            expiresAt = time + Int64(terms.expiresIn)
            fields.append("expiry")
        }
        if input.maxDownloads != nil, input.unlimited == true {
            throw GatewayError.badRequest(.invalidMaxDownloads, "Send maxDownloads or unlimited, not both.")
        }
        if record.burnAfterReading == true, input.maxDownloads != nil || input.unlimited == true {
            throw GatewayError.badRequest(.invalidMaxDownloads, "This share burns after reading: its one download cannot be changed.")
        }
        if let limit = input.maxDownloads {
            guard limit >= 1, limit <= 1_000_000 else {
                throw GatewayError.badRequest(.invalidMaxDownloads, "maxDownloads must be a whole number from 1 to 1000000.")
            }
            fields.append("maxDownloads")
        } else if input.unlimited == true {
            fields.append("maxDownloads")
        }
        if input.password != nil, input.clearPassword == true {
            throw GatewayError.badRequest(.invalidPassword, "Send password or clearPassword, not both.")
        }
        var hash: PasswordHash?
        if let password = input.password {
            guard record.encrypted != true else {
                throw GatewayError.badRequest(.invalidPassword, "An encrypted share's password guards its key: it cannot be changed here.")
            }
            guard let valid = try ShareService.validPassword(password) else {
                throw GatewayError.badRequest(.invalidPassword, "password is empty: send clearPassword to remove it.")
            }
            hash = try sharing.access.hashed(valid)
            fields.append("password")
        } else if input.clearPassword == true {
            guard record.encrypted != true else {
                throw GatewayError.badRequest(.invalidPassword, "An encrypted share's password guards its key: it cannot be removed.")
            }
            fields.append("password")
        }
        let files = try collectionChange(input, record: record, owner: owner)
        if files != nil { fields.append("files") }
        guard !fields.isEmpty else { throw GatewayError.badRequest(.badRequest, "The change changes nothing.") }
        var outcome: CollectionChange.Outcome?
        var reserved = false
        // A limit set now leaves room only for what the downloads made while the share was unlimited did not use.
        let unlimitedSoFar = input.maxDownloads == nil ? nil : try sharing.shares.ledger.unlimitedDownloads(id, files: record.ledgerFiles)
        let initial = ShareEdit(expiresAt: record.expiresAt, maxDownloads: record.maxDownloads, password: record.password)
        let terms: ShareEdit
        do {
            if let files, files.bytesAdded > 0 {
                try sharing.access.quota.reserve(owner, share: id, adding: files.bytesAdded)
                reserved = true
            }
            terms = try sharing.shares.edits.state(id).update(initial: initial) { edit in
                if let expiresAt { edit.expiresAt = expiresAt }
                if let limit = input.maxDownloads {
                    edit.maxDownloads = Int(limit)
                    edit.downloadsBeforeLimit = unlimitedSoFar.flatMap { $0.contains { $0 > 0 } ? $0 : nil }
                } else if input.unlimited == true {
                    edit.maxDownloads = nil
                }
                if let hash { edit.password = hash } else if input.clearPassword == true { edit.password = nil }
                if let files {
                    outcome = files.apply(to: &edit)
                    if case .refused = outcome { return false }
                }
                edit.history = Array((edit.history + [ShareEdit.Change(at: time, by: by, fields: fields)]).suffix(ShareEdit.historyLimit))
                return true
            }
        } catch {
            // Over the quota, or the store failed the change: what was reserved for its files is given back, and the
            // uploads it meant to add are free for another share.
            if let files { try? settleFiles(files, of: id, owner: owner, reserved: reserved, landed: nil) }
            throw error
        }
        // Settled whether the change landed or not: a reservation for files not added is given back.
        if let files { try settleFiles(files, of: id, owner: owner, reserved: reserved, landed: outcome) }
        if case .refused(let refusal) = outcome { throw GatewayError(409, .tooManyFiles, refusal) }
        logger.info("share \(id) changed by its owner: \(fields.joined(separator: ", "))")
        // The record as read, under the terms just written: no second read of the share, unless its files changed.
        if files != nil, let changed = try sharing.shares.load(id, counting: false).map(sharing.shares.counted) {
            return HTTPResponse.json(ownedShare(changed), status: 200)
        }
        return HTTPResponse.json(ownedShare(terms.applied(to: record)), status: 200)
    }
}
