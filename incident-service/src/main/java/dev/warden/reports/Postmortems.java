package dev.warden.reports;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import tools.jackson.databind.json.JsonMapper;

import dev.warden.access.Audit;
import dev.warden.incidents.Actor;
import dev.warden.incidents.IncidentView;
import dev.warden.incidents.IncidentId;
import dev.warden.incidents.IncidentService;
import dev.warden.incidents.IncidentStatus;
import dev.warden.incidents.Milestones;
import dev.warden.notifications.Notification;
import dev.warden.notifications.Notifications;
import dev.warden.runbooks.ExecutionView;
import dev.warden.runbooks.RunbookService;

import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

/**
 * Postmortems of resolved incidents: the report prefilled from the incident's data, the
 * sections people write saved as revisions, and the exports (Markdown, printable HTML,
 * PDF).
 */
@Service
public class Postmortems {

	/** The exports show times in UTC: they are read anywhere. */
	private static final ZoneId UTC = ZoneId.of("UTC");

	/** The printable page's stylesheet, under the static resources. */
	static final String STYLESHEET = "/assets/postmortem.css";

	private final IncidentService incidents;

	private final RunbookService runbooks;

	private final Notifications notifications;

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final ITemplateEngine templates;

	private final Clock clock;

	private final String styles;

	private final Audit audit;

	Postmortems(IncidentService incidents, RunbookService runbooks, Notifications notifications, JdbcClient jdbc,
			JsonMapper json, ITemplateEngine templates, Clock clock, Audit audit) {
		this.audit = audit;
		this.incidents = incidents;
		this.runbooks = runbooks;
		this.notifications = notifications;
		this.jdbc = jdbc;
		this.json = json;
		this.templates = templates;
		this.clock = clock;
		this.styles = styles();
	}

	/**
	 * The postmortem at a revision, or at the newest when revision is null.
	 * @throws PostmortemNotAvailable when the incident is not resolved
	 */
	public PostmortemReport report(IncidentId id, Integer revision) {
		IncidentView incident = this.incidents.get(id);
		if (incident.status() != IncidentStatus.RESOLVED) {
			throw new PostmortemNotAvailable(id, incident.status());
		}
		Optional<Revision> saved = (revision != null) ? revision(id, revision) : newest(id);
		if (revision != null && saved.isEmpty()) {
			throw new PostmortemRevisionNotFound(id, revision);
		}
		return prefill(incident, saved.orElse(null));
	}

	/**
	 * Saves the sections as the revision after {@code baseRevision}.
	 * @throws StalePostmortemRevision when someone saved another revision since
	 */
	@Transactional
	public PostmortemReport save(IncidentId id, int baseRevision, PostmortemSections sections, String author) {
		List<String> problems = sections.problems();
		if (!problems.isEmpty()) {
			throw new InvalidPostmortem(problems);
		}
		report(id, null);
		int newest = newest(id).map(Revision::revision).orElse(0);
		if (baseRevision != newest) {
			throw new StalePostmortemRevision(id, baseRevision, newest);
		}
		try {
			this.jdbc.sql("""
					insert into postmortem_revision (incident_id, revision, sections, author, saved_at)
					values (?, ?, cast(? as jsonb), ?, ?)""")
				.params(id.value(), newest + 1, this.json.writeValueAsString(sections), author,
						Timestamp.from(this.clock.instant()))
				.update();
		}
		catch (DuplicateKeyException ex) {
			// Someone saved the same revision an instant earlier.
			throw new StalePostmortemRevision(id, baseRevision, newest + 1);
		}
		this.audit.recordAs(author, "postmortem.save", id.toString(), (newest > 0) ? "revision " + newest : null,
				"revision " + (newest + 1), null);
		return report(id, newest + 1);
	}

	/** Every saved revision, newest first, without their texts. */
	public List<RevisionInfo> revisions(IncidentId id) {
		this.incidents.status(id);
		return this.jdbc.sql("""
				select revision, author, saved_at from postmortem_revision
				where incident_id = ? order by revision desc""")
			.param(id.value())
			.query((rs, row) -> new RevisionInfo(rs.getInt("revision"), rs.getString("author"),
					rs.getTimestamp("saved_at").toInstant()))
			.list();
	}

	/** The postmortem as Markdown. */
	String markdown(PostmortemReport report) {
		return PostmortemMarkdown.render(report);
	}

	/**
	 * The postmortem as a printable HTML page that stands alone, its styles inline
	 * (XHTML, also the PDF's source).
	 */
	String html(PostmortemReport report) {
		return html(report, null);
	}

	/**
	 * The postmortem as a printable HTML page that links its stylesheet, for pages whose
	 * Content-Security-Policy allows no inline styles.
	 * @param stylesheet the stylesheet's URL, {@link #STYLESHEET} under the context path
	 */
	String html(PostmortemReport report, String stylesheet) {
		Context context = new Context();
		context.setVariable("report", report);
		context.setVariable("stylesheet", stylesheet);
		context.setVariable("styles", (stylesheet != null) ? null : this.styles);
		return this.templates.process("reports/postmortem", context);
	}

	/** The postmortem as PDF. */
	byte[] pdf(PostmortemReport report) {
		try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
			PdfRendererBuilder builder = new PdfRendererBuilder();
			builder.useFastMode();
			builder.withHtmlContent(html(report), null);
			builder.toStream(out);
			builder.run();
			return out.toByteArray();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException("Could not render the postmortem as PDF", ex);
		}
	}

	private PostmortemReport prefill(IncidentView incident, Revision saved) {
		Milestones milestones = incident.milestones();
		List<PostmortemReport.Milestone> points = List.of(
				new PostmortemReport.Milestone("Impact started", milestones.impactStartedAt(), null),
				new PostmortemReport.Milestone("Detected", milestones.detectedAt(), null),
				new PostmortemReport.Milestone("Acknowledged", milestones.acknowledgedAt(),
						name(milestones.acknowledgedBy())),
				new PostmortemReport.Milestone("Mitigated", milestones.mitigatedAt(), null),
				new PostmortemReport.Milestone("Resolved", milestones.resolvedAt(), name(milestones.resolvedBy())));
		List<PostmortemReport.Span> durations = List.of(
				new PostmortemReport.Span("Time to detect", milestones.timeToDetect()),
				new PostmortemReport.Span("Time to acknowledge", milestones.timeToAcknowledge()),
				new PostmortemReport.Span("Time to mitigate", milestones.timeToMitigate()),
				new PostmortemReport.Span("Time to resolve", milestones.timeToResolve()),
				new PostmortemReport.Span("Impact", between(milestones.impactStartedAt(), milestones.resolvedAt())));
		List<PostmortemReport.AlertLine> alerts = incident.alerts()
			.stream()
			.map((alert) -> new PostmortemReport.AlertLine(alert.name(), word(alert.status()), alert.startsAt(),
					alert.endsAt(), alert.annotations().get("summary")))
			.toList();
		List<ExecutionView> executions = this.runbooks.executions(incident.id());
		List<Notification> owed = this.notifications.of(incident.id());
		List<PostmortemReport.RunbookLine> runs = executions.stream()
			.map((run) -> new PostmortemReport.RunbookLine(run.runbookId(), word(run.status()), run.outcome(),
					run.startedAt(), run.finishedAt()))
			.toList();
		List<PostmortemReport.NotificationLine> told = owed.stream()
			.map((notification) -> new PostmortemReport.NotificationLine(notification.channel().value(),
					notification.target(), notification.kind(), notification.status(), notification.attempts()))
			.toList();
		List<PostmortemReport.Line> notes = new ArrayList<>();
		List<PostmortemReport.Line> timeline = new ArrayList<>();
		for (var event : incident.timeline()) {
			String type = event.type().name();
			if (type.equals("incident.note_added")) {
				notes.add(new PostmortemReport.Line(event.occurredAt(), type, event.actor().toString(),
						String.valueOf(event.details().get("text"))));
			}
			if (!type.equals("notification.sent")) {
				timeline.add(
						new PostmortemReport.Line(event.occurredAt(), type, event.actor().toString(), event.summary()));
			}
		}
		String summary = "%s: a %s incident%s, detected %s and resolved %s later%s.".formatted(incident.title(),
				word(incident.severity()), (incident.service() != null) ? " of " + incident.service() : "",
				milestones.detectedAt(), new PostmortemReport.Span("", milestones.timeToResolve()).text(),
				(milestones.acknowledgedAt() != null)
						? "; acknowledged by " + name(milestones.acknowledgedBy()) + " after "
								+ new PostmortemReport.Span("", milestones.timeToAcknowledge()).text()
						: "; never acknowledged");
		return new PostmortemReport(incident.id().value(), incident.id().toString(), incident.title(),
				word(incident.severity()), incident.service(), incident.team(), summary, milestones.impactStartedAt(),
				milestones.resolvedAt(), points, durations, alerts, runs, told, notes, timeline,
				(saved != null) ? saved.revision() : 0, (saved != null) ? saved.author() : null,
				(saved != null) ? saved.savedAt() : null, (saved != null) ? saved.sections() : PostmortemSections.EMPTY,
				TimelineAxis.of(incident, executions, owed, this.clock.instant(), UTC));
	}

	private Optional<Revision> newest(IncidentId id) {
		return this.jdbc.sql("""
				select revision, sections, author, saved_at from postmortem_revision
				where incident_id = ? order by revision desc limit 1""")
			.param(id.value())
			.query(this::revision)
			.optional();
	}

	private Optional<Revision> revision(IncidentId id, int revision) {
		return this.jdbc.sql("""
				select revision, sections, author, saved_at from postmortem_revision
				where incident_id = ? and revision = ?""")
			.params(id.value(), revision)
			.query(this::revision)
			.optional();
	}

	private Revision revision(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
		return new Revision(rs.getInt("revision"),
				this.json.readValue(rs.getString("sections"), PostmortemSections.class), rs.getString("author"),
				rs.getTimestamp("saved_at").toInstant());
	}

	/** The stylesheet's rules, to inline where the page must stand alone. */
	private static String styles() {
		String styles;
		try {
			styles = new ClassPathResource("static" + STYLESHEET).getContentAsString(StandardCharsets.UTF_8);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException("Cannot read the postmortem's stylesheet " + STYLESHEET, ex);
		}
		// The PDF renderer parses the page as XML, where these would break the <style>.
		if (styles.contains("<") || styles.contains("&")) {
			throw new IllegalStateException("The postmortem's stylesheet " + STYLESHEET
					+ " may not contain '<' or '&': the PDF renderer reads it as XML");
		}
		return styles;
	}

	private static Duration between(Instant from, Instant to) {
		return (from != null && to != null) ? Duration.between(from, to) : null;
	}

	private static String name(Actor actor) {
		return (actor != null) ? actor.toString() : null;
	}

	private static String word(Enum<?> value) {
		return value.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
	}

	/** A saved revision. */
	private record Revision(int revision, PostmortemSections sections, String author, Instant savedAt) {
	}

	/**
	 * A saved revision, for the history.
	 *
	 * @param revision its number, from 1
	 * @param author who saved it
	 * @param savedAt when
	 */
	public record RevisionInfo(int revision, String author, Instant savedAt) {
	}

}
