package io.adastream.topology;

import io.adastream.adapt.stats.DomainAdapter;
import io.adastream.adapt.stats.DomainState;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies control commands to domains. {@code freeze} and {@code set-policy} make a domain live here if it is not;
 * {@code reset} does only when the domain has state it could come back with (it then starts at source);
 * {@code unfreeze} and {@code snapshot} of a domain that is not live do nothing. A changed state is written back at once.
 */
final class DomainControl {

    private static final Logger LOG = LoggerFactory.getLogger(DomainControl.class);

    private final ProcessorContext<String, Object> context;
    private final DomainLifecycle domains;
    private final DomainSnapshots snapshots;
    private final DomainAdapter adapter;
    private final DeadLetters deadLetters;

    DomainControl(ProcessorContext<String, Object> context, DomainLifecycle domains, DomainSnapshots snapshots,
                  DomainAdapter adapter, DeadLetters deadLetters) {
        this.context = context;
        this.domains = domains;
        this.snapshots = snapshots;
        this.adapter = adapter;
        this.deadLetters = deadLetters;
    }

    void apply(String domain, DomainEvent.Control control, long timestamp) {
        ControlCommand command = control.command();
        LiveDomains.Entry entry = domains.live(domain);
        if (entry == null) {
            entry = admit(domain, control, timestamp);
            if (entry == null) {
                return;
            }
        }
        if (command instanceof ControlCommand.Snapshot) {
            snapshots.emit(domain, entry);
            return;
        }
        change(command, entry.state);
        LOG.info("control '{}' applied to domain '{}'", command.name(), domain);
        snapshots.write(domain, entry);
    }

    /** The entry of a domain that is not live, made live for the command; null if the command has nothing to do. */
    private LiveDomains.Entry admit(String domain, DomainEvent.Control control, long timestamp) {
        ControlCommand command = control.command();
        boolean resetOfKnownState = command instanceof ControlCommand.Reset && domains.hasStateElsewhere(domain);
        boolean creates = command instanceof ControlCommand.Freeze || command instanceof ControlCommand.SetPolicy;
        if (!resetOfKnownState && !creates) {
            LOG.info("control '{}' for domain '{}', which is not live here: nothing to do", command.name(), domain);
            return null;
        }
        if (!domains.makeRoom()) {
            deadLetters.send(context, control.originalKey(), control.originalValue(), control.originalHeaders(),
                    timestamp, DeadLetterReason.DOMAIN_CAP, "control '" + command.name() + "' for a new domain: this task "
                            + "already has " + domains.size() + " live domains (domains.max.per.task) and domains.overflow=refuse");
            return null;
        }
        // a reset of an evicted domain makes it live at source, so that neither its kept state nor its snapshot
        // (which the next snapshot replaces) can bring the old statistics back
        LiveDomains.Entry entry = resetOfKnownState ? domains.newEntryAtSource(timestamp) : domains.newEntry(domain, timestamp);
        domains.add(domain, entry);
        return entry;
    }

    private void change(ControlCommand command, DomainState state) {
        if (command instanceof ControlCommand.Reset) {
            adapter.reset(state);
        } else if (command instanceof ControlCommand.Freeze) {
            adapter.freeze(state);
        } else if (command instanceof ControlCommand.Unfreeze) {
            adapter.unfreeze(state);
        } else if (command instanceof ControlCommand.SetPolicy setPolicy) {
            adapter.setPolicy(state, setPolicy.newPolicy());
        }
    }
}
