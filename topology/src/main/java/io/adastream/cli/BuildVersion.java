package io.adastream.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this build for {@code --version}: written into {@code version.properties} by Maven's resource filtering. */
final class BuildVersion implements CommandLine.IVersionProvider {

    static final String RESOURCE = "version.properties";

    /** The project version of the build, or {@code unknown} when the resource is missing or unfiltered. */
    static String version() {
        Properties p = new Properties();
        try (InputStream in = BuildVersion.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        String v = p.getProperty("version", "unknown");
        return v.startsWith("${") ? "unknown" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[]{"adastream " + version(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
    }
}
