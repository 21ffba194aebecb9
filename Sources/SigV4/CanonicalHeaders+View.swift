import Glibc

extension CanonicalHeaders {
    /// Canonical headers in memory that someone else owns: a ``CanonicalHeaders`` or a ``ScratchCanonicalHeaders``.
    /// It writes the parts of a canonical request.
    struct View {
        /// The lowercased names and canonical values, back to back.
        let storage: UnsafeBufferPointer<UInt8>
        /// One entry per distinct name, sorted by name.
        let entries: UnsafeBufferPointer<Entry>
        /// A lone header already in canonical form (a presigned GET's `host`), kept as it is: then ``storage`` and
        /// ``entries`` are empty, and nothing was allocated for it.
        let lone: HTTPHeaders.Field?

        init(storage: UnsafeBufferPointer<UInt8>, entries: UnsafeBufferPointer<Entry>) {
            self.storage = storage
            self.entries = entries
            lone = nil
        }

        init(lone: HTTPHeaders.Field) {
            storage = UnsafeBufferPointer(start: nil, count: 0)
            entries = UnsafeBufferPointer(start: nil, count: 0)
            self.lone = lone
        }

        /// The storage's length, or the lone header's.
        var byteCount: Int { lone.map { $0.name.utf8.count &+ $0.value.utf8.count } ?? storage.count }

        /// The length of the `;`-joined list of names.
        var signedHeadersCount: Int {
            if let lone { return lone.name.utf8.count }
            var count = entries.count > 0 ? entries.count - 1 : 0
            for entry in entries { count &+= entry.name.count }
            return count
        }

        /// `host;x-amz-date`.
        func appendSignedHeaders<Sink: ByteSink & ~Copyable>(to buffer: inout Sink) {
            if let lone { return buffer.write(utf8: lone.name) }
            buffer.writeInPlace(maximumCount: signedHeadersCount) { writeSignedHeaders(into: $0) }
        }

        /// `name:value\n` for each header, appended with one copy.
        func appendBlock<Sink: ByteSink & ~Copyable>(to buffer: inout Sink) {
            if let lone {
                buffer.write(utf8: lone.name)
                buffer.write(0x3A)
                buffer.write(utf8: lone.value)
                return buffer.write(0x0A)
            }
            var count = 0
            for entry in entries { count &+= entry.name.count &+ entry.value.count &+ 2 }
            buffer.writeInPlace(maximumCount: count) { target in
                var at = 0
                for entry in entries {
                    at = copy(entry.name, into: target, at: at)
                    target[at] = 0x3A
                    at = copy(entry.value, into: target, at: at &+ 1)
                    target[at] = 0x0A
                    at &+= 1
                }
                return at
            }
        }

        /// Appends every signed name, percent-encoded and joined by `%3B`, as the `X-Amz-SignedHeaders` value.
        func appendEncodedSignedHeaders<Sink: ByteSink & ~Copyable>(to buffer: inout Sink) {
            if let lone { return PercentEncoding.append(encoding: lone.name, to: &buffer, keepingSlash: false) }
            // The `;`-joined list, encoded as a whole: `;` is reserved, so it becomes `%3B` with the rest.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: signedHeadersCount) { list in
                let count = writeSignedHeaders(into: list)
                PercentEncoding.append(buffer: UnsafeBufferPointer(rebasing: list[..<count]), to: &buffer, keepingSlash: false)
            }
        }

        /// Writes the `;`-joined names into `target` (``signedHeadersCount`` long) and returns how many bytes that is.
        private func writeSignedHeaders(into target: UnsafeMutableBufferPointer<UInt8>) -> Int {
            var at = 0
            for (index, entry) in entries.enumerated() {
                if index > 0 {
                    target[at] = 0x3B
                    at &+= 1
                }
                at = copy(entry.name, into: target, at: at)
            }
            return at
        }

        @inline(__always)
        private func copy(_ range: Range<Int>, into target: UnsafeMutableBufferPointer<UInt8>, at: Int) -> Int {
            guard !range.isEmpty, let from = storage.baseAddress, let to = target.baseAddress else { return at }
            (to + at).update(from: from + range.lowerBound, count: range.count)
            return at &+ range.count
        }

        /// Whether two names are the same bytes.
        @inline(__always)
        static func same(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Bool {
            guard lhs.count == rhs.count else { return false }
            guard lhs.count > 0, let left = lhs.baseAddress, let right = rhs.baseAddress else { return true }
            return memcmp(left, right, lhs.count) == 0
        }

        /// Byte-wise order (`memcmp`, then the shorter first), as SigV4 sorts header names.
        @inline(__always)
        static func precedes(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Bool {
            let common = min(lhs.count, rhs.count)
            if common > 0, let left = lhs.baseAddress, let right = rhs.baseAddress {
                let order = memcmp(left, right, common)
                if order != 0 { return order < 0 }
            }
            return lhs.count < rhs.count
        }

        @inline(__always)
        static func bytes(_ all: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: all[range])
        }
    }
}
