package io.rdustudio.core.analysis.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Static address assignment for buffers with known lifetimes (an interval-graph allocator):
 * buffers are placed largest first, each at the lowest offset where it overlaps no buffer that
 * is placed already and live at the same time (first fit). Two buffers whose lifetimes do not
 * overlap may share addresses. No alignment is applied: offsets are byte offsets.
 *
 * <p>The result never exceeds the sum of the sizes and never falls below the largest sum of
 * simultaneously live sizes ({@link #peakLive}); largest-first first-fit is usually within a few
 * percent of that lower bound.
 */
public final class IntervalAllocator {

    /** A buffer to place: live from call {@code first} to call {@code last}, both inclusive. */
    public record Request(int id, long bytes, int first, int last) {
        public boolean overlaps(Request other) {
            return first <= other.last && other.first <= last;
        }
    }

    /** Offsets by request id, and the end of the highest buffer. */
    public record Result(long[] offsets, long extentBytes) {
    }

    private IntervalAllocator() {
    }

    /**
     * Requests' ids must be 0..n-1. The buffers placed so far are kept in offset order, so the scan
     * for a gap meets the live ones lowest first without collecting and sorting them, and without
     * allocating per pair (an editor analyses on every edit: this ran at about 9 MB a time).
     */
    public static Result allocate(List<Request> requests) {
        List<Request> order = new ArrayList<>(requests);
        order.sort(Comparator.comparingLong(Request::bytes).reversed().thenComparingInt(Request::first)
                .thenComparingInt(Request::id));
        long[] offsets = new long[requests.size()];
        List<Request> byOffset = new ArrayList<>(requests.size());
        long extent = 0;
        for (Request r : order) {
            long offset = 0;
            for (Request p : byOffset) {
                if (!p.overlaps(r)) {
                    continue;
                }
                if (offsets[p.id()] - offset >= r.bytes()) {
                    break;
                }
                offset = Math.max(offset, Timeline.saturatingAdd(offsets[p.id()], p.bytes()));
            }
            offsets[r.id()] = offset;
            byOffset.add(insertionPoint(byOffset, offsets, offset), r);
            extent = Math.max(extent, Timeline.saturatingAdd(offset, r.bytes()));
        }
        return new Result(offsets, extent);
    }

    /** Where a buffer at {@code offset} goes in {@code byOffset}: after every buffer at an offset not above it. */
    private static int insertionPoint(List<Request> byOffset, long[] offsets, long offset) {
        int low = 0;
        int high = byOffset.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (offsets[byOffset.get(mid).id()] <= offset) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** The largest sum of sizes live at one call, and that call ({@code -1} when nothing is live). */
    public static long[] peakLive(List<Request> requests, int calls) {
        long[] delta = new long[Math.max(calls, 1) + 1];
        for (Request r : requests) {
            delta[Math.max(0, r.first())] = Timeline.saturatingAdd(delta[Math.max(0, r.first())], r.bytes());
            delta[Math.min(delta.length - 1, r.last() + 1)] -= r.bytes();
        }
        long live = 0;
        long peak = 0;
        int at = -1;
        for (int t = 0; t < delta.length - 1; t++) {
            live += delta[t];
            if (live > peak) {
                peak = live;
                at = t;
            }
        }
        return new long[] { peak, at };
    }
}
