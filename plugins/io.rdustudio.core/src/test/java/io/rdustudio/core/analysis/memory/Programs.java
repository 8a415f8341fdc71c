package io.rdustudio.core.analysis.memory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import io.rdustudio.core.ir.DType;
import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.KernelHints;
import io.rdustudio.core.ir.KernelParam;
import io.rdustudio.core.ir.Orchestration;
import io.rdustudio.core.ir.ParamMode;
import io.rdustudio.core.ir.Program;
import io.rdustudio.core.ir.Role;
import io.rdustudio.core.ir.Schedule;
import io.rdustudio.core.ir.Shape;
import io.rdustudio.core.ir.SourceLocation;
import io.rdustudio.core.ir.Step;
import io.rdustudio.core.ir.TensorDecl;
import io.rdustudio.core.ir.TensorRef;
import io.rdustudio.core.ir.TensorType;
import io.rdustudio.core.ir.Tier;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.core.target.TargetProfiles;

/**
 * A small builder of IR programs for memory-plan tests. Tensors are int8 vectors, so a tensor of
 * {@code n} elements is {@code n} bytes; kernel parameters take the referenced slice's type.
 */
final class Programs {

    private static final SourceLocation HERE = SourceLocation.UNKNOWN;

    private final List<TensorDecl> tensors = new ArrayList<>();
    private final Map<String, Kernel> kernels = new LinkedHashMap<>();
    private int sockets = 1;

    static Programs program() {
        return new Programs();
    }

    Programs tensor(String name, Role role, long... dims) {
        return tensor(name, role, null, dims);
    }

    Programs tensor(String name, Role role, Tier tier, long... dims) {
        tensors.add(new TensorDecl(name, role, new TensorType(DType.INT8, Shape.of(dims)), Optional.ofNullable(tier),
                HERE));
        return this;
    }

    Programs sockets(int n) {
        sockets = n;
        return this;
    }

    TensorDecl decl(String name) {
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    /** A call of a fresh kernel that reads {@code ins} and writes {@code outs} ("w[l]" indexes by l). */
    Step.KernelCall call(String kernel, List<String> ins, List<String> outs) {
        return call(kernel, 1, ins, outs);
    }

    Step.KernelCall call(String kernel, int tp, List<String> ins, List<String> outs) {
        List<KernelParam> params = new ArrayList<>();
        List<TensorRef> inRefs = new ArrayList<>();
        List<TensorRef> outRefs = new ArrayList<>();
        int k = 0;
        for (String in : ins) {
            TensorRef ref = ref(in);
            inRefs.add(ref);
            params.add(new KernelParam("p" + k++, ParamMode.IN, slice(ref, tp), HERE));
        }
        for (String out : outs) {
            TensorRef ref = ref(out);
            outRefs.add(ref);
            params.add(new KernelParam("p" + k++, ParamMode.OUT, slice(ref, tp), HERE));
        }
        kernels.put(kernel, new Kernel(kernel, kernel, params, List.of(),
                new KernelHints(tp, OptionalInt.empty(), OptionalLong.empty()), HERE));
        return new Step.KernelCall(kernel, inRefs, outRefs, HERE);
    }

    private TensorRef ref(String text) {
        int bracket = text.indexOf('[');
        if (bracket < 0) {
            return new TensorRef(text, List.of(), HERE);
        }
        String var = text.substring(bracket + 1, text.length() - 1);
        return new TensorRef(text.substring(0, bracket), List.of(new TensorRef.Index(var, 0)), HERE);
    }

    /** The per-socket type of a reference: indexed axes dropped, the last axis divided by tp for weights. */
    private TensorType slice(TensorRef ref, int tp) {
        TensorDecl d = decl(ref.tensor());
        Shape s = d.type().shape();
        for (int i = 0; i < ref.indices().size(); i++) {
            s = s.dropLeading();
        }
        if (tp > 1 && d.role() == Role.WEIGHT) {
            List<Long> dims = new ArrayList<>(s.dims());
            dims.set(dims.size() - 1, dims.get(dims.size() - 1) / tp);
            s = new Shape(dims);
        }
        return d.type().withShape(s);
    }

    static Step.Loop loop(String var, long trips, Step... body) {
        return new Step.Loop(var, 0, trips, List.of(body), HERE);
    }

    Program schedule(Step... steps) {
        return new Program("test", "test.dfk", Map.of(), tensors, kernels,
                Optional.of(new Schedule(sockets, Orchestration.HARDWARE, List.of(steps), HERE)));
    }

    static TargetProfile sn40l() {
        return TargetProfiles.load("sn40l");
    }

    /** The bundled sn40l profile with {@code hbmBytes} of HBM and {@code ddrBytes} of DDR per socket. */
    static TargetProfile sn40lWith(long hbmBytes, long ddrBytes) {
        try (InputStream in = TargetProfiles.class.getResourceAsStream("profiles/sn40l.json")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            text = replaceFigure(text, 68719476736L, hbmBytes);
            text = replaceFigure(text, 1649267441664L, ddrBytes);
            return TargetProfiles.parse("sn40l-small", text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String replaceFigure(String text, long from, long to) {
        String f = "\"nominal\": " + from + ", \"low\": " + from + ", \"high\": " + from;
        if (!text.contains(f)) {
            throw new IllegalStateException("profile layout changed: " + f);
        }
        return text.replace(f, "\"nominal\": " + to + ", \"low\": " + to + ", \"high\": " + to);
    }
}
