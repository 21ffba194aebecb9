import DropgateAPI
import Testing

/// Messages with values in them (issue 33): a template for translators, values filled in once, and sentences inside
/// sentences written in the same language.
struct WordingTests {
    static let german = [
        "There is no share {id}.": "Es gibt keine Freigabe {id}.",
        "{problem} The upload was deleted.": "{problem} Der Upload wurde gelöscht.",
        "Too many attempts. Wait {wait} seconds.": "Zu viele Versuche. Warten Sie {wait} Sekunden.",
    ]

    @Test func aLiteralWithValuesIsATemplateAndItsValues() {
        let id = "abc"
        let wording: Wording = "There is no share \(id, as: "id")."
        #expect(wording.template == "There is no share {id}.")
        #expect(wording.values == [.init(name: "id", text: "abc")])
        #expect(wording.english == "There is no share abc.")
        #expect(wording.written { Self.german[$0] ?? $0 } == "Es gibt keine Freigabe abc.")
    }

    @Test func aValueIsNeverReadAsAPlaceholder() {
        let hostile = "{id}{wait}"
        let wording: Wording = "There is no share \(hostile, as: "id")."
        #expect(wording.english == "There is no share {id}{wait}.")
        #expect(wording.written { Self.german[$0] ?? $0 } == "Es gibt keine Freigabe {id}{wait}.")
    }

    @Test func aSentenceInsideASentenceIsWrittenInItsLanguage() {
        let wait = 30
        let problem: Wording = "Too many attempts. Wait \(wait, as: "wait") seconds."
        let wording: Wording = "\(problem, as: "problem") The upload was deleted."
        #expect(wording.english == "Too many attempts. Wait 30 seconds. The upload was deleted.")
        #expect(wording.written { Self.german[$0] ?? $0 } == "Zu viele Versuche. Warten Sie 30 Sekunden. Der Upload wurde gelöscht.")
    }

    @Test func verbatimTextKeepsItsBracesAndIsLookedUpWhole() {
        let shape = Wording(verbatim: #"A mail is {"to": […]}."#)
        #expect(shape.template == shape.english && shape.values.isEmpty)
        let unknown: Wording = "Hello {name}."
        #expect(unknown.english == "Hello {name}.")
        let translated = Wording(verbatim: "There is no share {id}.")
        #expect(translated.written { Self.german[$0] ?? $0 } == "Es gibt keine Freigabe {id}.")
    }
}
