package io.adastream.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged service jar ({@code target/adastream.jar}, the Docker image's jar), checked after packaging: it runs
 * the command line, carries no Kafka broker, no Raft code and no Scala, and its {@code demo} names the demo's jar.
 */
class ServiceJarIT {

    /**
     * Class-file prefixes of the broker (kafka_2.13's {@code kafka.*}, kafka-raft, kafka-metadata, kafka-storage) and of
     * Scala; kafka-clients' own {@code kafka/*.properties} are not classes.
     */
    static final List<String> BROKER_PREFIXES = List.of("kafka/", "org/apache/kafka/raft/", "org/apache/kafka/metadata/",
            "org/apache/kafka/controller/", "org/apache/kafka/storage/", "scala/");

    private static final Path JAR = Path.of("target", "adastream.jar");

    @Test
    void theJarHasTheCommandLineAndNoBrokerNorScala() throws IOException {
        assertTrue(Files.isRegularFile(JAR), JAR.toAbsolutePath() + " is not built");
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertEquals("io.adastream.cli.AdaStreamCli", jar.getManifest().getMainAttributes().getValue("Main-Class"));
            assertTrue(jar.getEntry("io/adastream/cli/AdaStreamCli.class") != null);
            assertTrue(jar.getEntry("org/apache/kafka/streams/KafkaStreams.class") != null, "Kafka Streams is missing");
            List<String> broker = jar.stream().map(ZipEntry::getName)
                    .filter(name -> name.endsWith(".class") && BROKER_PREFIXES.stream().anyMatch(name::startsWith))
                    .limit(5).toList();
            assertEquals(List.of(), broker, "broker or Scala classes in the service jar");
            assertTrue(jar.getEntry("io/adastream/embedded/EmbeddedKafka.class") == null);
            assertTrue(jar.getEntry("io/adastream/demo/Demo.class") == null);
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void itsDemoCommandFailsWithOneLineNamingTheDemoJar() throws Exception {
        Path err = Files.createTempFile("adastream-demo-", ".err");
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-jar", JAR.toString(), "demo", "--frames", "8")
                    .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), "the jar did not exit");
            String text = Files.readString(err, StandardCharsets.UTF_8);
            assertEquals(AdaStreamCli.BAD_INPUT, p.exitValue(), text);
            assertEquals(List.of("adastream demo: " + DemoElsewhere.MESSAGE), text.lines().toList());
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
