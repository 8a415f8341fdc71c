package io.rdustudio.report;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Names the tool in every report: {@code dfk --version}, the {@code tool} object of JSON output and
 * SARIF's {@code tool.driver}.
 *
 * @param name           the command's name
 * @param version        the Maven project version the jar was built from
 * @param informationUri where a reader of a report learns about the tool
 */
public record ToolInfo(String name, String version, String informationUri) {

    private static final String VERSION_RESOURCE = "/io/rdustudio/cli/dfk-version.properties";

    /** The running tool, with the version Maven wrote into {@value #VERSION_RESOURCE}. */
    public static ToolInfo current() {
        return new ToolInfo("dfk", readVersion(), "https://rdustudio.io");
    }

    private static String readVersion() {
        try (InputStream in = ToolInfo.class.getResourceAsStream(VERSION_RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "unknown");
            // an unfiltered resource (running from an IDE without Maven) still says something true
            return version.startsWith("${") ? "unknown" : version;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
