package dev.warden.incidents;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Copies for the views this module hands out: unmodifiable, detached from the entities,
 * and in the entities' order (labels show in the order they were stored, which
 * {@link Map#copyOf} would not keep).
 */
final class Copies {

	private Copies() {
	}

	/** An unmodifiable copy in the same order; empty for null. */
	static <K, V> Map<K, V> of(Map<K, V> map) {
		return (map != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(map)) : Map.of();
	}

}
