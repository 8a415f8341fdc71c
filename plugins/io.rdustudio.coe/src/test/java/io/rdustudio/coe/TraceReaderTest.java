package io.rdustudio.coe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rdustudio.coe.model.Workload;

/** Bad trace lines are reported at their line, all of them, with the fix; good ones are replayed in time order. */
class TraceReaderTest {

    private static final String EXAMPLE = "{\"arrivalSeconds\": 0.5, \"expert\": \"math_003\", \"promptTokens\": 512, "
            + "\"outputTokens\": 20}";

    @TempDir
    Path dir;

    private final FixtureResolver resolver = new FixtureResolver();

    private Path write(String text) throws IOException {
        Path file = dir.resolve("requests.jsonl");
        Files.writeString(file, text);
        return file;
    }

    private ServingResult simulate(Workload w) {
        return ServingSimulator.simulate(Deployments.samba(3), w, resolver, Deployments.SN40L_NODE, () -> false, f -> {
        });
    }

    private List<String> errors(String text) throws IOException {
        Path file = write(text);
        DeploymentException e = assertThrows(DeploymentException.class, () -> simulate(Deployments.trace(file)));
        String uri = file.toUri().toString();
        return e.diagnostics().stream().map(d -> {
            assertEquals(uri, d.location().uri());
            return d.location().line() + ": " + d.message();
        }).toList();
    }

    @Test
    void everyBadLineIsNamedWithWhatIsWrong() throws IOException {
        List<String> errors = errors("""
                {"arrivalSeconds": 0.0, "expert": "e_000"}
                {"arrivalSeconds": 0.1, "expert": "e_007"}
                {arrivalSeconds: 0.2, "expert": "e_000"}

                {"arrivalSeconds": -1, "domain": "general"}
                {"arrivalSeconds": 0.3, "expert": "e_001", "domain": "general"}
                {"arrivalSeconds": 0.4, "expert": "e_001", "promptTokens": 12.5, "promtTokens": 3}
                [1, 2]
                {"arrivalSeconds": 0.5, "expert": "e_002", "promptTokens": 4000, "outputTokens": 200}
                {"expert": "e_002"} {"expert": "e_002"}
                """);

        assertEquals(List.of(
                "2: no expert is named 'e_007'; use a declared expert's name or one copy's name (such as e_000)",
                "3: not valid JSON at column 3 (strict JSON: names and strings in double quotes, one object per line); "
                        + "a line looks like " + EXAMPLE,
                "5: \"arrivalSeconds\" must be a finite number of seconds, 0 or more",
                "6: give either \"expert\" or \"domain\", not both",
                "7: unknown field 'promtTokens'; the fields are arrivalSeconds, expert, domain, promptTokens, outputTokens",
                "7: \"promptTokens\" must be a whole number from 1 to 10,000,000, not 12.5",
                "8: a request is a JSON object, not [1,2]; for example {\"arrivalSeconds\": 0.5, \"expert\": \"math_003\", "
                        + "\"promptTokens\": 512, \"outputTokens\": 20}",
                "9: 4000 prompt + 200 output tokens exceed the context of expert 'e_002' (4,096 tokens); shorten the request",
                "10: not valid JSON at column 22 (strict JSON: names and strings in double quotes, one object per line); "
                        + "a line looks like " + EXAMPLE), errors);
    }

    @Test
    void anEmptyTraceIsAnError() throws IOException {
        assertEquals(List.of("1: the trace holds no requests; write one JSON object per line, like {\"arrivalSeconds\": 0.5, "
                + "\"expert\": \"math_003\", \"promptTokens\": 512, \"outputTokens\": 20}"), errors("\n\n"));
    }

    @Test
    void linesAreServedInArrivalOrderWithTheirOwnLengths() throws IOException {
        Path file = write("""
                {"arrivalSeconds": 20, "expert": "e_002", "outputTokens": 5}
                {"arrivalSeconds": 10, "domain": "general", "promptTokens": 64}
                {"arrivalSeconds": 10, "expert": "e"}
                """);

        ServingResult r = simulate(Deployments.trace(file));

        assertEquals(List.of(10.0, 10.0, 20.0), r.requests().stream().map(RequestRecord::arrivalSeconds).toList());
        assertEquals(List.of(64, 128, 128), r.requests().stream().map(RequestRecord::promptTokens).toList());
        assertEquals(List.of(20, 20, 5), r.requests().stream().map(RequestRecord::outputTokens).toList());
        assertEquals("e_002", r.requests().get(2).expert());
    }

    @Test
    void aRequestCountReadsOnlyTheFirstLines() throws IOException {
        Path file = write("{\"arrivalSeconds\": 1, \"expert\": \"e_000\"}\n".repeat(10));

        ServingResult r = simulate(Deployments.trace(file).withRequests(4));

        assertEquals(4, r.requests().size());
    }
}
