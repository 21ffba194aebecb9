import Glibc

/// Waits for SIGTERM or SIGINT without signal handlers: the signals are blocked in every thread
/// (call ``block()`` before starting any, a server's included) and received synchronously with sigwait(2).
public enum TerminationSignal {
    /// Blocks SIGTERM and SIGINT in this thread and the threads it starts later; ignores SIGPIPE.
    public static func block() {
        signal(SIGPIPE, SIG_IGN)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Returns the signal that arrived.
    @discardableResult
    public static func wait() -> Int32 {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        var received: Int32 = 0
        while sigwait(&set, &received) != 0 {}
        return received
    }
}
