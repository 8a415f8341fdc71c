package io.rdustudio.core.analysis.cost;

import io.rdustudio.core.ir.KernelParam;
import io.rdustudio.core.ir.Tier;

/** Where the tensor bound to each kernel parameter lives, for one call (or for all, by default). */
@FunctionalInterface
public interface ParamTiers {

    Tier tierOf(KernelParam param);

    /** Every parameter in HBM: a kernel costed on its own, with no call to bind it. */
    ParamTiers ALL_HBM = param -> Tier.HBM;
}
