package io.rdustudio.coe.model;

import java.util.Objects;

import io.rdustudio.core.ir.DType;

/**
 * The model of a router or an expert, as the descriptor gives it: a parametric decoder described
 * by its shape, or a reference into a DFK program. A {@link ModelResolver} turns either into a
 * footprint and a timing model for a target.
 */
public sealed interface ModelSpec permits ModelSpec.Parametric, ModelSpec.Reference {

    /** A short description for reports and messages, e.g. {@code "Llama2-7B class"}. */
    String label();

    /**
     * A Llama-family decoder given by its shape (DOMAIN.md section 9): RMSNorm, attention with
     * {@code heads} query heads and {@code kvHeads} key/value heads (grouped-query attention when
     * fewer), a SiLU-gated MLP (gate, up and down projections), untied input embedding and output
     * head. All sizes are counts of elements, not bytes.
     *
     * @param className        a human name for the shape, e.g. {@code "Llama2-7B class"}
     * @param layers           decoder layers
     * @param hidden           model (embedding) width
     * @param heads            attention (query) heads; the head width is {@code hidden / heads}
     * @param kvHeads          key/value heads
     * @param ffn              MLP inner width
     * @param vocab            vocabulary size
     * @param dtype            the element type of the weights and the KV cache
     * @param maxContextTokens the longest context (prompt plus output) the model serves; the KV
     *                         cache is sized for it
     */
    record Parametric(String className, int layers, long hidden, int heads, int kvHeads, long ffn, long vocab,
            DType dtype, int maxContextTokens) implements ModelSpec {

        public Parametric {
            Objects.requireNonNull(className, "className");
            Objects.requireNonNull(dtype, "dtype");
        }

        /** Llama2-7B (DOMAIN.md section 9): 32 layers, 4096 wide, 32 heads, FFN 11008, vocabulary 32000, BF16, 4K context. */
        public static Parametric llama2_7b() {
            return new Parametric("Llama2-7B class", 32, 4096, 32, 32, 11008, 32000, DType.BF16, 4096);
        }

        /** The same shape with another element type (an expert declared with its own dtype). */
        public Parametric withDtype(DType type) {
            return new Parametric(className, layers, hidden, heads, kvHeads, ffn, vocab, type, maxContextTokens);
        }

        @Override
        public String label() {
            return className;
        }

        /** Width of one attention head, {@code hidden / heads}; 0 when {@code heads} is not positive. */
        public long headDim() {
            return heads > 0 ? hidden / heads : 0;
        }

        /**
         * Parameters: per layer the Q and O projections ({@code hidden x hidden} each), K and V
         * ({@code hidden x kvHeads * headDim} each), the MLP ({@code 3 x hidden x ffn}) and two RMSNorm
         * weight vectors; plus the embedding and the output head ({@code vocab x hidden} each) and the
         * final norm. Llama2-7B gives 6,738,415,616 (the published 6.74 B). Computed in floating point
         * so that absurd shapes saturate instead of overflowing; exact below 2^53.
         */
        public double parameters() {
            double h = hidden;
            double kvWidth = (double) kvHeads * headDim();
            double perLayer = 2 * h * h + 2 * h * kvWidth + 3 * h * ffn + 2 * h;
            return layers * perLayer + 2.0 * vocab * h + h;
        }

        /** Bytes of all weights at {@link #dtype()}; {@code Long.MAX_VALUE} when larger than that. */
        public long weightBytes() {
            return (long) (parameters() * dtype.bytes());
        }

        /** KV-cache bytes one token adds: keys and values of every layer, {@code 2 x layers x kvHeads x headDim x dtype}. */
        public long kvCacheBytesPerToken() {
            return (long) (2.0 * layers * kvHeads * headDim() * dtype.bytes());
        }
    }

    /**
     * A model given by DFK programs: which kernel (or schedule) is one prefill pass and which is one
     * decode step, each in its program (one program may hold both), and which of the programs'
     * integer constants hold the lengths and batch being served. The language side resolves the URIs
     * and the names; the simulator only sees the {@link ResolvedModel} a {@link ModelResolver} makes of it.
     *
     * @param dfkUri        the program of the decode step (and of the prefill unless {@code prefillDfkUri}
     *                      differs), its URI as the descriptor's resource set knows it
     * @param prefill       the kernel or schedule that is one prefill pass over the prompt
     * @param decode        the kernel or schedule that is one decode step (one token); empty for none
     * @param prefillDfkUri the program of the prefill; {@code dfkUri} when one program holds both phases
     * @param bindings      the constants the resolver sets to the prompt length, the KV length and the
     *                      batch; a phase whose program has none of them bound is timed as written
     */
    record Reference(String dfkUri, String prefill, String decode, String prefillDfkUri, Bindings bindings)
            implements ModelSpec {

        public Reference {
            Objects.requireNonNull(dfkUri, "dfkUri");
            Objects.requireNonNull(prefill, "prefill");
            Objects.requireNonNull(decode, "decode");
            Objects.requireNonNull(prefillDfkUri, "prefillDfkUri");
            Objects.requireNonNull(bindings, "bindings");
        }

        /** Both phases in one program, timed as written (the contract's sketch signature). */
        public Reference(String dfkUri, String prefill, String decode) {
            this(dfkUri, prefill, decode, dfkUri, Bindings.NONE);
        }

        /** Whether the prefill lives in a program of its own. */
        public boolean splitPrograms() {
            return !prefillDfkUri.equals(dfkUri);
        }

        @Override
        public String label() {
            String prefillPhase = "prefill " + prefill + (splitPrograms() ? " of " + fileName(prefillDfkUri) : "");
            return fileName(dfkUri) + " (" + prefillPhase + (decode.isEmpty() ? "" : ", decode " + decode) + ")";
        }

        private static String fileName(String uri) {
            return uri.substring(uri.lastIndexOf('/') + 1);
        }

        /**
         * Names of integer constants of the programs that the resolver sets, each empty when unbound.
         *
         * @param promptLength a constant of the prefill's program: the prompt's tokens
         * @param kvLength     a constant of the decode step's program: the positions its KV cache holds, the
         *                     new token's included (the step after {@code k} cached tokens sets it to {@code k + 1})
         * @param batch        a constant of both programs: the sequences run together
         */
        public record Bindings(String promptLength, String kvLength, String batch) {

            public static final Bindings NONE = new Bindings("", "", "");

            public Bindings {
                Objects.requireNonNull(promptLength, "promptLength");
                Objects.requireNonNull(kvLength, "kvLength");
                Objects.requireNonNull(batch, "batch");
            }

            public boolean isEmpty() {
                return promptLength.isEmpty() && kvLength.isEmpty() && batch.isEmpty();
            }
        }
    }
}
