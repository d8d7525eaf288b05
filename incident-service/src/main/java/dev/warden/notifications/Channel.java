package dev.warden.notifications;

import java.util.Locale;

/** Where a notification goes. */
public enum Channel {

	SLACK, EMAIL;

	/** The stored and shown name, such as {@code slack}. */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	static Channel of(String value) {
		return valueOf(value.toUpperCase(Locale.ROOT));
	}

}
