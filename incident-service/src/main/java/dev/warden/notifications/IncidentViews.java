package dev.warden.notifications;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

import dev.warden.incidents.Actor;
import dev.warden.incidents.AlertSnapshot;
import dev.warden.incidents.GrafanaDetails;
import dev.warden.incidents.IncidentView;
import dev.warden.notifications.email.IncidentMail;
import dev.warden.notifications.email.MailAlert;
import dev.warden.notifications.email.MailEvent;
import dev.warden.notifications.slack.CardAlert;
import dev.warden.notifications.slack.CardRunbook;
import dev.warden.notifications.slack.IncidentCard;
import dev.warden.runbooks.ExecutionStatus;
import dev.warden.runbooks.RunbookService;

import org.springframework.stereotype.Component;

/** What Slack messages and emails show of an incident. */
@Component
class IncidentViews {

	private final RunbookService runbooks;

	private final NotificationSettings settings;

	IncidentViews(RunbookService runbooks, NotificationSettings settings) {
		this.runbooks = runbooks;
		this.settings = settings;
	}

	IncidentCard card(IncidentView incident, List<String> mentions) {
		long id = incident.id().value();
		List<CardAlert> alerts = incident.alerts()
			.stream()
			.map((alert) -> new CardAlert(alert.name(), word(alert.status()), alert.annotations().get("summary"),
					alert.generatorUrl(), cardGrafana(alert.grafana())))
			.toList();
		List<CardRunbook> runbooks = this.runbooks.executions(incident.id())
			.stream()
			.map((execution) -> new CardRunbook(execution.id().value(), execution.runbookId(), word(execution.status()),
					execution.status() == ExecutionStatus.AWAITING_APPROVAL))
			.toList();
		return new IncidentCard(id, incident.title(), word(incident.status()), incident.severity().name(),
				incident.service(), incident.team(), this.settings.incidentUrl(id), alerts, runbooks, mentions,
				name(incident.milestones().acknowledgedBy()), name(incident.milestones().resolvedBy()),
				incident.milestones().mitigatedAt() != null, name(incident.declaredBy()), incident.description());
	}

	IncidentMail mail(IncidentView incident, String zone) {
		long id = incident.id().value();
		List<MailAlert> alerts = incident.alerts()
			.stream()
			.map((AlertSnapshot alert) -> new MailAlert(alert.name(), word(alert.status()),
					alert.annotations().get("summary"), alert.generatorUrl(), mailGrafana(alert.grafana())))
			.toList();
		List<MailEvent> timeline = incident.timeline()
			.stream()
			.filter((event) -> event.type().news())
			.map((event) -> new MailEvent(event.occurredAt(), event.type().name(), event.actor().toString(),
					event.summary()))
			.toList();
		var milestones = incident.milestones();
		return new IncidentMail(id, incident.title(), incident.severity().name(), incident.service(), incident.team(),
				word(incident.status()), this.settings.incidentUrl(id), alerts, timeline, milestones.detectedAt(),
				milestones.acknowledgedAt(), milestones.resolvedAt(), name(milestones.acknowledgedBy()),
				name(milestones.resolvedBy()), zone(zone), name(incident.declaredBy()), incident.description());
	}

	private static CardAlert.Grafana cardGrafana(GrafanaDetails grafana) {
		return (grafana != null) ? new CardAlert.Grafana(grafana.valuesText(), grafana.dashboardUrl(),
				grafana.panelUrl(), grafana.silenceUrl(), grafana.imageUrl()) : null;
	}

	private static MailAlert.Grafana mailGrafana(GrafanaDetails grafana) {
		return (grafana != null) ? new MailAlert.Grafana(grafana.valuesText(), grafana.dashboardUrl(),
				grafana.panelUrl(), grafana.silenceUrl(), grafana.imageUrl()) : null;
	}

	private static ZoneId zone(String zone) {
		try {
			return (zone != null) ? ZoneId.of(zone) : ZoneOffset.UTC;
		}
		catch (RuntimeException ex) {
			return ZoneOffset.UTC;
		}
	}

	private static String name(Actor actor) {
		return (actor != null) ? actor.toString() : null;
	}

	private static String word(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT).replace('_', ' ');
	}

}
