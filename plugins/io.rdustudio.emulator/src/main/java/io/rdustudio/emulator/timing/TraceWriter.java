package io.rdustudio.emulator.timing;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;

import com.google.gson.stream.JsonWriter;

import io.rdustudio.core.analysis.cost.MemoryChannel;

/**
 * A {@link TimingResult} as Chrome trace-event JSON (opens in Perfetto and chrome://tracing).
 * One process per socket (GPU baselines: per GPU); in each, a thread for launch overheads
 * ({@code launch}), one per memory tier or link that the socket's calls use, and one per kernel.
 * Each call is three complete events on its kernel's thread, {@code fill}, {@code steady} and
 * {@code drain}, inside a parent event with the kernel's name; each launch overhead is an event on
 * the launch thread; each tier thread has one event per call that moves bytes on it with the
 * achieved rate. Times in microseconds, as the format wants.
 */
public final class TraceWriter {

    private static final int LAUNCH_TID = 1;
    private static final int TIER_TID = 10;
    private static final int KERNEL_TID = 100;

    private TraceWriter() {
    }

    public static void write(TimingResult result, Writer out) throws IOException {
        int sockets = Math.max(1, result.sockets());
        Map<String, Integer> kernelTids = new LinkedHashMap<>();
        for (TimingResult.CallRecord r : result.calls()) {
            kernelTids.putIfAbsent(r.baseKernel(), KERNEL_TID + kernelTids.size());
        }
        JsonWriter json = new JsonWriter(out);
        json.beginObject();
        json.name("displayTimeUnit").value("ns");
        json.name("otherData").beginObject();
        json.name("target").value(result.target());
        json.name("orchestration").value(result.orchestration().name().toLowerCase(java.util.Locale.ROOT));
        json.name("unfused").value(result.unfused());
        json.name("totalSeconds").value(result.totalSeconds());
        json.name("launches").value(result.launches());
        json.endObject();
        json.name("traceEvents").beginArray();
        String unit = result.gpu() ? "GPU " : "socket ";
        for (int s = 0; s < sockets; s++) {
            meta(json, "process_name", s, 0, unit + s);
            meta(json, "thread_name", s, LAUNCH_TID, "launch");
            for (MemoryChannel c : MemoryChannel.values()) {
                meta(json, "thread_name", s, TIER_TID + c.ordinal(), c == MemoryChannel.P2P ? "P2P link" : c.name());
            }
            for (Map.Entry<String, Integer> e : kernelTids.entrySet()) {
                meta(json, "thread_name", s, e.getValue(), "kernel " + e.getKey());
            }
        }
        for (TimingResult.CallRecord r : result.calls()) {
            int tid = kernelTids.get(r.baseKernel());
            int used = Math.max(1, Math.min(sockets, r.socketsUsed()));
            for (int s = 0; s < used; s++) {
                if (r.launchOverhead() > 0) {
                    event(json, "launch " + r.kernel(), "launch", s, LAUNCH_TID, r.start(), r.launchOverhead(),
                            Map.of("launches", r.repeats()));
                }
                double t = r.executeStart();
                Map<String, Object> args = new LinkedHashMap<>();
                args.put("bound", r.bound());
                args.put("iterations", r.iterations());
                args.put("repeats", r.repeats());
                if (r.collective() > 0) {
                    args.put("collectiveSeconds", r.collective());
                }
                event(json, r.kernel(), "kernel", s, tid, t, r.execution(), args);
                if (r.fill() > 0) {
                    event(json, "fill", "pipeline", s, tid, t, r.fill(), Map.of());
                }
                if (r.steady() > 0) {
                    event(json, "steady", "pipeline", s, tid, t + r.fill(), r.steady(), Map.of());
                }
                if (r.drain() > 0) {
                    event(json, "drain", "pipeline", s, tid, t + r.fill() + r.steady(), r.drain(), Map.of());
                }
                if (r.execution() > 0) {
                    for (Map.Entry<MemoryChannel, Double> b : r.bytes().entrySet()) {
                        Map<String, Object> a = new LinkedHashMap<>();
                        a.put("bytes", b.getValue());
                        a.put("bytesPerSecond", b.getValue() / r.execution());
                        event(json, r.kernel(), b.getKey().name(), s, TIER_TID + b.getKey().ordinal(), t, r.execution(), a);
                    }
                }
            }
        }
        json.endArray();
        json.endObject();
        json.flush();
    }

    private static void meta(JsonWriter json, String kind, int pid, int tid, String name) throws IOException {
        json.beginObject();
        json.name("name").value(kind);
        json.name("ph").value("M");
        json.name("pid").value(pid);
        json.name("tid").value(tid);
        json.name("args").beginObject().name("name").value(name).endObject();
        json.endObject();
    }

    private static void event(JsonWriter json, String name, String category, int pid, int tid, double start,
            double seconds, Map<String, ?> args) throws IOException {
        json.beginObject();
        json.name("name").value(name);
        json.name("cat").value(category);
        json.name("ph").value("X");
        json.name("pid").value(pid);
        json.name("tid").value(tid);
        json.name("ts").value(start * 1e6);
        json.name("dur").value(seconds * 1e6);
        if (!args.isEmpty()) {
            json.name("args").beginObject();
            for (Map.Entry<String, ?> e : args.entrySet()) {
                Object v = e.getValue();
                if (v instanceof Number n) {
                    json.name(e.getKey()).value(n);
                } else {
                    json.name(e.getKey()).value(String.valueOf(v));
                }
            }
            json.endObject();
        }
        json.endObject();
    }
}
