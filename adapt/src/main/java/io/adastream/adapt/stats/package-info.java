/**
 * Per-domain BatchNormalization statistics (docs/algorithms.md §11): {@link io.adastream.adapt.stats.SourceStatistics},
 * {@link io.adastream.adapt.stats.DomainState}, {@link io.adastream.adapt.stats.FrameMoments}, the per-frame
 * procedure {@link io.adastream.adapt.stats.DomainAdapter}, the {@code balanced} segment library and the snapshot
 * codec. Policies live in {@code .policy}, shift detection in {@code .shift}. Nothing here knows Kafka.
 *
 * <p>Where this code departs from its sources, and why (docs/algorithms.md §11.9):
 * <ul>
 *   <li>Spike guard (§11.6): without look-ahead, "neighbours normal" is decided by the alarm window. A frame above
 *       ρ_hard is held aside ({@code SPIKE_SKIPPED}); it is dropped if the window is dismissed and joins the new
 *       segment's block if the shift is confirmed.</li>
 *   <li>The blend weight b is 0 while an alarm window is open, matching w = 0 for held frames.</li>
 *   <li>{@code adabn} restarts with a ← a0 = 0 (pure AdaBN on the new segment) rather than N_restart, since it has no
 *       prior; {@code ema} has no schedule to restart. Prior-based policies ({@code source-prior},
 *       {@code prior-decay}, {@code balanced}) restart with a ← N_restart = 16 (chosen on CamVid, docs/tuning.md), {@code momentum-decay} with k ← 0.</li>
 *   <li>A held block of n frames is folded once with W = 1 − Π(1 − w_i) over n schedule steps (exact for c = 1
 *       without a floor) rather than as n separate schedule steps.</li>
 *   <li>When the library is full, the two oldest segments with the same regime tag are merged (Chan), otherwise the
 *       two oldest segments (rather than dropping the oldest).</li>
 *   <li>A periodic segment close (every L_seg frames) keeps the live κ-estimate running; only the segment's pooled
 *       accumulator restarts.</li>
 *   <li>The detector's baseline learns with rate max(1/n, β), i.e. a plain mean during warm-up.</li>
 *   <li>set-policy re-derives a = a0/ω_src (AdaBN: a = frames in segment); momentum-decay keeps k.</li>
 *   <li>UBNA's exponential decay counts k from 0 without a floor; {@code momentum-decay schedule=exponential} uses
 *       w_k = max(m0·e^(−α(k−1)), floor) so both schedules start at w_1 and a long stream keeps adapting.</li>
 *   <li>Rank-2 BN layers are not told apart (the layer record has no input rank yet): they fold like the others.</li>
 *   <li>Snapshots store the statistics in float64 so that a round trip is exact.</li>
 * </ul>
 */
package io.adastream.adapt.stats;
