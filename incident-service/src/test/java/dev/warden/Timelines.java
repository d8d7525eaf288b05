package dev.warden;

import java.util.List;

import tools.jackson.databind.JsonNode;

/** Reading an incident's timeline from the API's JSON. */
public final class Timelines {

	private Timelines() {
	}

	/**
	 * The types of the incident's own events, in order. What routing, notifications and
	 * escalation add (routing's entries, escalations, notification and escalation
	 * entries) is left out: the notifications tests cover those.
	 */
	public static List<String> incidentTypes(JsonNode incident) {
		return incident.get("timeline")
			.valueStream()
			.filter((event) -> !event.get("actor").asString().equals("routing"))
			.map((event) -> event.get("type").asString())
			.filter((type) -> !type.equals("incident.escalated") && !type.startsWith("notification.")
					&& !type.startsWith("escalation."))
			.toList();
	}

}
