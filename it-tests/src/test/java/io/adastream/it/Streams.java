package io.adastream.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Synthetic frame streams: several domains (cameras), each with its own brightness shift, interleaved at random. */
final class Streams {

    private Streams() {
    }

    /** {@code perDomain} frames of each domain, interleaved by a seeded shuffle; frame ids f-000001, ... */
    static List<Out> frames(String topic, List<String> domains, int perDomain, long seed) {
        List<String> order = new ArrayList<>();
        for (String d : domains) {
            for (int i = 0; i < perDomain; i++) {
                order.add(d);
            }
        }
        java.util.Collections.shuffle(order, new Random(seed));
        List<Out> out = new ArrayList<>(order.size());
        for (int i = 0; i < order.size(); i++) {
            String d = order.get(i);
            int offset = 30 * (domains.indexOf(d) % 6);
            out.add(Out.frame(topic, d, String.format("f-%06d", i + 1), Images.png(seed * 31 + i, offset)));
        }
        return out;
    }

    static List<String> ids(List<Out> frames) {
        return frames.stream().map(Out::label).toList();
    }

    static List<String> domains(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(prefix + i);
        }
        return out;
    }
}
