package io.rdustudio.emulator.numeric;

import io.rdustudio.core.ir.SourceLocation;

/**
 * One value computed during a numerical run, as handed to a dump hook ({@code --dump}).
 *
 * @param kernel   the kernel instance name
 * @param call     the kernel call's number in the run, from 0
 * @param socket   the socket (0 unless the kernel is tensor-parallel)
 * @param value    the value's name in the kernel (an operation result or an output parameter)
 * @param tensor   the value; the hook must not modify it
 * @param location the operation that produced it
 */
public record Intermediate(String kernel, long call, int socket, String value, Tensor tensor, SourceLocation location) {
}
