package io.rdustudio.core.analysis.memory;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

import io.rdustudio.core.ir.Program;
import io.rdustudio.core.ir.Role;
import io.rdustudio.core.ir.Step;
import io.rdustudio.core.target.TargetProfile;

/**
 * Property: a plan never places two simultaneously live buffers at overlapping addresses of one
 * tier, and every tier's extent lies between its peak live bytes and the sum of its buffers.
 * Random programs (seeded by the repetition, so a failure reproduces) with random roles, sizes,
 * loops, tensor parallelism and HBM small enough to force spills.
 */
class IntervalAllocatorPropertyTest {

    private static final Role[] ROLES = { Role.INPUT, Role.WEIGHT, Role.STATE, Role.OUTPUT, Role.LOCAL, Role.LOCAL };

    @RepeatedTest(200)
    void liveBuffersNeverShareAddresses(RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition());
        Programs p = Programs.program().sockets(1 + random.nextInt(3));
        int tensors = 3 + random.nextInt(10);
        for (int i = 0; i < tensors; i++) {
            Role role = ROLES[random.nextInt(ROLES.length)];
            if (random.nextBoolean()) {
                p.tensor("t" + i, role, 4, 1 + random.nextInt(400));
            } else {
                p.tensor("t" + i, role, 1 + random.nextInt(2000));
            }
        }
        List<Step> steps = new ArrayList<>();
        int kernels = 0;
        for (int s = 0; s < 2 + random.nextInt(8); s++) {
            if (random.nextInt(4) == 0) {
                List<Step> body = new ArrayList<>();
                for (int b = 0; b < 1 + random.nextInt(3); b++) {
                    body.add(randomCall(p, random, tensors, "k" + kernels++, true));
                }
                steps.add(Programs.loop("l", 1 + random.nextInt(4), body.toArray(Step[]::new)));
            } else {
                steps.add(randomCall(p, random, tensors, "k" + kernels++, false));
            }
        }
        Program program = p.schedule(steps.toArray(Step[]::new));
        TargetProfile profile = Programs.sn40lWith(500 + random.nextInt(4000), 1 << 24);
        MemoryPlan plan = MemoryPlanner.plan(program, profile);
        assertFalse(plan.socketPlans().isEmpty());
        for (SocketPlan socket : plan.socketPlans()) {
            List<Allocation> all = socket.allocations();
            for (int i = 0; i < all.size(); i++) {
                for (int j = i + 1; j < all.size(); j++) {
                    Allocation a = all.get(i);
                    Allocation b = all.get(j);
                    assertFalse(a.liveTogetherWith(b) && a.addressesOverlap(b),
                            "seed " + repetition.getCurrentRepetition() + ": " + a + " and " + b);
                }
            }
            for (TierUsage u : socket.tiers().values()) {
                long sum = all.stream().filter(a -> a.tier() == u.tier()).mapToLong(Allocation::bytes).sum();
                assertTrue(u.peakLiveBytes() <= u.extentBytes() && u.extentBytes() <= sum, u.toString());
            }
        }
    }

    private static Step.KernelCall randomCall(Programs p, Random random, int tensors, String name, boolean inLoop) {
        List<String> ins = new ArrayList<>();
        List<String> outs = new ArrayList<>();
        for (int k = 0; k < 1 + random.nextInt(3); k++) {
            String t = "t" + random.nextInt(tensors);
            boolean stacked = p.decl(t).type().shape().rank() == 2;
            String ref = stacked ? t + (inLoop ? "[l]" : "[0]") : t;
            Role role = p.decl(t).role();
            if ((role == Role.INPUT || role == Role.WEIGHT || random.nextBoolean()) && !ins.contains(ref)) {
                ins.add(ref);
            } else if (!outs.contains(ref) && !ins.contains(ref)) {
                outs.add(ref);
            }
        }
        return p.call(name, random.nextInt(3) == 0 ? 2 : 1, ins, outs);
    }
}
