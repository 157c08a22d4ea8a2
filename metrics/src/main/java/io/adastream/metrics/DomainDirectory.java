package io.adastream.metrics;

import java.util.List;
import java.util.Optional;

/**
 * The live domains behind the admin API, implemented by the service (Kafka Streams interactive queries). Ids
 * passed in are already valid ({@link DomainIdRule}); {@code localOnly} asks for this instance's domains only, as
 * another instance does when it forwards a request here.
 */
public interface DomainDirectory {

    /** Every live domain with a summary of its state. */
    List<DomainSummary> domains(boolean localOnly) throws DirectoryUnavailableException;

    /** The domain's binary snapshot, or empty if no instance holds the domain. */
    Optional<byte[]> snapshot(String domain, boolean localOnly) throws DirectoryUnavailableException;

    /** The model with the domain's statistics baked in (ONNX bytes), or empty if no instance holds the domain. */
    Optional<byte[]> modelOnnx(String domain, boolean localOnly) throws DirectoryUnavailableException;

    /** Asks for the domain to be reset to the source statistics; false if no instance holds the domain. */
    boolean reset(String domain) throws DirectoryUnavailableException;
}
