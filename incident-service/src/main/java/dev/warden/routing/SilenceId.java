package dev.warden.routing;

import java.util.Objects;
import java.util.UUID;

/**
 * Identifies a silence.
 *
 * @param value a random UUID
 */
public record SilenceId(UUID value) {

	public SilenceId {
		Objects.requireNonNull(value, "value");
	}

	static SilenceId random() {
		return new SilenceId(UUID.randomUUID());
	}

	@Override
	public String toString() {
		return this.value.toString();
	}

}
