package dev.warden.reports;

import java.time.Instant;
import java.util.List;

/** Writes a postmortem as Markdown, for wikis and pull requests. */
final class PostmortemMarkdown {

	private PostmortemMarkdown() {
	}

	static String render(PostmortemReport report) {
		StringBuilder md = new StringBuilder();
		md.append("# Postmortem ").append(report.ref()).append(": ").append(inline(report.title())).append("\n\n");
		md.append("- Severity: ").append(report.severity()).append('\n');
		md.append("- Service: ").append(orDash(report.service())).append('\n');
		md.append("- Team: ").append(orDash(report.team())).append('\n');
		md.append("- Impact: ")
			.append(time(report.impactStartedAt()))
			.append(" to ")
			.append(time(report.impactEndedAt()))
			.append('\n');
		md.append("- Revision: ").append(report.revision());
		if (report.savedBy() != null) {
			md.append(" (saved by ")
				.append(inline(report.savedBy()))
				.append(" at ")
				.append(time(report.savedAt()))
				.append(')');
		}
		md.append("\n\n## Summary\n\n").append(inline(report.summary())).append("\n\n");

		md.append("## Milestones\n\n| Milestone | At | By |\n| --- | --- | --- |\n");
		report.milestones()
			.forEach((point) -> md.append("| ")
				.append(point.name())
				.append(" | ")
				.append(time(point.at()))
				.append(" | ")
				.append(cell(point.by()))
				.append(" |\n"));
		md.append("\n| Duration | |\n| --- | --- |\n");
		report.durations()
			.forEach((span) -> md.append("| ").append(span.name()).append(" | ").append(span.text()).append(" |\n"));

		section(md, "Root cause", report.sections().rootCause());
		section(md, "Contributing factors", report.sections().contributingFactors());
		section(md, "What went well", report.sections().wentWell());
		md.append("## Action items\n\n");
		if (report.sections().actionItems().isEmpty()) {
			md.append("_None yet._\n\n");
		}
		else {
			md.append("| Done | Action | Owner | Due |\n| --- | --- | --- | --- |\n");
			report.sections()
				.actionItems()
				.forEach((item) -> md.append("| ")
					.append(item.done() ? "yes" : "no")
					.append(" | ")
					.append(cell(item.text()))
					.append(" | ")
					.append(cell(item.owner()))
					.append(" | ")
					.append((item.due() != null) ? item.due().toString() : "-")
					.append(" |\n"));
			md.append('\n');
		}

		md.append("## Alerts\n\n| Alert | Status | Started | Ended | Summary |\n| --- | --- | --- | --- | --- |\n");
		report.alerts()
			.forEach((alert) -> md.append("| ")
				.append(cell(alert.name()))
				.append(" | ")
				.append(alert.status())
				.append(" | ")
				.append(time(alert.startsAt()))
				.append(" | ")
				.append(time(alert.endsAt()))
				.append(" | ")
				.append(cell(alert.summary()))
				.append(" |\n"));
		md.append("\n## Runbooks\n\n");
		if (report.runbooks().isEmpty()) {
			md.append("_No runbook ran._\n");
		}
		else {
			md.append("| Runbook | Result | Started | Finished | Outcome |\n| --- | --- | --- | --- | --- |\n");
			report.runbooks()
				.forEach((run) -> md.append("| ")
					.append(cell(run.runbook()))
					.append(" | ")
					.append(run.status())
					.append(" | ")
					.append(time(run.startedAt()))
					.append(" | ")
					.append(time(run.finishedAt()))
					.append(" | ")
					.append(cell(run.outcome()))
					.append(" |\n"));
		}
		md.append("\n## Notifications\n\n");
		if (report.notifications().isEmpty()) {
			md.append("_Nobody was notified by Warden._\n");
		}
		else {
			md.append("| Channel | Target | Message | Status | Attempts |\n| --- | --- | --- | --- | --- |\n");
			report.notifications()
				.forEach((told) -> md.append("| ")
					.append(told.channel())
					.append(" | ")
					.append(cell(told.target()))
					.append(" | ")
					.append(told.kind())
					.append(" | ")
					.append(told.status())
					.append(" | ")
					.append(told.attempts())
					.append(" |\n"));
		}
		lines(md, "Notes", report.notes());
		lines(md, "Timeline", report.timeline());
		return md.toString();
	}

	private static void section(StringBuilder md, String title, String text) {
		md.append("## ")
			.append(title)
			.append("\n\n")
			.append(text.isBlank() ? "_Not written yet._" : text)
			.append("\n\n");
	}

	private static void lines(StringBuilder md, String title, List<PostmortemReport.Line> lines) {
		md.append("\n## ").append(title).append("\n\n");
		if (lines.isEmpty()) {
			md.append("_None._\n");
		}
		lines.forEach((line) -> md.append("- ")
			.append(time(line.at()))
			.append(" `")
			.append(line.type())
			.append("` ")
			.append(inline(line.actor()))
			.append(": ")
			.append(inline(line.text()))
			.append('\n'));
	}

	private static String time(Instant instant) {
		return (instant != null) ? instant.toString() : "-";
	}

	private static String orDash(String text) {
		return (text != null) ? inline(text) : "-";
	}

	/** A table cell: no pipes or line breaks. */
	private static String cell(String text) {
		return (text != null) ? inline(text).replace("|", "\\|") : "-";
	}

	/** One line of text. */
	private static String inline(String text) {
		return (text != null) ? text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip() : "";
	}

}
