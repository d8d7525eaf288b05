package dev.warden.reports;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;

import dev.warden.incidents.Durations;

/**
 * A postmortem: what the data says about the incident, prefilled, and what people wrote,
 * at one revision.
 *
 * @param incident the incident's id
 * @param ref the incident's reference, like {@code INC-42}
 * @param title the incident's title
 * @param severity its severity
 * @param service its service, or null
 * @param team its team, or null
 * @param summary one paragraph from the data
 * @param impactStartedAt when the first alert started
 * @param impactEndedAt when the incident resolved
 * @param milestones detected, acknowledged, mitigated, resolved
 * @param durations the time between them
 * @param alerts the incident's alerts
 * @param runbooks the runbook runs and their results
 * @param notifications who was told, and whether it reached them
 * @param notes people's notes on the timeline
 * @param timeline the timeline, without delivery bookkeeping
 * @param revision the revision of the written sections; 0 before the first save
 * @param savedBy who saved that revision, or null
 * @param savedAt when, or null
 * @param sections what people wrote
 * @param axis the timeline on a time axis, for the printable page and the PDF (not part
 * of the API's JSON: it is a drawing, and the lists above hold its entries)
 */
public record PostmortemReport(long incident, String ref, String title, String severity, String service, String team,
		String summary, Instant impactStartedAt, Instant impactEndedAt, List<Milestone> milestones,
		List<Span> durations, List<AlertLine> alerts, List<RunbookLine> runbooks, List<NotificationLine> notifications,
		List<Line> notes, List<Line> timeline, int revision, String savedBy, Instant savedAt,
		PostmortemSections sections, @JsonIgnore TimelineAxis axis) {

	/**
	 * A milestone of the incident.
	 *
	 * @param name such as {@code Acknowledged}
	 * @param at when, or null when it never happened
	 * @param by who, or null
	 */
	public record Milestone(String name, Instant at, String by) {
	}

	/**
	 * The time between two milestones.
	 *
	 * @param name such as {@code Time to acknowledge}
	 * @param duration how long, or null when the later milestone never happened
	 */
	public record Span(String name, Duration duration) {

		/** Like {@code 1 h 3 min}, or a dash. */
		public String text() {
			return (this.duration != null) ? Durations.words(this.duration) : "-";
		}

	}

	/**
	 * One alert.
	 *
	 * @param name its alertname
	 * @param status firing, resolved or expired
	 * @param startsAt when it started
	 * @param endsAt when it ended, or null
	 * @param summary its summary annotation, or null
	 */
	public record AlertLine(String name, String status, Instant startsAt, Instant endsAt, String summary) {
	}

	/**
	 * One runbook run.
	 *
	 * @param runbook the runbook's id
	 * @param status how it ended (or where it is)
	 * @param outcome the reason given, or null
	 * @param startedAt when it started, or null
	 * @param finishedAt when it finished, or null
	 */
	public record RunbookLine(String runbook, String status, String outcome, Instant startedAt, Instant finishedAt) {
	}

	/**
	 * One notification.
	 *
	 * @param channel slack or email
	 * @param target the channel or address
	 * @param kind what it said
	 * @param status sent, failed or pending
	 * @param attempts delivery attempts
	 */
	public record NotificationLine(String channel, String target, String kind, String status, int attempts) {
	}

	/**
	 * A timeline entry or note.
	 *
	 * @param at when
	 * @param type the event type
	 * @param actor who
	 * @param text what
	 */
	public record Line(Instant at, String type, String actor, String text) {
	}

}
