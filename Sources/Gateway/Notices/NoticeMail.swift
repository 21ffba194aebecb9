import DropgateAPI
import Foundation

/// The mail that tells a user of an event they asked to hear of: what happened, in plain words, and where to look.
/// A download says what "downloaded" means here (the link was followed, or the gateway began to send the bytes).
enum NoticeMail {
    static func message(_ kind: NoticeEvent.Kind, data: NoticeEvent.Details, to address: String, publicBase: String) -> MailMessage? {
        let title = "“\(data.title ?? "your share")”"
        let mine = MailMessage.Paragraph(text: "Your shares and requests:", link: "\(publicBase)/me")
        let footer = MailMessage.Paragraph(text: "You get this mail because you asked for it on your page. Change it there.")
        let link = data.url.map { MailMessage.Paragraph(text: "The share:", link: $0) }
        let lines: (subject: String, first: String)
        switch kind {
        case .requestSubmitted:
            let files = data.files ?? 0
            lines = (
                "New files for \(title)",
                "\(files) file\(files == 1 ? "" : "s") (\(SizeText.words(data.bytes ?? 0))) were sent to your file request \(title)."
            )
        case .shareDownloaded:
            let meaning =
                data.receipt == "transfer_started"
                ? "the gateway began sending its bytes"
                : "its link was followed; the gateway sends browsers to the store and cannot see the bytes arrive"
            lines = (
                "\(title) was downloaded",
                "Your share \(title) was downloaded (\(meaning)). This mail comes once a share: for the first download seen while you asked for it."
            )
        case .shareDownloadLimitReached:
            lines = ("\(title) reached its download limit", "Your share \(title) reached its download limit: its link gives nothing more.")
        case .shareExpiring:
            let when = data.expiresAt.map { ISO8601DateFormatter().string(from: $0).replacingOccurrences(of: "T", with: " ") } ?? "soon"
            lines = ("\(title) expires tomorrow", "Your share \(title) expires at \(when) (UTC).")
        default:
            return nil
        }
        return MailMessage(
            to: [address], subject: lines.subject, paragraphs: [MailMessage.Paragraph(text: lines.first)] + [link, mine, footer].compactMap { $0 })
    }
}
