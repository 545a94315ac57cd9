package io.annexsync.app.config;

/** A setting in assistant.conf has a bad value; the message names the key and the reason. */
public final class ConfigException extends IllegalArgumentException {
    private final String key;

    public ConfigException(String key, String reason) {
        super(key + ": " + reason);
        this.key = key;
    }

    /** The key whose value is wrong, for example {@code add.jobs}. */
    public String key() {
        return key;
    }
}
