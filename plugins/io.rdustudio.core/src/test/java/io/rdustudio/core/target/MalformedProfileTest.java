package io.rdustudio.core.target;

import static io.rdustudio.core.target.ProfileTexts.VALID_GPU;
import static io.rdustudio.core.target.ProfileTexts.utf8;
import static io.rdustudio.core.target.ProfileTexts.validGpuWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every way a user can get a profile wrong ends in a message that names the place and the fix. */
class MalformedProfileTest {

    private static final String SOURCE = "/home/me/my-gpu.json";

    @Test
    void theValidTextParses() {
        TargetProfile profile = TargetProfiles.parse(SOURCE, utf8(VALID_GPU));

        assertEquals("my-gpu-node", profile.name());
        assertEquals(TargetKind.GPU, profile.kind());
        assertEquals(SOURCE, profile.source());
    }

    @Test
    void malformedJsonGivesLineAndColumn() {
        String missingComma = validGpuWith("\"kind\": \"gpu\",", "\"kind\": \"gpu\"");

        ProfileException error = reject(missingComma);

        assertEquals(SOURCE, error.source());
        assertMessageContains(error, "target profile /home/me/my-gpu.json: malformed JSON at line 4, column");
        assertMessageContains(error, "commas between entries");
    }

    @Test
    void commentsAndTrailingCommasAreNotJson() {
        assertMessageContains(reject(validGpuWith("\"kind\": \"gpu\",", "\"kind\": \"gpu\", // GPU")),
                "malformed JSON at line 3");
        assertMessageContains(reject(VALID_GPU.replace("\"source\": \"data sheet\"}\n  }",
                "\"source\": \"data sheet\"},\n  }")), "malformed JSON at line 14, column 4: Expected name");
    }

    @Test
    void aTruncatedFileSaysSo() {
        String truncated = VALID_GPU.substring(0, VALID_GPU.indexOf("\"hostMemoryBytes\""));

        assertMessageContains(reject(truncated), "the file ends before the JSON is complete");
    }

    @Test
    void anEmptyFileSaysWhatAProfileIs() {
        assertMessageContains(reject(""), "the file is empty; a profile is a JSON object with \"name\"");
        assertMessageContains(reject("  \n"), "the file is empty");
    }

    @Test
    void aFileThatIsNotAnObjectSaysWhatAProfileIs() {
        assertMessageContains(reject("[1, 2]"), "the file holds an array but a profile is a JSON object");
        assertProblem(reject(VALID_GPU + "{}"),
                "unexpected text after the profile object at line 16, column 2; a profile file holds one JSON object");
    }

    @Test
    void aMissingFigureIsNamedWithWhereToCopyItFrom() {
        String missing = validGpuWith(
                "\"nvlinkBytesPerSecond\": {\"nominal\": 600e9, \"low\": 600e9, \"high\": 600e9, \"unit\": \"bytes/s\", \"provenance\": \"published\", \"source\": \"data sheet\"},",
                "");

        ProfileException error = reject(missing);

        assertEquals(1, error.problems().size());
        assertEquals("figures.nvlinkBytesPerSecond: missing; every gpu profile gives it (in bytes/s); "
                + "copy it from the bundled dgx-h100 profile and adjust it", error.problems().get(0));
    }

    @Test
    void lowAboveNominalAndNominalAboveHighAreNamed() {
        assertProblem(reject(validGpuWith("\"low\": 3e-6", "\"low\": 6e-6")),
                "figures.kernelLaunchSeconds: low 6.0E-6 is above nominal 5.0E-6; make low <= nominal <= high");
        assertProblem(reject(validGpuWith("\"high\": 10e-6", "\"high\": 4e-6")),
                "figures.kernelLaunchSeconds: nominal 5.0E-6 is above high 4.0E-6; make low <= nominal <= high");
    }

    @Test
    void wrongTypesNameTheFieldAndWhatWasFound() {
        assertProblem(reject(validGpuWith("\"nominal\": 5e-6", "\"nominal\": \"5 us\"")),
                "figures.kernelLaunchSeconds.nominal: must be a number in s, found the string \"5 us\"");
        assertProblem(reject(validGpuWith("\"name\": \"my-gpu-node\"", "\"name\": 7")),
                "name: must be a string, found the number 7");
        assertProblem(reject(validGpuWith("\"provenance\": \"assumed\", \"source\": \"a few microseconds\"",
                        "\"provenance\": \"assumed\", \"source\": null")),
                "figures.kernelLaunchSeconds.source: must be a string, found null");
        assertProblem(reject(validGpuWith("\"gpusPerNode\": {\"nominal\": 8, \"low\": 8, \"high\": 8, \"unit\": \"count\", \"provenance\": \"published\", \"source\": \"data sheet\"}",
                        "\"gpusPerNode\": 8")),
                "figures.gpusPerNode: must be an object with nominal, low, high, unit, provenance, source, "
                        + "found the number 8");
    }

    @Test
    void figuresMustBeAnObject() {
        String text = """
                {"name": "x", "kind": "gpu", "description": "d", "figures": []}
                """;

        assertProblem(reject(text), "figures: must be an object that maps figure keys to figures, found an array");
    }

    @Test
    void valuesMustBePositiveFiniteAndWholeWhereTheUnitCounts() {
        assertProblem(reject(validGpuWith("\"low\": 3e-6", "\"low\": 0")),
                "figures.kernelLaunchSeconds.low: is 0 but must be above 0");
        assertProblem(reject(validGpuWith("\"low\": 3e-6", "\"low\": -1e-6")),
                "figures.kernelLaunchSeconds.low: is -1.0E-6 but must be above 0");
        assertProblem(reject(validGpuWith("\"high\": 10e-6", "\"high\": 1e400")),
                "figures.kernelLaunchSeconds.high: is too large to be a number; write it in s");
        assertProblem(reject(validGpuWith("\"nominal\": 8, \"low\": 8, \"high\": 8", "\"nominal\": 8, \"low\": 8, \"high\": 8.5")),
                "figures.gpusPerNode.high: is 8.5 but must be a whole number");
    }

    @Test
    void aStructuralFigureMustBeOneValue() {
        assertProblem(reject(validGpuWith("\"nominal\": 8, \"low\": 8, \"high\": 8", "\"nominal\": 8, \"low\": 4, \"high\": 8")),
                "figures.gpusPerNode: gpusPerNode describes structure or a default, not an uncertain rate; "
                        + "give low, nominal and high the same value");
    }

    @Test
    void anUnknownFigureIsAnErrorWithASuggestion() {
        ProfileException error = reject(validGpuWith("\"nvlinkBytesPerSecond\"", "\"nvLinkBytesPerSec\""));

        assertEquals(List.of(
                "figures.nvLinkBytesPerSec: unknown figure; did you mean nvlinkBytesPerSecond?; "
                        + "the keys are listed in docs/target-profiles.md",
                "figures.nvlinkBytesPerSecond: missing; every gpu profile gives it (in bytes/s); "
                        + "copy it from the bundled dgx-h100 profile and adjust it"),
                error.problems());
    }

    @Test
    void anUnknownFigureFarFromAnyKeyGetsNoSuggestion() {
        ProfileException error = reject(validGpuWith("\"figures\": {", "\"figures\": {\n    \"coffee\": {},"));

        assertEquals("figures.coffee: unknown figure; the keys are listed in docs/target-profiles.md",
                error.problems().get(0));
    }

    @Test
    void aFigureOfAnotherKindIsAnError() {
        String withRduFigure = validGpuWith("\"figures\": {",
                "\"figures\": {\n    \"clockHz\": {\"nominal\": 1e9, \"low\": 1e9, \"high\": 1e9, \"unit\": \"Hz\", "
                        + "\"provenance\": \"assumed\", \"source\": \"guess\"},");

        assertProblem(reject(withRduFigure), "figures.clockHz: is not a figure of kind gpu; remove it");
    }

    @Test
    void aWrongUnitSaysWhichUnitTheKeyTakes() {
        assertProblem(reject(validGpuWith("\"nominal\": 5e-6, \"low\": 3e-6, \"high\": 10e-6, \"unit\": \"s\"",
                        "\"nominal\": 5, \"low\": 3, \"high\": 10, \"unit\": \"us\"")),
                "figures.kernelLaunchSeconds.unit: is \"us\" but kernelLaunchSeconds is given in s; "
                        + "convert the values and write \"unit\": \"s\"");
    }

    @Test
    void unknownFieldsKindsAndProvenancesAreNamed() {
        assertProblem(reject(validGpuWith("\"kind\": \"gpu\"", "\"kind\": \"tpu\"")),
                "kind: is \"tpu\" but must be one of \"rdu\", \"gpu\"");
        assertProblem(reject(validGpuWith("\"provenance\": \"assumed\", \"source\": \"a few", "\"provenance\": \"guess\", \"source\": \"a few")),
                "figures.kernelLaunchSeconds.provenance: is \"guess\" but must be one of \"published\", \"assumed\"");
        assertProblem(reject(validGpuWith("\"kind\": \"gpu\",", "\"kind\": \"gpu\", \"vendor\": \"NVIDIA\",")),
                "vendor: unknown field; a profile has only $schema, name, kind, description, figures");
        assertProblem(reject(validGpuWith("\"nominal\": 5e-6,", "\"nominal\": 5e-6, \"typical\": 4e-6,")),
                "figures.kernelLaunchSeconds.typical: unknown field; a figure has only nominal, low, high, unit, "
                        + "provenance, source");
    }

    @Test
    void anEmptySourceAsksForACitationOrReasoning() {
        assertProblem(reject(validGpuWith("\"source\": \"a few microseconds\"", "\"source\": \"\"")),
                "figures.kernelLaunchSeconds.source: is empty; cite the publication for a published figure, "
                        + "give the reasoning for an assumed one");
    }

    @Test
    void aNameGivenTwiceIsAnError() {
        assertProblem(reject(validGpuWith("\"name\": \"my-gpu-node\",", "\"name\": \"a\", \"name\": \"b\",")),
                "name: appears more than once; keep only one");
    }

    @Test
    void aSchemaReferenceIsAllowed() {
        String text = validGpuWith("\"name\":", "\"$schema\": \"../target-profile.schema.json\",\n  \"name\":");

        assertEquals("my-gpu-node", TargetProfiles.parse(SOURCE, utf8(text)).name());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        String text = validGpuWith("\"low\": 3e-6", "\"low\": 6e-6")
                .replace("\"kind\": \"gpu\",", "\"kind\": \"gpu\", \"vendor\": \"NVIDIA\",");

        ProfileException error = reject(text);

        assertEquals(2, error.problems().size());
        assertTrue(error.getMessage().startsWith("target profile /home/me/my-gpu.json has 2 problems:\n  - "),
                error.getMessage());
    }

    @Test
    void bytesThatAreNotUtf8AreRejected() {
        ProfileException error = assertThrows(ProfileException.class,
                () -> TargetProfiles.parse(SOURCE, new byte[] {'{', (byte) 0xC3, '}'}));

        assertProblem(error, "the file is not UTF-8 text; save it as UTF-8");
    }

    @Test
    void everyTruncationAndEveryDeletedCharacterEndsInAProfileException() {
        for (int end = 0; end < VALID_GPU.strip().length(); end++) {
            String prefix = VALID_GPU.substring(0, end);
            assertThrows(ProfileException.class, () -> TargetProfiles.parse(SOURCE, utf8(prefix)), prefix);
        }
        for (int removed = 0; removed < VALID_GPU.length(); removed++) {
            String damaged = VALID_GPU.substring(0, removed) + VALID_GPU.substring(removed + 1);
            try {
                TargetProfiles.parse(SOURCE, utf8(damaged));
            } catch (ProfileException expected) {
                assertTrue(expected.getMessage().startsWith("target profile " + SOURCE), expected.getMessage());
            }
        }
    }

    private static ProfileException reject(String text) {
        return assertThrows(ProfileException.class, () -> TargetProfiles.parse(SOURCE, utf8(text)));
    }

    private static void assertProblem(ProfileException error, String expected) {
        assertEquals(1, error.problems().size(), error.getMessage());
        assertEquals(expected, error.problems().get(0));
        assertEquals("target profile " + error.source() + ": " + expected, error.getMessage());
    }

    private static void assertMessageContains(ProfileException error, String expected) {
        assertTrue(error.getMessage().contains(expected), () -> "expected <" + expected + "> in:\n" + error.getMessage());
    }
}
