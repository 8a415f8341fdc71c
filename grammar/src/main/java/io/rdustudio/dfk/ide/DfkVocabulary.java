package io.rdustudio.dfk.ide;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the words of DFK mean, in one sentence each, as {@code docs/language.md} says: the keywords,
 * the kernel hints after {@code with} and the schedule settings. Completion shows these as the
 * items' documentation.
 */
public final class DfkVocabulary {

    private DfkVocabulary() {
    }

    private static final Map<String, String> KEYWORDS = new LinkedHashMap<>();
    private static final Map<String, String> HINTS = new LinkedHashMap<>();
    private static final Map<String, String> SETTINGS = new LinkedHashMap<>();

    static {
        KEYWORDS.put("program", "names the program (defaults to the file name)");
        KEYWORDS.put("import", "makes the top-level names of another .dfk file visible: import \"lib/llama.dfk\"");
        KEYWORDS.put("let", "a constant known before the program runs: let D = 4096");
        KEYWORDS.put("kernel", "one launch: its operators fuse into one pipeline, only parameters and outputs touch memory");
        KEYWORDS.put("fn", "a shape-generic function, inlined into the kernels that call it");
        KEYWORDS.put("schedule", "the program's order of kernel launches, with loops over layers");
        KEYWORDS.put("with", "kernel hints (tp, pcus, tile) or schedule settings (sockets, orchestration)");
        KEYWORDS.put("for", "a loop of the schedule: for l in 0..L { ... } runs l = 0 .. L - 1");
        KEYWORDS.put("in", "the range of a loop: for l in 0..L");
        KEYWORDS.put("input", "a tensor the program receives; read-only");
        KEYWORDS.put("weight", "a parameter tensor; read-only, so evicting it never copies it back");
        KEYWORDS.put("state", "a tensor that persists across runs, updated in place through a kernel's state parameter (KV caches)");
        KEYWORDS.put("output", "a tensor the program produces; written by the schedule at least once");
        KEYWORDS.put("local", "an activation passed from one kernel call to the next");
        KEYWORDS.put("bf16", "bfloat16, 2 bytes: the default for weights and activations");
        KEYWORDS.put("fp32", "IEEE single precision, 4 bytes: accumulations, norms' internals, small parameters");
        KEYWORDS.put("int32", "32-bit integer, 4 bytes: token ids and indices");
        KEYWORDS.put("fp8e4m3", "8-bit floating point (4 exponent, 3 mantissa bits), 1 byte: a storage format");
        KEYWORDS.put("fp8e5m2", "8-bit floating point (5 exponent, 2 mantissa bits), 1 byte: a storage format");
        KEYWORDS.put("int8", "8-bit integer, 1 byte: a storage format");
        KEYWORDS.put("sram", "on-chip memory in the PMUs (520 MiB per socket)");
        KEYWORDS.put("hbm", "on-package HBM (64 GiB per socket); where the memory planner puts everything while it fits");
        KEYWORDS.put("ddr", "off-package DDR DIMMs (up to 1.5 TiB per socket); where the planner spills activations");
        KEYWORDS.put("host", "the x86 host's memory, behind PCIe");
        KEYWORDS.put("orchestration", "who issues the launches: software (the host) or hardware (the AGCUs)");
        KEYWORDS.put("software", "the host issues every launch, one round trip each");
        KEYWORDS.put("hardware", "the AGCUs run a static schedule of launches, which removes most of the per-launch cost");
        HINTS.put("tp", "tensor-parallel degree: the kernel runs on N sockets at once, its large matmuls split N ways (default 1)");
        HINTS.put("pcus", "the most PCUs the kernel may use (default: the whole socket)");
        HINTS.put("tile", "rows per streamed tile, counted over all leading axes (default: the target profile's)");
        SETTINGS.put("sockets", "SN40L sockets the program runs on, 1 .. 1024 (default 1); a node is sockets = 8");
        SETTINGS.put("orchestration", KEYWORDS.get("orchestration") + " (default software)");
    }

    /** What keyword {@code word} means, if it is one. */
    public static Optional<String> keyword(String word) {
        return Optional.ofNullable(KEYWORDS.get(word));
    }

    /** The kernel hints, each with what it sets. */
    public static Map<String, String> hints() {
        return HINTS;
    }

    /** The schedule settings, each with what it sets. */
    public static Map<String, String> settings() {
        return SETTINGS;
    }

    /** Whether {@code word} is a keyword of DFK (and so cannot be a name). */
    public static boolean isKeyword(String word) {
        return KEYWORDS.containsKey(word);
    }
}
