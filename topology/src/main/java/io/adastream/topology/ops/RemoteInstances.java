package io.adastream.topology.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.adastream.metrics.DirectoryUnavailableException;
import io.adastream.metrics.DomainSummary;
import org.apache.kafka.streams.state.HostInfo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Asks another AdaStream instance (its {@code application.server}, which is its HTTP port) for its own domains,
 * with {@code ?scope=local} so requests are never forwarded twice, carrying the shared admin token when one is
 * configured (every instance of an application has the same). Domain ids are valid before they get here.
 */
public final class RemoteInstances {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final Duration timeout;
    private final String adminToken;

    /** @param adminToken the admin token the other instances expect on reads; null or blank for none */
    public RemoteInstances(Duration timeout, String adminToken) {
        this.timeout = timeout;
        this.adminToken = adminToken == null || adminToken.isBlank() ? null : adminToken.trim();
    }

    List<DomainSummary> domains(HostInfo host) throws DirectoryUnavailableException {
        byte[] body = send(host, "/domains?scope=local").orElseThrow(() ->
                new DirectoryUnavailableException("instance " + host + " has no domain list"));
        try {
            List<DomainSummary> out = new ArrayList<>();
            for (JsonNode d : JSON.readTree(body).path("domains")) {
                out.add(new DomainSummary(d.path("domain").asText(), d.path("frames").asLong(), d.path("version").asLong(),
                        d.path("policy").asText(), d.path("frozen").asBoolean(), d.path("segments").asInt(),
                        d.path("last_seen_ms").asLong(), d.path("state_bytes").asInt(), d.path("instance").asText()));
            }
            return out;
        } catch (IOException e) {
            throw new DirectoryUnavailableException("instance " + host + " answered with something else than its domain list");
        }
    }

    Optional<byte[]> get(HostInfo host, String domain, String what) throws DirectoryUnavailableException {
        return send(host, "/domains/" + domain + "/" + what + "?scope=local");
    }

    private Optional<byte[]> send(HostInfo host, String pathAndQuery) throws DirectoryUnavailableException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery))
                .timeout(timeout).GET();
        if (adminToken != null) {
            builder.header("Authorization", "Bearer " + adminToken);
        }
        HttpRequest request = builder.build();
        try {
            HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() == 200) {
                return Optional.of(r.body());
            }
            if (r.statusCode() == 404) {
                return Optional.empty();
            }
            throw new DirectoryUnavailableException("instance " + host + " answered " + r.statusCode());
        } catch (IOException e) {
            throw new DirectoryUnavailableException("instance " + host + " cannot be reached: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DirectoryUnavailableException("interrupted while asking instance " + host);
        }
    }
}
