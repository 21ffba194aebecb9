/// The gateway's routes with the types they take and answer: the README's API table is ``markdown``.
public enum APIReference {
    /// One route.
    public struct Route: Sendable {
        public var method: String
        public var path: String
        /// The request body's type, if any.
        public var request: String?
        /// The success answer: status and type (or what it is).
        public var answer: String
        public var notes: String
    }

    public static let routes: [Route] = [
        Route(
            method: "POST", path: "/api/uploads", request: name(UploadRequest.self), answer: "201 \(name(UploadPlan.self))",
            notes: "A presigned PUT (`method`, `url` and signed `headers`; with `?format=shell`, the PUT and the completion as one "
                + "shell command instead), a `multipart` plan over `uploads.multipartThreshold`, or with "
                + "`\"mode\":\"post\"` a POST-policy form (`fields`) whose `content-length-range` is the declared size."),
        Route(
            method: "POST", path: "/api/uploads/{id}/complete", request: name(CompletionRequest.self), answer: "201 \(name(Completion.self))",
            notes: "Multipart uploads list their `parts`. The gateway HEADs the object: a mismatch deletes it and answers "
                + "`422 upload_mismatch` with each `mismatches` entry. With `Accept: text/plain` the answer is the share link alone. "
                + "With `\"collection\": true` it makes no share and answers `200 \(name(VerifiedUpload.self))`: a receipt for `POST /api/shares`."),
        Route(
            method: "POST", path: "/api/uploads/{id}/thumbnail", request: name(ThumbnailRequest.self), answer: "201 \(name(ThumbnailPlan.self))",
            notes: "A presigned PUT for the upload's thumbnail (an image's or a video's poster frame, drawn by the uploader): "
                + "`image/webp` or `image/jpeg`, 1 to 65,536 bytes (an encrypted upload's sealed like its file, "
                + "`application/octet-stream`). Completion keeps it where no URL can write and checks its size and first bytes "
                + "(`422 invalid_thumbnail` deletes it; completing again shares the file without one)."),
        Route(
            method: "GET", path: "/api/uploads/{id}/parts", request: nil, answer: "200 \(name(StoredParts.self))",
            notes: "The parts the store has of a multipart upload (ListParts), so a resumed upload sends only the rest; "
                + "`410 upload_finished` once completed or cancelled."),
        Route(
            method: "POST", path: "/api/uploads/{id}/parts", request: name(PartsRequest.self), answer: "200 \(name(PartURLs.self))",
            notes: "Fresh presigned URLs for those parts, valid `uploads.presignExpiry` within the plan's `resumableUntil` "
                + "(`uploads.resumeWindow`): how an interrupted upload resumes."),
        Route(
            method: "DELETE", path: "/api/uploads/{id}", request: nil, answer: "204",
            notes: "Cancels an upload: a multipart upload is aborted, a single upload's object deleted, the client's pending bytes released."),
        Route(
            method: "POST", path: "/api/shares", request: name(ShareRequest.self), answer: "201 \(name(Completion.self))",
            notes: "One share of verified files (receipts, at most 1,000), with `expiresIn`, `maxDownloads` (of each file) and "
                + "`password`, or end to end `encrypted` (the sealed manifest first) with a `keyWrap`; `files` lists each file's link `/s/{id}/{n}`. The same receipts answer the same share (200); a file "
                + "already in another share is `409 already_shared`. `link` asks for a custom link `/s/{link}` (`409 link_taken` when another "
                + "share has it, `400 invalid_link` for a bad or reserved name), `wordLink` for one of random words, and `burnAfterReading` "
                + "allows one download of each file. `cardImage` lets the link's card show the first thumbnail (never for a password or "
                + "encrypted share). `folders` gives each file's folder (`\"\"` at the top; `400 invalid_folder` names a "
                + "file whose folder is refused)."),
        Route(
            method: "GET", path: "/api/limits", request: nil, answer: "200 \(name(UploadLimits.self))",
            notes: "What a client needs before it declares."),
        Route(
            method: "GET", path: "/api/usage", request: nil, answer: "200 \(name(TokenUsageReport.self))",
            notes: "With `Authorization: Bearer <upload token>`: what the token keeps stored against `auth.quota`."),
        Route(
            method: "GET", path: "/api/shares/{id}", request: nil, answer: "200 \(name(ShareFacts.self))",
            notes: "A share's public facts and its `files`; `401 password_required` for a share with a password, unless the "
                + "request carries its unlock cookie (an encrypted share then also gives its `keyWrap`)."),
        Route(
            method: "GET", path: "/api/shares/{id}/unlock", request: nil, answer: "200 \(name(UnlockInfo.self))",
            notes: "Whether the share needs a password, and for an encrypted one its key wrap's public salt and count."),
        Route(
            method: "DELETE", path: "/api/shares/{id}", request: nil, answer: "204",
            notes: "With `Authorization: Bearer <deleteToken>`, or by its owner (signed in with `X-CSRF-Token`, or a personal "
                + "token with the `shares` scope): revokes the share and deletes its objects."),
        Route(
            method: "GET", path: "/auth/login", request: nil, answer: "302",
            notes: "Signs in with `auth.oidc.issuer` (authorization code flow with PKCE S256, `state` and `nonce`); `?return=/path` "
                + "comes back there. 404 while no provider is set, 503 while it cannot be reached."),
        Route(
            method: "GET", path: "/auth/callback", request: nil, answer: "303",
            notes: "Where the provider sends the browser back. The state must match this browser's sign-in cookie; the code is "
                + "exchanged once and the ID token verified (issuer, audience, expiry, nonce, the provider's keys). Sets the "
                + "signed `dg_session` cookie (HttpOnly, SameSite=Lax, Secure on https); a refused sign-in is an HTML page that says why."),
        Route(
            method: "POST", path: "/auth/logout-everywhere", request: nil, answer: "200 `{signedOut, next}`",
            notes: "Ends every session of the signed-in account (with `X-CSRF-Token`), on every device and gateway within a second."),
        Route(
            method: "GET", path: "/auth/cli", request: nil, answer: "200 HTML",
            notes: "Where `dropgate login` sends the browser (`port`, `state`, `host`): signed out, it signs in first; signed in, "
                + "it asks whether the command line may act for the user. `POST /auth/cli` (the form, with its CSRF token) makes a "
                + "personal token and hands it to the command's loopback listener by a form the user submits there."),
        Route(
            method: "POST", path: "/auth/logout", request: nil, answer: "200 `{signedOut, next}`",
            notes: "Ends the session in this browser (with `X-CSRF-Token`); `next` is the provider's logout page when it has one."),
        Route(
            method: "GET", path: "/api/me", request: nil, answer: "200 `{signedIn, name, admin, csrfToken, signIn}`",
            notes: "Who is signed in, and the CSRF token that every state-changing request made with the session cookie sends "
                + "as `X-CSRF-Token` (else `403 csrf_rejected`); signed out, where to sign in."),
        Route(
            method: "PATCH", path: "/api/shares/{id}", request: name(ShareEditRequest.self), answer: "200 \(name(OwnedShare.self))",
            notes: "The owner (signed in with `X-CSRF-Token`, or a personal token with the `shares` scope) changes a live share's "
                + "expiry (from now), download limit or password, bounded as at creation; every gateway applies it at once, and a "
                + "browser that opened the old password is locked out. A dead share (expired, revoked, used up) is `410`. "
                + "`addFiles` (receipts of uploads completed with `\"collection\": true`) and `removeFiles` (file numbers) change a "
                + "plain share's files: removed files' objects are deleted, added bytes count against the owner's quota "
                + "(`403 quota_exceeded`), and a limit set later counts each file's downloads so far."),
        Route(
            method: "GET", path: "/api/me/shares", request: nil, answer: "200 \(name(OwnedShares.self))",
            notes: "The signed-in user's live shares (or with a personal token's `shares` scope), newest first, 20 a page "
                + "(`?page=N`, `nextPage`): the same on every device and gateway, as they are kept in the bucket."),
        Route(
            method: "POST", path: "/api/me/tokens", request: name(TokenRequest.self), answer: "201 \(name(PersonalTokenCreated.self))",
            notes: "A personal API token (signed in, with `X-CSRF-Token`): a `name` and `scopes` (`upload`, `shares`, and for "
                + "admins `admin`, which lasts one `auth.session.lifetime`); the token "
                + "(`dgp.…`, used as `Authorization: Bearer`) is shown this once and kept only as a hash; at most 50 a user "
                + "(`409 too_many_tokens`). A token acts for its user; past its scopes, `403 insufficient_scope`."),
        Route(
            method: "GET", path: "/api/me/tokens", request: nil, answer: "200 \(name(PersonalTokenList.self))",
            notes: "The signed-in user's live tokens: names, scopes and dates, never the tokens."),
        Route(
            method: "DELETE", path: "/api/me/tokens/{id}", request: nil, answer: "204",
            notes: "Revokes a token (signed in, with `X-CSRF-Token`), at once on every gateway."),
        Route(
            method: "GET", path: "/api/shares/{id}/log", request: nil, answer: "200 \(name(ShareLog.self))",
            notes: "The share's download log for its owner or the holder of its delete token (`?format=csv` for CSV): each "
                + "download's time, file, user-agent family, visitor mark and `receipt` (`link_followed`, `transfer_started`, or "
                + "`store_link` with `completed` from the embedded store), and per UTC day the downloads and distinct visitors. No "
                + "address is kept; entries older than `shares.logRetention` are deleted."),
        Route(
            method: "POST", path: "/api/shares/{id}/mail", request: name(ShareMail.self), answer: "202 `{queued}`",
            notes: "Mails the share's link (never its files) to up to `mail.maxRecipients` addresses with an optional `message`, as its "
                + "owner (signed in, or a personal token) or with its delete token. Queued in the bucket and sent by SMTP with retries; "
                + "`mail.perHour` recipients an hour per sender and per client address (then 429). An address that is not one "
                + "(`name@example.org`, nothing else) is `400 invalid_mail`, as is an end-to-end encrypted share (its key never reaches "
                + "the gateway). 404 where `mail.host` is not set."),
        Route(
            method: "PUT", path: "/api/me/notices", request: name(NoticeSettings.self), answer: "200 \(name(NoticeSettings.self))",
            notes: "Which events mail the signed-in user, at the address their provider gave at sign-in: `request.submitted`, "
                + "`share.downloaded` (the first download of each share), `share.download_limit_reached`, `share.expiring`. Each mail is "
                + "sent once, however many gateways see the event. `GET /api/me/notices` answers them, with `mailEnabled`."),
        Route(
            method: "POST", path: "/api/me/webhooks", request: name(WebhookCreate.self), answer: "201 \(name(WebhookCreated.self))",
            notes: "A webhook endpoint of the signed-in user (CSRF token with a session, or a personal token with `shares`): its `url` "
                + "(`https://`; plain `http` only with `webhooks.allowHTTP`; no loopback, private or link-local address unless "
                + "`webhooks.allowedTargets` names it) and the `events` it gets (none: all). The answer carries its signing `secret` "
                + "(`whsec_…`), shown once. At most `webhooks.maxPerUser`; then `409 too_many_webhooks`; a bad one `400 invalid_webhook`."),
        Route(
            method: "GET", path: "/api/me/webhooks", request: nil, answer: "200 \(name(WebhookList.self))",
            notes: "The user's endpoints with their last 20 delivery attempts (event, type, status or why it failed), whether each was "
                + "disabled and why, and every event type. `DELETE /api/me/webhooks/{id}` deletes one with its queue; "
                + "`POST /api/me/webhooks/{id}/enable` enables a disabled one."),
        Route(
            method: "GET", path: "/api/admin/users", request: nil, answer: "200 \(name(AdminUsers.self))",
            notes: "Admins (`auth.oidc.adminGroup`, or a token with the `admin` scope) only: every account, 100 a page "
                + "(`?after=<id>`), with its shares, bytes kept, and whether it is disabled."),
        Route(
            method: "GET", path: "/api/admin/shares", request: nil, answer: "200 \(name(AdminShares.self))",
            notes: "Admins only: every share in the bucket, 50 a page in id order (`?after=<id>`, `next`), each as its owner "
                + "sees it, with the owning account (or upload token fingerprint) and its name."),
        Route(
            method: "POST", path: "/api/admin/users/{id}/disable", request: name(DisableRequest.self), answer: "204",
            notes: "Admins only, with `X-CSRF-Token`: the account's sessions and tokens stop on every gateway within a second "
                + "(`403 account_disabled`) and it cannot sign in; with `revokeShares`, its shares are revoked too. "
                + "`POST /api/admin/users/{id}/enable` undoes it. An admin also revokes any share with `DELETE /api/shares/{id}`."),
        Route(
            method: "GET", path: "/s/{id}", request: nil, answer: "200 HTML",
            notes: "The view page (a collection lists its files, with Download all); 404 unknown, 410 expired, revoked or out of "
                + "downloads, with the reason. A share with a password shows only the password form."),
        Route(
            method: "POST", path: "/s/{id}/unlock", request: "form: password", answer: "303",
            notes: "The right password sets the share's unlock cookie (HMAC-signed, `HttpOnly`, `SameSite=Strict`, `Path=/s/{id}`, "
                + "an hour); a wrong one is 403, and more than 10 a minute per client (60 per share) 429."),
        Route(
            method: "GET", path: "/s/{id}/raw", request: nil, answer: "302",
            notes: "The first file: to a fresh presigned GET (`shares.linkExpiry`); `?download=1` as an attachment; counts a download."),
        Route(
            method: "GET", path: "/s/{id}/{n}", request: nil, answer: "200 HTML", notes: "File `n` (from 1) of the share: its own page."),
        Route(
            method: "GET", path: "/s/{id}/{n}/raw", request: nil, answer: "302",
            notes: "File `n`'s download, as `/s/{id}/raw`; `maxDownloads` counts for each file."),
        Route(
            method: "GET", path: "/s/{id}/{n}/thumb", request: nil, answer: "302",
            notes: "File `n`'s thumbnail: to a presigned GET of at most 10 minutes; counts no download; 404 without one (and for "
                + "a share that burns after reading), 403 before a password share is unlocked, 410 once unavailable."),
        Route(
            method: "GET", path: "/s/{id}/qr.svg", request: nil, answer: "200 SVG",
            notes: "The share link as a QR code (libqrencode, error correction M); 404 unknown, 410 no longer available."),
        Route(
            method: "POST", path: "/api/requests", request: name(FileRequestCreate.self), answer: "201 \(name(FileRequestCreated.self))",
            notes: "A file request: a `title`, an optional `note`, caps (`maxFiles`, 20 by default and 1,000 at most; `maxBytes` in all; "
                + "`maxFileBytes`, at most `uploads.maxBytes`), `allowedTypes` (`image/*`, `application/pdf`), `expiresIn`, and `multiple` "
                + "(false: one submission), a `password` for senders, and `notify` (each submission is recorded once as a "
                + "`request.submitted` event, for notices to deliver). Signed in (or with a personal token) it is the account's; "
                + "elsewhere, where anyone may upload, the answer carries an `ownerToken` (`dgr.…`, shown once) that manages it. Senders "
                + "open `/r/{id}`; with a password, `POST /api/requests/{id}/unlock {password}` answers a `pass` (an hour) that their "
                + "uploads and submission carry as `X-Request-Pass` (else `401 password_required`; guesses bounded as for shares). "
                + "`encryption: {publicKey: {alg: X25519 | P-256, key}, sealedPrivateKey?}` makes it encrypted to its owner "
                + "(`docs/encryption.md`): senders seal every file and wrap its key to that key, and the link senders need ends in "
                + "`#pk=<alg>.<key>`; it cannot limit `allowedTypes`."),
        Route(
            method: "GET", path: "/api/requests/{id}", request: nil, answer: "200 \(name(FileRequestInfo.self))",
            notes: "What the request asks senders for, what is left (`filesLeft`, `bytesLeft`, counting uploads under way) and why it is "
                + "`closed` when it takes nothing more."),
        Route(
            method: "POST", path: "/api/requests/{id}/uploads", request: name(UploadRequest.self), answer: "201 \(name(UploadPlan.self))",
            notes: "A sender's file, declared as for `POST /api/uploads`: held in the request's count before any URL is issued (exact across "
                + "gateways), and every URL signs its exact length. Past the caps `409 request_full` (`413` for one file over `maxFileBytes`), "
                + "a type not allowed `415`, closed or expired `410 request_closed`. Complete it with `\"collection\": true`. An encrypted "
                + "request takes only sealed files (`encryption` declared, the sizes sealed sizes), a plain one none: else `400 invalid_encryption`."),
        Route(
            method: "POST", path: "/api/requests/{id}/submissions", request: name(FileSubmissionRequest.self),
            answer: "201 \(name(FileSubmission.self))",
            notes: "Hands the sender's verified uploads (their receipts) to the owner, with an optional name and email; the answer is the "
                + "sender's receipt, naming only their files. The same files again answer the same submission. To an encrypted request it "
                + "also carries `keyWrap` (the submission's key wrapped to the owner's, of its curve) and `manifest` (the sealed list of "
                + "names, at most 64 KiB); without them, `400 invalid_encryption`."),
        Route(
            method: "GET", path: "/api/requests/{id}/submissions", request: nil, answer: "200 \(name(FileRequestDetail.self))",
            notes: "The owner's view (signed in, a personal token with `shares`, or the owner token): every submission, who and when, and "
                + "each file's `url`, which `GET` answers with `{url}`, a fresh presigned GET. `DELETE /api/requests/{id}/submissions/{sid}` "
                + "deletes a submission and its files (the request may take as much again); `POST /api/requests/{id}/close` closes it at "
                + "once on every gateway; `GET /api/me/requests` lists a signed-in user's requests. Encrypted, each submission carries its "
                + "`keyWrap` and `manifest`, and the detail the owner's `sealedPrivateKey`, if the request was made in a browser."),
        Route(
            method: "GET", path: "/language", request: nil, answer: "303",
            notes: "`?to=en|de|fr&back=<path>`: the header's language switcher. Keeps the choice a year in the `dg_lang` cookie "
                + "(over `Accept-Language`) and returns to `back`, a path of this site only; 400 for another language."),
        Route(
            method: "GET", path: "/oembed", request: nil, answer: "200 `{version, type: link, title, provider_name, provider_url}`",
            notes: "`?url=<share link>&format=json`: the share's link card as oEmbed. Like the page's OpenGraph and Twitter tags, it "
                + "counts no download; a share with a password or encrypted is only \"Shared files\". 404 for anything but a live "
                + "share of this gateway, 501 for another format."),
        Route(
            method: "GET", path: "/robots.txt", request: nil, answer: "200 text",
            notes: "Crawlers may read share pages, which answer `X-Robots-Tag: noindex, nofollow` (as every page but `/` does), "
                + "but not downloads, the API or account pages."),
        Route(
            method: "GET", path: "/healthz", request: nil, answer: "200 \(name(Status.self))", notes: "Liveness: `ok` whenever the process answers."),
        Route(
            method: "GET", path: "/readyz", request: nil, answer: "200 \(name(Status.self))",
            notes: "Readiness: `ready` when the store answers HeadBucket with the configured credentials (at most one check a second), "
                + "else `503 not_ready` with the reason."),
    ]

    /// The README's API table.
    public static var markdown: String {
        var lines = ["| route | request | answer | what |", "| --- | --- | --- | --- |"]
        for route in routes {
            lines.append("| `\(route.method) \(route.path)` | \(route.request.map { "`\($0)`" } ?? "") | `\(route.answer)` | \(route.notes) |")
        }
        return lines.joined(separator: "\n")
    }

    static func name(_ type: Any.Type) -> String { String(describing: type) }
}
