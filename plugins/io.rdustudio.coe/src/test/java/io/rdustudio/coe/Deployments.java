package io.rdustudio.coe;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.rdustudio.coe.model.CachePolicy;
import io.rdustudio.coe.model.Deployment;
import io.rdustudio.coe.model.ExpertDecl;
import io.rdustudio.coe.model.ExpertMix;
import io.rdustudio.coe.model.Hardware;
import io.rdustudio.coe.model.ModelSpec;
import io.rdustudio.coe.model.RouterDecl;
import io.rdustudio.coe.model.RuntimePolicy;
import io.rdustudio.coe.model.Workload;
import io.rdustudio.core.ir.DType;
import io.rdustudio.core.ir.SourceLocation;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.core.target.TargetProfiles;

/** Deployments for tests, built in Java as the lowering would build them; locations name a pretend file and line. */
final class Deployments {

    static final TargetProfile SN40L_NODE = TargetProfiles.load("sn40l-node");
    static final TargetProfile DGX_A100 = TargetProfiles.load("dgx-a100");
    static final TargetProfile DGX_H100 = TargetProfiles.load("dgx-h100");

    static final ModelSpec.Parametric LLAMA = ModelSpec.Parametric.llama2_7b();

    private Deployments() {
    }

    static SourceLocation line(int line) {
        return new SourceLocation("file:///test.coe", 0, 1, line, 1);
    }

    static ExpertDecl expert(String name, ModelSpec model, int count) {
        return new ExpertDecl(name, model, "general", DType.BF16, 8, false, count, line(10));
    }

    static RouterDecl router() {
        return new RouterDecl(LLAMA, Optional.empty(), 8, line(2));
    }

    static RuntimePolicy policy(int batch, double wait, boolean prefetch) {
        return new RuntimePolicy(CachePolicy.LRU, batch, wait, 4096, prefetch, line(20));
    }

    static Workload poisson(String name, int prompt, int output, double rate, int requests, long seed) {
        return new Workload(name, prompt, output, rate, new ExpertMix.Uniform(), requests, seed, line(30));
    }

    static Workload trace(Path file) {
        return new Workload("trace", 128, 20, 1.0, new ExpertMix.Trace(file), 0, 1, line(31));
    }

    /** {@code count} Llama2-7B-class experts named {@code e} with a Llama2-7B router on one SN40L node, batch 1. */
    static Deployment samba(int count) {
        return of(List.of(expert("e", LLAMA, count)), policy(1, 0, false));
    }

    static Deployment of(List<ExpertDecl> experts, RuntimePolicy policy) {
        return new Deployment("test", new Hardware("sn40l-node", 1, line(1)), router(), experts, policy,
                List.of(poisson("chat", 128, 20, 1.0, 100, 7)), List.of(), line(1));
    }
}
