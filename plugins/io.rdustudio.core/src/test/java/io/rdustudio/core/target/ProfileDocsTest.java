package io.rdustudio.core.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The figure tables in docs/target-profiles.md are written by hand; this keeps them equal to the JSON. */
class ProfileDocsTest {

    /** Maven runs tests in the module folder; the docs sit at the repository root. */
    private static final Path DOC = Path.of("../../docs/target-profiles.md");

    static Iterable<String> bundledNames() {
        return TargetProfiles.bundledNames();
    }

    @ParameterizedTest
    @MethodSource("bundledNames")
    void theDocumentedTableEqualsTheBundledProfile(String name) throws IOException {
        TargetProfile profile = TargetProfiles.load(name);
        Map<String, List<String>> rows = tableRows(Files.readAllLines(DOC), "### `" + name + "`");

        assertEquals(profile.figures().size(), rows.size(), name + ": one row per figure");
        for (Map.Entry<FigureKey, Figure> entry : profile.figures().entrySet()) {
            String place = name + " " + entry.getKey().jsonKey();
            List<String> cells = rows.get(entry.getKey().jsonKey());
            Figure figure = entry.getValue();
            assertTrue(cells != null, place + " has no row");
            assertEquals(figure.unit().symbol(), cells.get(1), place);
            assertEquals(figure.nominal(), Double.parseDouble(cells.get(2)), place);
            assertEquals(figure.low(), Double.parseDouble(cells.get(3)), place);
            assertEquals(figure.high(), Double.parseDouble(cells.get(4)), place);
            assertEquals(figure.provenance().jsonName(), cells.get(6), place);
            assertEquals(figure.source(), cells.get(7), place);
        }
    }

    /** The rows of the first table under {@code heading}, by figure key, each as its trimmed cells. */
    private static Map<String, List<String>> tableRows(List<String> lines, String heading) {
        int start = lines.indexOf(heading);
        assertTrue(start >= 0, DOC + " has no heading " + heading);
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("#")) {
                break;
            }
            if (line.startsWith("| `")) {
                List<String> cells = List.of(line.substring(1, line.length() - 1).split("\\|", -1)).stream()
                        .map(String::strip)
                        .toList();
                rows.put(cells.get(0).replace("`", ""), cells);
            }
        }
        return rows;
    }
}
