package io.rdustudio.coe;

/**
 * The HBM expert cache of one node: a byte capacity and an LRU order over model ids (experts, and
 * the router when its weights live in DDR). Eviction never copies anything back: weights are
 * read-only and their DDR (host) copy stays (DOMAIN.md section 4).
 *
 * <p>A doubly linked list over int arrays: O(1) touch, insert and remove, no allocation per
 * access, so a hundred thousand requests cost microseconds of bookkeeping.
 */
final class LruCache {

    private final long capacityBytes;
    private final long[] bytes;
    private final int[] prev;
    private final int[] next;
    private final boolean[] resident;
    private int head = -1;
    private int tail = -1;
    private long usedBytes;
    private long evictions;

    /**
     * @param capacityBytes HBM left for the cache
     * @param bytes         each model's weights, by id
     */
    LruCache(long capacityBytes, long[] bytes) {
        this.capacityBytes = capacityBytes;
        this.bytes = bytes;
        prev = new int[bytes.length];
        next = new int[bytes.length];
        resident = new boolean[bytes.length];
    }

    boolean isResident(int id) {
        return resident[id];
    }

    long bytes(int id) {
        return bytes[id];
    }

    long freeBytes() {
        return capacityBytes - usedBytes;
    }

    long evictions() {
        return evictions;
    }

    /** Least recently used resident id, or -1 when empty. */
    int leastRecent() {
        return tail;
    }

    /** The next more recently used id after {@code id}, or -1. */
    int moreRecent(int id) {
        return prev[id];
    }

    /** Makes a resident id the most recently used. */
    void touch(int id) {
        if (head == id) {
            return;
        }
        unlink(id);
        linkFirst(id);
    }

    /** Adds a non-resident id as the most recently used; the caller has made room. */
    void insert(int id) {
        if (resident[id]) {
            throw new IllegalStateException("model " + id + " is already resident");
        }
        if (bytes[id] > freeBytes()) {
            throw new IllegalStateException("no room for model " + id + ": " + bytes[id] + " > " + freeBytes());
        }
        resident[id] = true;
        usedBytes += bytes[id];
        linkFirst(id);
    }

    /** Drops a resident id (an eviction: nothing is copied back). */
    void evict(int id) {
        unlink(id);
        resident[id] = false;
        usedBytes -= bytes[id];
        evictions++;
    }

    private void unlink(int id) {
        int p = prev[id];
        int n = next[id];
        if (p >= 0) {
            next[p] = n;
        } else {
            head = n;
        }
        if (n >= 0) {
            prev[n] = p;
        } else {
            tail = p;
        }
    }

    private void linkFirst(int id) {
        prev[id] = -1;
        next[id] = head;
        if (head >= 0) {
            prev[head] = id;
        }
        head = id;
        if (tail < 0) {
            tail = id;
        }
    }
}
