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
public final class Signatures {

    private Signatures() {
    }

    public static String name(Callable c) {
        return c instanceof Kernel k ? k.getName() : ((Function) c).getName();
    }

    public static List<ShapeParam> shapeParams(Callable c) {
        return c instanceof Kernel k ? k.getShapeParams() : ((Function) c).getShapeParams();
    }

    public static List<Param> params(Callable c) {
        return c instanceof Kernel k ? k.getParams() : ((Function) c).getParams();
    }

    public static List<Param> outputs(Callable c) {
        return c instanceof Kernel k ? k.getOutputs() : ((Function) c).getOutputs();
    }

    public static List<Statement> body(Callable c) {
        return c instanceof Kernel k ? k.getBody() : ((Function) c).getBody();
    }

    public static List<Hint> hints(Callable c) {
        return c instanceof Kernel k ? k.getHints() : List.of();
    }

    public static String kind(Callable c) {
        return c instanceof Kernel ? "kernel" : "fn";
    }
}
