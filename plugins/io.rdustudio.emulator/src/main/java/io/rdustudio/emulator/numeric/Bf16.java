package io.rdustudio.emulator.numeric;

/**
 * BFloat16 rounding on FP32 values: a BF16 number is an FP32 number whose low 16 bits are zero, so
 * the emulator stores BF16 tensors as {@code float} and rounds every value written to one.
 */
public final class Bf16 {

    /** The unit roundoff of BF16 (8 significand bits): half the distance from 1 to the next number. */
    public static final double UNIT_ROUNDOFF = 0x1p-8;

    private Bf16() {
    }

    /**
     * The BF16 number nearest to {@code value}, ties to even. Infinities pass through, finite values
     * above the largest BF16 number round to infinity as IEEE round-to-nearest does, and a NaN stays a
     * NaN with its sign and top payload bits (made quiet so that truncation cannot turn it into an
     * infinity).
     */
    public static float round(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7F800000) == 0x7F800000 && (bits & 0x007FFFFF) != 0) {
            return Float.intBitsToFloat((bits | 0x00400000) & 0xFFFF0000);
        }
        int lsb = (bits >>> 16) & 1;
        return Float.intBitsToFloat((bits + 0x7FFF + lsb) & 0xFFFF0000);
    }

    /** Rounds every element of {@code data[from, to)} in place. */
    public static void roundAll(float[] data, int from, int to) {
        for (int i = from; i < to; i++) {
            data[i] = round(data[i]);
        }
    }
}
