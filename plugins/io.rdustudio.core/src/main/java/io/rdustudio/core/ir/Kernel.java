package io.rdustudio.core.ir;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A kernel instance: one fused launch with concrete shapes. A parameterised DFK kernel called with
 * different shapes gives one instance per distinct binding of its shape parameters; the instance
 * name then carries the binding ({@code attention<T=4096>}).
 *
 * <p>With a tensor-parallel degree above 1 the parameters and operations are those of one socket:
 * matmuls are already split and the collectives the split needs are already inserted.
 */
public record Kernel(String name, String instanceName, List<KernelParam> params, List<Operation> operations,
        KernelHints hints, SourceLocation location) {

    public Kernel {
        params = List.copyOf(params);
        operations = List.copyOf(operations);
    }

    /** Every value visible in the kernel (parameters, then operation results) by name. */
    public Map<String, Value> values() {
        Map<String, Value> all = new LinkedHashMap<>();
        for (KernelParam p : params) {
            all.put(p.name(), p.asValue());
        }
        for (Operation op : operations) {
            for (Value v : op.outputs()) {
                all.put(v.name(), v);
            }
        }
        return all;
    }

    public List<KernelParam> inputs() {
        List<KernelParam> in = new ArrayList<>();
        for (KernelParam p : params) {
            if (p.mode() != ParamMode.OUT) {
                in.add(p);
            }
        }
        return in;
    }

    public List<KernelParam> outputs() {
        List<KernelParam> out = new ArrayList<>();
        for (KernelParam p : params) {
            if (p.mode() != ParamMode.IN) {
                out.add(p);
            }
        }
        return out;
    }
}
