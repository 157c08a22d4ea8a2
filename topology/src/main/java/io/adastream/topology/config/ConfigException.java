package io.adastream.topology.config;

/** Invalid service configuration; the message is one line naming the key. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
