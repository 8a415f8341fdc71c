package io.rdustudio.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

import io.rdustudio.lsp.DfkLanguageServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code dfk lsp}: the language server, for any editor. */
@Command(name = "lsp",
        mixinStandardHelpOptions = true,
        versionProvider = DfkCli.Version.class,
        description = {"Serve the Language Server Protocol for DFK programs and CoE descriptors on stdin/stdout (logs go to stderr).",
                "With --port, listen on 127.0.0.1 only and serve the first client that connects."})
final class LspCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "N", description = "TCP port on 127.0.0.1 (0 picks a free one)")
    private Integer port;

    @ParentCommand
    private DfkCli cli;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        if (port != null) {
            if (port < 0 || port > 65535) {
                err.println("dfk: --port must be between 0 and 65535, not " + port);
                err.flush();
                return DfkCli.EXIT_USAGE;
            }
            DfkLanguageServer.serveOnLoopback(port, actual -> {
                err.println("dfk lsp: listening on 127.0.0.1:" + actual);
                err.flush();
            });
            return DfkCli.EXIT_OK;
        }
        // stdout belongs to the protocol: anything else that prints there goes to stderr instead
        PrintStream previous = System.out;
        System.setOut(System.err);
        try {
            DfkLanguageServer.serve(cli.stdin(), cli.stdout());
        } finally {
            System.setOut(previous);
        }
        return DfkCli.EXIT_OK;
    }
}
