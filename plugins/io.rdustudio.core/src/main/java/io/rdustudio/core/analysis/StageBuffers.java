package io.rdustudio.core.analysis;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.ir.KernelParam;
import io.rdustudio.core.ir.Operation;
import io.rdustudio.core.ir.ParamMode;
import io.rdustudio.core.ir.TensorType;
import io.rdustudio.core.ir.Value;
import io.rdustudio.core.target.FigureKey;
import io.rdustudio.core.target.TargetProfile;

/**
 * The first-order buffer model of a fused kernel. Tensors stream through the pipeline in tiles of
 * {@code tileRows} rows (a row is the last axis; the kernel's {@code tile} hint, else the profile's
 * {@code defaultTileRows}); each tensor that enters a stage (a kernel input, or an intermediate
 * passed between stages) gets a stage buffer of {@code stageBufferDepth} tiles (double buffering),
 * capped at the tensor's whole size. Kernel outputs stream straight off chip.
 */
public final class StageBuffers {

    /** One stage buffer: the value it holds and its capacity in bytes. */
    public record Buffer(String value, TensorType type, long bytes) {
    }

    private StageBuffers() {
    }

    public static long tileRows(Kernel kernel, TargetProfile profile) {
        return kernel.hints().tileRows().orElse((long) profile.value(FigureKey.DEFAULT_TILE_ROWS));
    }

    public static List<Buffer> of(Kernel kernel, TargetProfile profile) {
        long rows = tileRows(kernel, profile);
        long depth = (long) profile.value(FigureKey.STAGE_BUFFER_DEPTH);
        Set<String> consumed = new HashSet<>();
        for (Operation op : kernel.operations()) {
            consumed.addAll(op.inputs());
        }
        List<Buffer> buffers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (KernelParam p : kernel.params()) {
            if (p.mode() != ParamMode.OUT && consumed.contains(p.name()) && seen.add(p.name())) {
                buffers.add(buffer(p.asValue(), rows, depth));
            }
        }
        for (Operation op : kernel.operations()) {
            for (Value v : op.outputs()) {
                if (consumed.contains(v.name()) && op.kind().isStage() && seen.add(v.name())) {
                    buffers.add(buffer(v, rows, depth));
                }
            }
        }
        return buffers;
    }

    private static Buffer buffer(Value v, long rows, long depth) {
        TensorType t = v.type();
        long total = t.bytes();
        int rank = t.shape().rank();
        long rowBytes = (rank == 0 ? 1 : t.shape().dim(rank - 1)) * t.dtype().bytes();
        long tile;
        try {
            tile = Math.multiplyExact(Math.multiplyExact(rowBytes, rows), depth);
        } catch (ArithmeticException e) {
            tile = Long.MAX_VALUE;
        }
        return new Buffer(v.name(), t, Math.min(total, tile));
    }

    /** Operations that occupy a pipeline stage (layout operators are access patterns, not stages). */
    public static int stageCount(Kernel kernel) {
        int n = 0;
        for (Operation op : kernel.operations()) {
            if (op.kind().isStage()) {
                n++;
            }
        }
        return n;
    }
}
