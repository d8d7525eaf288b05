package dev.warden;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Alertmanager webhook payloads for tests: the real captures, and groups built in the
 * same shape with keys of their own so tests never share a group.
 */
public final class Payloads {

	private static final JsonMapper json = JsonMapper.builder().build();

	private Payloads() {
	}

	/** A real capture from {@code src/test/resources/alertmanager/}. */
	public static ObjectNode sample(String name) {
		try (InputStream in = Payloads.class.getResourceAsStream("/alertmanager/" + name)) {
			return (ObjectNode) json.readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A real capture moved to its own group, its fingerprints made unique with
	 * {@code suffix}.
	 */
	public static ObjectNode sampleInOwnGroup(String name, String suffix) {
		ObjectNode payload = sample(name);
		payload.put("groupKey", payload.get("groupKey").asString() + "-" + suffix);
		payload.get("alerts")
			.forEach((alert) -> ((ObjectNode) alert).put("fingerprint",
					alert.get("fingerprint").asString() + "-" + suffix));
		return payload;
	}

	/** A group of its own, to add alerts to. */
	/**
	 * A payload of a new group with one alert firing since {@code startsAt}, titled
	 * {@code title}.
	 */
	public static ObjectNode firing(String title, Instant startsAt) {
		return group().firing("fp-" + java.util.UUID.randomUUID(), startsAt).summary(title).json();
	}

	public static Group group() {
		return new Group("{}:{alertname=\"Test\", id=\"" + UUID.randomUUID() + "\"}");
	}

	/** Builds a payload of one group. */
	public static final class Group {

		private final String groupKey;

		private final ObjectNode payload = json.createObjectNode();

		private final ArrayNode alerts;

		Group(String groupKey) {
			this.groupKey = groupKey;
			this.payload.put("receiver", "warden");
			this.payload.put("status", "firing");
			this.alerts = this.payload.putArray("alerts");
			this.payload.putObject("groupLabels").put("alertname", "InferenceLatencyHigh");
			this.payload.putObject("commonLabels")
				.put("alertname", "InferenceLatencyHigh")
				.put("service", "ai-inference-api")
				.put("team", "ml-platform");
			this.payload.putObject("commonAnnotations");
			this.payload.put("externalURL", "http://127.0.0.1:9093");
			this.payload.put("version", "4");
			this.payload.put("groupKey", groupKey);
			this.payload.put("truncatedAlerts", 0);
		}

		public String key() {
			return this.groupKey;
		}

		public Group firing(String fingerprint, Instant startsAt) {
			return alert(fingerprint, "firing", startsAt, null, "warning");
		}

		public Group resolved(String fingerprint, Instant startsAt, Instant endsAt) {
			return alert(fingerprint, "resolved", startsAt, endsAt, "warning");
		}

		public Group alert(String fingerprint, String status, Instant startsAt, Instant endsAt, String severity) {
			ObjectNode alert = this.alerts.addObject();
			alert.put("status", status);
			alert.putObject("labels")
				.put("alertname", "InferenceLatencyHigh")
				.put("service", "ai-inference-api")
				.put("team", "ml-platform")
				.put("severity", severity)
				.put("instance", fingerprint);
			alert.putObject("annotations").put("summary", "p95 latency above 500 ms on " + fingerprint);
			alert.put("startsAt", startsAt.toString());
			alert.put("endsAt", (endsAt != null) ? endsAt.toString() : "0001-01-01T00:00:00Z");
			alert.put("generatorURL", "http://127.0.0.1:9090/graph?g0.expr=latency");
			alert.put("fingerprint", fingerprint);
			boolean anyFiring = false;
			for (var each : this.alerts) {
				anyFiring |= "firing".equals(each.get("status").asString());
			}
			this.payload.put("status", anyFiring ? "firing" : "resolved");
			return this;
		}

		/**
		 * Sets the group's common summary annotation, which becomes the incident's title.
		 */
		public Group summary(String summary) {
			((ObjectNode) this.payload.get("commonAnnotations")).put("summary", summary);
			return this;
		}

		/** The payload so far; later calls do not change it. */
		public ObjectNode json() {
			return this.payload.deepCopy();
		}

		/** Starts a new payload of the same group, with no alerts yet. */
		public Group next() {
			return new Group(this.groupKey);
		}

	}

}
