package io.rdustudio.dfk.lowering;

import java.util.List;

import io.rdustudio.dfk.dfk.Callable;
import io.rdustudio.dfk.dfk.Function;
import io.rdustudio.dfk.dfk.Hint;
import io.rdustudio.dfk.dfk.Kernel;
import io.rdustudio.dfk.dfk.Param;
import io.rdustudio.dfk.dfk.ShapeParam;
import io.rdustudio.dfk.dfk.Statement;

/** Uniform access to the signature and body that kernels and fns share. */
final class Signatures {

    private Signatures() {
    }

    static String name(Callable c) {
        return c instanceof Kernel k ? k.getName() : ((Function) c).getName();
    }

    static List<ShapeParam> shapeParams(Callable c) {
        return c instanceof Kernel k ? k.getShapeParams() : ((Function) c).getShapeParams();
    }

    static List<Param> params(Callable c) {
        return c instanceof Kernel k ? k.getParams() : ((Function) c).getParams();
    }

    static List<Param> outputs(Callable c) {
        return c instanceof Kernel k ? k.getOutputs() : ((Function) c).getOutputs();
    }

    static List<Statement> body(Callable c) {
        return c instanceof Kernel k ? k.getBody() : ((Function) c).getBody();
    }

    static List<Hint> hints(Callable c) {
        return c instanceof Kernel k ? k.getHints() : List.of();
    }

    static String kind(Callable c) {
        return c instanceof Kernel ? "kernel" : "fn";
    }
}
