package io.rdustudio.coe.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.rdustudio.core.ir.SourceLocation;

/**
 * A Composition-of-Experts deployment as a descriptor states it (DOMAIN.md section 5): a router and
 * many experts on one or more nodes, the runtime policy that serves them and the workloads to
 * simulate. Plain data, unchecked: {@code DeploymentCheck} says what is wrong with it.
 *
 * @param name      the deployment's name
 * @param hardware  target profile and node count
 * @param router    the router, run once per batch on every node
 * @param experts   the expert declarations, in order (each may stand for several copies)
 * @param policy    cache, batching, output cap and prefetch
 * @param workloads the workloads a simulation may pick from, in order
 * @param spread    which experts each node holds; empty means the experts are dealt out in
 *                  declaration order, as even contiguous blocks, over {@link Hardware#nodes()} nodes
 *                  (all on node 0 for one node). Experts no assignment names are dealt out the same way
 * @param location  where the deployment is declared
 */
public record Deployment(String name, Hardware hardware, RouterDecl router, List<ExpertDecl> experts,
        RuntimePolicy policy, List<Workload> workloads, List<NodeAssignment> spread, SourceLocation location) {

    public Deployment {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hardware, "hardware");
        Objects.requireNonNull(router, "router");
        experts = List.copyOf(experts);
        Objects.requireNonNull(policy, "policy");
        workloads = List.copyOf(workloads);
        spread = List.copyOf(spread);
        Objects.requireNonNull(location, "location");
    }

    /** Experts the declarations stand for, copies counted (a long: a million-fold declaration is legal data). */
    public long expertCount() {
        long n = 0;
        for (ExpertDecl e : experts) {
            n += Math.max(0, e.count());
        }
        return n;
    }

    /** The workload of that name, if declared. */
    public Optional<Workload> workload(String workloadName) {
        return workloads.stream().filter(w -> w.name().equals(workloadName)).findFirst();
    }

    /**
     * The deployment as it serves {@code workload}: its policy at the workload's batch size when the
     * workload sets one (the KV caches HBM holds follow that batch, so the footprint may differ).
     */
    public Deployment servingAt(Workload workload) {
        int batch = workload.batchSizeUnder(policy);
        return batch == policy.batchSize() ? this : withPolicy(policy.withBatchSize(batch));
    }

    public Deployment withHardware(Hardware newHardware) {
        return new Deployment(name, newHardware, router, experts, policy, workloads, spread, location);
    }

    public Deployment withExperts(List<ExpertDecl> newExperts) {
        return new Deployment(name, hardware, router, newExperts, policy, workloads, spread, location);
    }

    public Deployment withPolicy(RuntimePolicy newPolicy) {
        return new Deployment(name, hardware, router, experts, newPolicy, workloads, spread, location);
    }

    public Deployment withWorkloads(List<Workload> newWorkloads) {
        return new Deployment(name, hardware, router, experts, policy, newWorkloads, spread, location);
    }

    public Deployment withSpread(List<NodeAssignment> newSpread) {
        return new Deployment(name, hardware, router, experts, policy, workloads, newSpread, location);
    }
}
