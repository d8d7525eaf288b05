package dev.warden.routing;

import java.util.List;

/**
 * What one matched route would do with an alert at a given time, with everything it
 * inherits from its parents resolved.
 *
 * @param path the route's path from the root, such as
 * {@code root > ai-inference-api > database}
 * @param team the team that owns the alert, or null
 * @param service the service the alert is about, or null
 * @param severity the severity override, or null to keep the alert's own
 * @param targets who to notify
 * @param escalationPolicy the escalation policy's name, or null
 * @param muted true when a mute window covers the time: record, but notify no one
 * @param muteWindow the mute window that covers the time, or null
 * @param matchers the route's own matchers, in Alertmanager syntax
 */
public record RouteDecision(String path, String team, String service, SeverityOverride severity, Targets targets,
		String escalationPolicy, boolean muted, MuteWindow muteWindow, List<String> matchers) {

	public RouteDecision {
		matchers = List.copyOf(matchers);
	}

}
