package dev.warden.runbooks.docker;

import java.util.Map;

/**
 * Which containers an action targets: by exact name, or by labels they all carry.
 *
 * @param name exact container name, or null
 * @param labels labels (name to value) a container must all carry; empty with a name
 */
public record ContainerSelector(String name, Map<String, String> labels) {

	public ContainerSelector {
		labels = (labels != null) ? Map.copyOf(labels) : Map.of();
		if ((name == null || name.isBlank()) == labels.isEmpty()) {
			throw new IllegalArgumentException("Select containers by name or by labels, exactly one of them");
		}
	}

	public static ContainerSelector byName(String name) {
		return new ContainerSelector(name, null);
	}

	public static ContainerSelector byLabels(Map<String, String> labels) {
		return new ContainerSelector(null, labels);
	}

	@Override
	public String toString() {
		return (this.name != null) ? "name=" + this.name : "labels " + this.labels;
	}

}
