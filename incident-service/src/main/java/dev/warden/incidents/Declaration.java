package dev.warden.incidents;

import java.time.Instant;
import java.util.Map;

/**
 * What a person says when declaring an incident no alert opened, such as a user's report
 * of wrong answers. The incident checks it (see {@link Incident#declare}).
 *
 * @param title what is wrong, in a line
 * @param severity how bad it is; routes and alerts do not change it
 * @param service the affected service, or null for routing to decide
 * @param team the owning team, or null for routing to decide
 * @param description what is known so far, or null
 * @param labels more labels for routing (such as {@code model}, {@code region}); may be
 * null
 * @param impactStartedAt when users started to feel it, if known (not after now, at most
 * 366 days before); null for unknown
 * @param idempotencyKey the caller's key for this declaration: the same person declaring
 * with the same key gets the incident the first declaration opened; null for none
 */
public record Declaration(String title, Severity severity, String service, String team, String description,
		Map<String, String> labels, Instant impactStartedAt, String idempotencyKey) {

	public Declaration {
		labels = Copies.of((labels != null) ? labels : Map.of());
	}

}
