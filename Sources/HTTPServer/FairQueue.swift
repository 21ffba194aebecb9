/// Jobs queued per client and taken round-robin across clients (``WorkerPool``'s queue), with the pool's counts.
///
/// As in FQ-CoDel, a client that had nothing queued goes before the backlogged ones: an occasional request (a page,
/// the gateway's own call to its store) waits behind at most the other newcomers, not a round of every flooding address.
struct FairQueue {
    /// A first-in, first-out list that reuses its storage.
    struct Line<Element> {
        private var items: [Element?] = []
        private var head = 0

        var count: Int { items.count - head }

        mutating func append(_ item: Element) { items.append(item) }

        mutating func removeFirst() -> Element? {
            guard head < items.count else { return nil }
            let item = items[head]
            items[head] = nil
            head += 1
            if head == items.count {
                items.removeAll(keepingCapacity: items.count <= 1_024)
                head = 0
            } else if head >= 1_024 && head * 2 >= items.count {
                items.removeFirst(head)
                head = 0
            }
            return item
        }
    }

    private var byClient: [String: Line<WorkerPool.Job>] = [:]
    /// Clients whose first queued job is their only one so far, in arrival order: they go first.
    private var newcomers = Line<String>()
    /// Clients that were served and still have jobs, in the order they get their next turn.
    private var turns = Line<String>()
    /// Jobs queued, all clients together.
    private(set) var count = 0
    var threads = 0
    var busy = 0

    func queued(by client: String) -> Int { byClient[client]?.count ?? 0 }

    mutating func append(_ job: @escaping WorkerPool.Job, client: String) {
        if byClient[client] == nil {
            byClient[client] = Line()
            newcomers.append(client)
        }
        byClient[client]!.append(job)
        count += 1
    }

    /// The first job of the client whose turn it is (a newcomer's, else the next backlogged client's); that client goes
    /// to the back of the turns while it has more.
    mutating func take() -> WorkerPool.Job? {
        guard let client = newcomers.removeFirst() ?? turns.removeFirst(), var line = byClient.removeValue(forKey: client),
            let job = line.removeFirst()
        else { return nil }
        if line.count > 0 {
            byClient[client] = line
            turns.append(client)
        }
        count -= 1
        return job
    }
}
