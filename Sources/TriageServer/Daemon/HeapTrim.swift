import CGlibcMalloc

/// How much freed memory glibc keeps at the top of a heap before giving it back.
/// Its default, 128 KiB, is less than a burst of requests frees at once (a group
/// commit answers up to 64 writes together): every burst handed its pages back
/// with madvise and the next one took them again as fresh, zeroed pages. perf on
/// `POST /api/issues` (bench/lists.py) put 12 % of the daemon's CPU in madvise, its
/// TLB shootdowns and the page faults after it, and the requests ran 30 % slower.
/// Memory beyond the threshold is still returned to the system.
enum HeapTrim {
    static let threshold = 16 << 20

    /// Whether glibc accepted the threshold.
    static func keepFreedMemoryForReuse() -> Bool {
        mallopt(M_TRIM_THRESHOLD, Int32(threshold)) == 1
    }
}
