package io.rdustudio.emulator.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Bf16Test {

    @Test
    void roundsToNearestWithTiesToEven() {
        float one = 1f;
        float ulp = 0x1p-7f;
        assertEquals(one, Bf16.round(one + ulp / 2), "a tie rounds to the even neighbour 1");
        assertEquals(one + 2 * ulp, Bf16.round(one + 3 * ulp / 2), "a tie rounds to the even neighbour 1 + 2 ulp");
        assertEquals(one + ulp, Bf16.round(one + ulp / 2 + 0x1p-20f), "above the tie rounds up");
        assertEquals(-one, Bf16.round(-one - ulp / 2));
        assertEquals(3.140625f, Bf16.round((float) Math.PI));
    }

    @Test
    void keepsSpecialValues() {
        assertTrue(Float.isNaN(Bf16.round(Float.NaN)));
        assertTrue(Float.isNaN(Bf16.round(Float.intBitsToFloat(0x7F800001))), "a NaN whose payload is all low bits");
        assertEquals(Float.POSITIVE_INFINITY, Bf16.round(Float.MAX_VALUE), "overflow rounds to infinity");
        assertEquals(Float.NEGATIVE_INFINITY, Bf16.round(Float.NEGATIVE_INFINITY));
        assertEquals(0x1p-133f, Bf16.round(0x1p-133f), "a BF16 subnormal is kept");
    }

    @Test
    void everyBf16ValueIsAFixedPoint() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = Float.intBitsToFloat(bits << 16);
            if (!Float.isNaN(f)) {
                assertEquals(Float.floatToRawIntBits(f), Float.floatToRawIntBits(Bf16.round(f)));
            }
        }
    }

    @Test
    void fp8RoundsAndSaturates() {
        assertEquals(448f, Fp8.roundE4m3(1000f));
        assertEquals(-448f, Fp8.roundE4m3(Float.NEGATIVE_INFINITY));
        assertEquals(1.125f, Fp8.roundE4m3(1.1f));
        assertEquals(1f, Fp8.roundE4m3(1.0625f), "a tie rounds to even");
        assertEquals(0x1p-9f, Fp8.roundE4m3(0x1p-9f), "the smallest subnormal");
        assertEquals(57344f, Fp8.roundE5m2(1e6f));
        assertEquals(Float.POSITIVE_INFINITY, Fp8.roundE5m2(Float.POSITIVE_INFINITY));
        assertEquals(1.25f, Fp8.roundE5m2(1.3f));
    }
}
