package dev.warden.incidents;

/**
 * What Warden did with an alert batch.
 *
 * @param incident the incident the alerts belong to
 * @param outcome whether the incident was opened, reopened or already there
 * @param status the incident's status afterwards
 * @param changedAlerts alerts that fired, fired again or resolved
 * @param unchangedAlerts resends that only moved "last seen"
 * @param autoResolved whether the batch resolved the incident
 */
public record Ingested(IncidentId incident, Outcome outcome, IncidentStatus status, int changedAlerts,
		int unchangedAlerts, boolean autoResolved) {

	/** How the batch met its incident. */
	public enum Outcome {

		/** A new incident opened. */
		OPENED,
		/** A recently resolved incident of the group opened again. */
		REOPENED,
		/** The alerts joined (or updated) the group's incident. */
		ATTACHED,
		/** A late resend of what the group's resolved incident already knows. */
		REPLAYED

	}

}
