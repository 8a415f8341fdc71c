package io.rdustudio.emulator.numeric;

import io.rdustudio.core.ir.SourceLocation;

/**
 * The first operator of a run that produced a non-finite value from finite operands: a NaN where
 * no operand held one, or an infinity where no operand held one ({@code mask}'s -inf is by design
 * and not reported).
 *
 * @param kernel   the kernel instance name
 * @param call     the kernel call's number in the run, from 0
 * @param operator the operator's keyword
 * @param value    the result's name
 * @param what     {@code NaN} or {@code infinity}
 * @param index    the row-major index of the first such element
 * @param location the operation in the source
 */
public record NonFinite(String kernel, long call, String operator, String value, String what, int index,
        SourceLocation location) {

    /** {@code file.dfk:12:5: matmul (value s) in kernel attend, call 3, produced NaN at element 17}. */
    public String message() {
        return location + ": " + operator + " (value " + value + ") in kernel " + kernel + ", call " + call + ", produced "
                + what + " at element " + index + " from finite operands";
    }
}
