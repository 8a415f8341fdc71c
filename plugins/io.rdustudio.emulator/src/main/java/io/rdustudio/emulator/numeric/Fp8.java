package io.rdustudio.emulator.numeric;

/**
 * Rounding to the OCP 8-bit floating formats (OCP 8-bit Floating Point Specification, 2023), stored
 * as {@code float}. Round to nearest, ties to even, with saturation: a finite value beyond the
 * largest finite number becomes that number with its sign.
 *
 * <ul>
 * <li>E4M3 ("FN"): 4 exponent bits (bias 7), 3 mantissa bits, largest 448, smallest subnormal
 *     2^-9, no infinities: an infinite input saturates to +-448. NaN stays NaN.</li>
 * <li>E5M2: 5 exponent bits (bias 15), 2 mantissa bits, largest 57344, smallest subnormal 2^-16;
 *     infinities pass through, finite overflow saturates to +-57344. NaN stays NaN.</li>
 * </ul>
 */
public final class Fp8 {

    public static final float E4M3_MAX = 448f;
    public static final float E5M2_MAX = 57344f;

    private Fp8() {
    }

    public static float roundE4m3(float value) {
        if (Float.isInfinite(value)) {
            return Math.copySign(E4M3_MAX, value);
        }
        return round(value, 3, -6, E4M3_MAX);
    }

    public static float roundE5m2(float value) {
        if (Float.isInfinite(value)) {
            return value;
        }
        return round(value, 2, -14, E5M2_MAX);
    }

    private static float round(float value, int mantissaBits, int minExponent, float max) {
        if (Float.isNaN(value) || value == 0f) {
            return value;
        }
        double magnitude = Math.abs((double) value);
        int exponent = Math.max(Math.getExponent(magnitude), minExponent);
        double ulp = Math.scalb(1.0, exponent - mantissaBits);
        double rounded = Math.rint(magnitude / ulp) * ulp;
        return (float) Math.copySign(Math.min(rounded, max), value);
    }
}
