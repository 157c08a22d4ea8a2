package io.adastream.models.eval.pictures;

import io.adastream.adapt.stats.policy.Policies;
import io.adastream.models.eval.AccuracyTrace;
import io.adastream.models.eval.EvalResults;
import io.adastream.models.eval.StreamTrace;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes the pictures of an evaluation next to its markdown report ({@code FILE.md}): per traced stream the plot
 * of accuracy along the stream ({@code FILE-<stream>-accuracy.png}) and, for a segmenter, the strip of sample
 * frames ({@code FILE-<stream>-frames.png}); and renders the report's "Pictures" section that shows them.
 */
public final class ReportPictures {

    /** One picture written: the stream it shows, what it is ("accuracy" or "frames") and its file. */
    public record Picture(String stream, String kind, Path file) {
    }

    private ReportPictures() {
    }

    /** The adapted policy whose masks the strips show: the default policy if evaluated, else the first adapted one. */
    public static String adaptedPolicy(List<String> policies) {
        if (policies.contains(Policies.DEFAULT)) {
            return Policies.DEFAULT;
        }
        return policies.stream().filter(p -> !p.equals(AccuracyChart.SOURCE)).findFirst().orElse(AccuracyChart.SOURCE);
    }

    /** The file a picture of {@code stream} goes to, next to {@code report}: {@code <report name>-<stream>-<kind>.png}. */
    public static Path pictureFile(Path report, String stream, String kind) {
        String name = report.getFileName().toString();
        String base = name.toLowerCase(Locale.ROOT).endsWith(".md") ? name.substring(0, name.length() - 3) : name;
        Path file = Path.of(base + "-" + stream.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + kind + ".png");
        Path dir = report.toAbsolutePath().getParent();
        return dir == null ? file : dir.resolve(file);
    }

    /** Writes every picture of the traced streams next to {@code report}; segmenter strips use {@code palette}. */
    public static List<Picture> write(Path report, EvalResults results, List<StreamTrace> streams, ClassPalette palette,
                                      List<String> classNames) throws IOException {
        String adapted = adaptedPolicy(results.options().policies());
        List<Picture> written = new ArrayList<>();
        for (StreamTrace stream : streams) {
            if (stream.traces().isEmpty()) {
                continue;
            }
            Path plot = pictureFile(report, stream.name(), "accuracy");
            AccuracyChart.write(AccuracyChart.build(stream, title(results, stream), results.metric()), plot);
            written.add(new Picture(stream.name(), "accuracy", plot));
            if (!stream.samples().isEmpty()) {
                Path strip = pictureFile(report, stream.name(), "frames");
                if (!ImageIO.write(FrameStrip.render(stream, adapted, palette, classNames), "png", strip.toFile())) {
                    throw new IOException("no PNG writer for " + strip);
                }
                written.add(new Picture(stream.name(), "frames", strip));
            }
        }
        return written;
    }

    /** The report's "Pictures" section showing {@code pictures} (links relative to the report's folder); "" if none. */
    public static String markdown(EvalResults results, List<StreamTrace> streams, List<Picture> pictures) {
        if (pictures.isEmpty()) {
            return "";
        }
        AccuracyTrace any = streams.stream().flatMap(s -> s.traces().stream()).findFirst().orElseThrow();
        StringBuilder md = new StringBuilder("## Pictures\n\n");
        md.append(String.format(Locale.ROOT, "Accuracy along each stream: %s over the last %d frames as they were"
                        + " predicted, batch %d, %s mode; `source` (unadapted) is the thick black line, the offline"
                        + " `oracle` (single-domain streams) dashed grey; vertical lines mark where the stream changes condition or"
                        + " domain.",
                results.metric(), any.window(), any.batch(), any.mode() == io.adastream.adapt.inference.AdaptationMode.FUSED
                        ? "fused" : "two-pass"));
        if (pictures.stream().anyMatch(p -> p.kind().equals("frames"))) {
            md.append(String.format(Locale.ROOT, " Frames: a few frames spread along the stream, rows input, `source`"
                    + " mask, `%s` mask, ground truth.", adaptedPolicy(results.options().policies())));
        }
        md.append("\n\n");
        String stream = null;
        for (Picture p : pictures) {
            if (!p.stream().equals(stream)) {
                stream = p.stream();
                md.append("### ").append(stream).append("\n\n");
            }
            md.append("![").append(stream).append(": ").append(p.kind().equals("accuracy") ? results.metric()
                    + " along the stream" : "frames").append("](").append(p.file().getFileName()).append(")\n\n");
        }
        return md.toString();
    }

    private static String title(EvalResults results, StreamTrace stream) {
        AccuracyTrace t = stream.traces().get(0);
        return String.format(Locale.ROOT, "%s: %s stream, batch %d", results.model(), stream.name(), t.batch());
    }
}
