package dev.warden.routing;

import java.time.Instant;
import java.util.List;

/**
 * One of Alertmanager's own silences, read-only in Warden.
 *
 * @param id Alertmanager's id
 * @param state active or pending
 * @param matchers in Alertmanager's syntax
 * @param startsAt when it starts
 * @param endsAt when it ends
 * @param createdBy who created it (in Alertmanager)
 * @param comment why
 */
public record AlertmanagerSilence(String id, String state, List<String> matchers, Instant startsAt, Instant endsAt,
		String createdBy, String comment) {

	public AlertmanagerSilence {
		matchers = List.copyOf(matchers);
	}

}
