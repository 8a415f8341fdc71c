package io.rdustudio.core.analysis.memory;

import java.util.List;
import java.util.Optional;

import io.rdustudio.core.ir.Role;
import io.rdustudio.core.ir.Tier;

/**
 * A program tensor as the memory plan sees it.
 *
 * @param bytesPerSocket         its size on each socket that holds it (a tensor-parallel kernel's share,
 *                               or the whole tensor)
 * @param sockets                the sockets that hold it
 * @param aggregateTransferBytes per socket, bytes read plus written by all launches over the program
 * @param readOnly               inputs and weights
 */
public record TensorSummary(String name, Role role, Optional<Tier> declaredTier, long bytesPerSocket,
        List<Integer> sockets, long aggregateTransferBytes, boolean readOnly) {

    public TensorSummary {
        sockets = List.copyOf(sockets);
    }
}
