package io.rdustudio.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import io.rdustudio.core.analysis.placement.Placement;
import io.rdustudio.core.analysis.placement.PlacementSvg;
import io.rdustudio.core.analysis.placement.Placer;
import io.rdustudio.core.ir.Kernel;
import io.rdustudio.core.io.AtomicFiles;
import io.rdustudio.report.PlacementReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dfk place FILE --kernel K}: one kernel placed on a socket's two-die mesh. */
@Command(name = "place",
        mixinStandardHelpOptions = true,
        versionProvider = DfkCli.Version.class,
        description = {"Place one kernel's stages and stage buffers on the PCUs and PMUs of one socket: utilisation, "
                + "each stage's units, the longest routes, the most loaded links and the traffic between the dies.",
                "With --svg, also draw the placement into an SVG file."})
final class PlaceCommand implements Callable<Integer> {

    @Mixin
    private ProgramInput input;

    @Option(names = "--kernel", paramLabel = "K", required = true, description = "the kernel (or kernel instance) to place")
    private String kernel;

    @Option(names = "--svg", paramLabel = "FILE", description = "write the placement as SVG to this file")
    private String svg;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path svgPath = null;
        if (svg != null) {
            try {
                svgPath = Path.of(svg).toAbsolutePath();
            } catch (InvalidPathException e) {
                throw ProgramInput.fail(err, "'" + svg + "' is not a valid file name (" + e.getReason() + ")", DfkCli.EXIT_USAGE);
            }
            if (Files.isDirectory(svgPath) || svgPath.getParent() == null || !Files.isDirectory(svgPath.getParent())) {
                throw ProgramInput.fail(err, "cannot write " + svg + ": name a file in an existing folder", DfkCli.EXIT_USAGE);
            }
        }
        ProgramInput.Ready r = input.load(out, err);
        List<Kernel> selected = ProgramInput.kernelsNamed(r.program(), kernel);
        if (selected.isEmpty()) {
            throw ProgramInput.fail(err, ProgramInput.unknownKernel(r.program(), input.file, kernel), DfkCli.EXIT_USAGE);
        }
        if (selected.size() > 1) {
            throw ProgramInput.fail(err, "kernel " + kernel + " has several instances; name one: "
                    + selected.stream().map(Kernel::instanceName).collect(Collectors.joining(", ")), DfkCli.EXIT_USAGE);
        }
        Placement placement = Placer.place(selected.get(0), r.profile());
        if (svgPath != null) {
            try {
                AtomicFiles.writeString(svgPath, PlacementSvg.render(placement));
            } catch (IOException e) {
                throw ProgramInput.fail(err, "cannot write " + svg + ": " + e.getMessage(), DfkCli.EXIT_USAGE);
            }
        }
        switch (input.format) {
            case TEXT -> PlacementReport.text(r.header(), placement, svg, out);
            case JSON -> out.println(PlacementReport.json(r.header(), placement, svg));
        }
        out.flush();
        return placement.ok() ? DfkCli.EXIT_OK : DfkCli.EXIT_ERRORS_FOUND;
    }
}
