package io.adastream.demo;

import io.adastream.models.shift.Corruption;

/** One simulated camera of the demo: a domain id and the shift its frames suffer (none for the clean camera). */
public record Camera(String domain, Corruption corruption, int severity, long seed) {

    /** The demo's default cameras: one clean, the others shifted (fog, night, sensor noise, blur). */
    public static Camera[] defaults() {
        return new Camera[]{
                new Camera("cam-clean", null, 0, 11),
                new Camera("cam-fog", Corruption.byName("fog"), 4, 12),
                new Camera("cam-night", Corruption.byName("low_light"), 4, 13),
                new Camera("cam-noise", Corruption.byName("gaussian_noise"), 4, 14),
                new Camera("cam-blur", Corruption.byName("defocus_blur"), 4, 15)};
    }

    public String shiftLabel() {
        return corruption == null ? "none" : corruption.id() + "/" + severity;
    }
}
