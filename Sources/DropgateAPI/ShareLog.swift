import Foundation

/// `GET /api/shares/{id}/log`: a share's downloads, with no address in it (see the README on what is kept).
public struct ShareLog: Codable, Sendable, Equatable {
    /// One download.
    public struct Entry: Codable, Sendable, Equatable {
        public var at: Date
        /// The share's file, from 1, and its name.
        public var file: Int
        public var fileName: String?
        /// A coarse family (`Firefox`, `curl`, `bot`, …), never the whole user agent.
        public var agent: String
        /// The same for one client address within one UTC day, and unlinkable across days.
        public var visitor: String
        /// What the gateway knows: `link_followed`, `transfer_started`, or `store_link` (the embedded store says when
        /// every byte went: `completed`).
        public var receipt: String
        public var completed: Bool?

        public init(at: Date, file: Int, fileName: String?, agent: String, visitor: String, receipt: String, completed: Bool?) {
            self.at = at
            self.file = file
            self.fileName = fileName
            self.agent = agent
            self.visitor = visitor
            self.receipt = receipt
            self.completed = completed
        }
    }

    /// Downloads and distinct visitors of a UTC day.
    public struct Day: Codable, Sendable, Equatable {
        public var day: String
        public var downloads: Int
        public var visitors: Int

        public init(day: String, downloads: Int, visitors: Int) {
            self.day = day
            self.downloads = downloads
            self.visitors = visitors
        }
    }

    public var share: String
    public var days: [Day]
    public var entries: [Entry]

    public init(share: String, days: [Day], entries: [Entry]) {
        self.share = share
        self.days = days
        self.entries = entries
    }
}
