package dev.warden.incidents;

/**
 * What routing decided for an incident, applied by
 * {@link IncidentService#route(IncidentId, RoutingOutcome)} in one step.
 *
 * @param severity the severity a route sets, or null to keep the incident's
 * @param team the team of the first route that names one, or null
 * @param service the service of the first route that names one, or null
 * @param routingVersion the recorded routing version, or null when none matches
 * @param routingHash the content hash of the routing file that decided, or null
 * @param decision the {@link TimelineEventType#ROUTED} event: who hears about it and why
 */
public record RoutingOutcome(Severity severity, String team, String service, Long routingVersion, String routingHash,
		TimelineEntry decision) {

}
