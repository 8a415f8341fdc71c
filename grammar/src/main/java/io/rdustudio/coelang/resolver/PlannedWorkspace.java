package io.rdustudio.coelang.resolver;

import io.rdustudio.core.analysis.memory.Allocation;
import io.rdustudio.core.analysis.memory.MemoryPlan;
import io.rdustudio.core.analysis.memory.MemoryPlanner;
import io.rdustudio.core.analysis.memory.SocketPlan;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.ir.Role;
import io.rdustudio.core.target.TargetKind;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.core.target.TargetProfiles;

/**
 * The HBM a model needs while it runs beyond its weights and KV caches, from the core's static
 * memory plan of its program (DOMAIN.md section 4): per socket, the most bytes of activations
 * (locals) live at one launch plus the program's inputs and outputs, summed over the sockets the
 * schedule spans. Intermediates inside a kernel stream through on-chip memory and are not counted.
 *
 * <p>The memory planner models an RDU; for a GPU platform the same program is planned on the
 * bundled {@value #RDU_STAND_IN} profile: the bytes are those of the program's tensors at its
 * tensor-parallel split, which a GPU holds alike per device (the capacities it also reads only
 * decide spills to DDR, which move bytes between tiers without changing them).
 */
final class PlannedWorkspace {

    static final String RDU_STAND_IN = "sn40l-node";

    private PlannedWorkspace() {
    }

    static long bytes(Program program, TargetProfile platform) {
        MemoryPlan plan = MemoryPlanner.plan(program, platform.kind() == TargetKind.RDU ? platform
                : TargetProfiles.load(RDU_STAND_IN));
        long total = 0;
        for (SocketPlan socket : plan.socketPlans()) {
            long io = socket.allocations().stream().filter(a -> a.role() == Role.INPUT || a.role() == Role.OUTPUT)
                    .mapToLong(Allocation::bytes).sum();
            total += (socket.activationPeakBytes() + io) * socket.sockets().size();
        }
        return total;
    }
}
