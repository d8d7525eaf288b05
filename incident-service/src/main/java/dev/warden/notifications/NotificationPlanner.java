package dev.warden.notifications;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.warden.cluster.ConfigVersions;
import dev.warden.escalation.EscalationRuns;
import dev.warden.escalation.OnCall;
import dev.warden.escalation.User;
import dev.warden.incidents.Actor;
import dev.warden.incidents.AlertStatus;
import dev.warden.incidents.IncidentChange;
import dev.warden.incidents.IncidentFollower;
import dev.warden.incidents.IncidentId;
import dev.warden.incidents.IncidentLabels;
import dev.warden.incidents.IncidentService;
import dev.warden.incidents.IncidentStatus;
import dev.warden.incidents.RoutingOutcome;
import dev.warden.incidents.RecordedEvent;
import dev.warden.incidents.Severity;
import dev.warden.incidents.TimelineEntry;
import dev.warden.incidents.TimelineEventType;
import dev.warden.notifications.email.EmailGateway;
import dev.warden.notifications.slack.SlackGateway;
import dev.warden.routing.RouteDecision;
import dev.warden.routing.Routing;
import dev.warden.routing.Silence;
import dev.warden.routing.Silences;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The notifications follower of incidents' changes (see {@link IncidentFollower}): runs
 * after a change commits, once, in its own transaction. When an incident opens it decides
 * who hears about it (routes, silences, mute windows, on-call), applies routing's outcome
 * to the incident in one call, and owes them the first messages and starts the escalation
 * policy; later news becomes thread replies, a refresh of the Slack message, and emails
 * on escalation and resolution, and acknowledgement or resolution stops the escalation.
 * Nothing here talks to Slack or SMTP: delivery jobs do, after this commits.
 */
@Component
@Order(1)
class NotificationPlanner implements IncidentFollower {

	/** Routing's own changes to an incident, such as a severity override. */
	static final Actor ROUTING = new Actor(Actor.Kind.SYSTEM, "routing");

	/**
	 * A runbook that did not fix the problem applies its failure policy; {@code escalate}
	 * fires the next escalation level at once.
	 */
	static final TimelineEventType RUNBOOK_FAILURE_POLICY = new TimelineEventType("runbook.failure_policy");

	private final IncidentService incidents;

	private final Routing routing;

	private final Silences silences;

	private final OnCall onCall;

	private final NotificationStore store;

	private final Deliveries deliveries;

	private final EscalationRuns escalations;

	private final SlackGateway slack;

	private final EmailGateway email;

	private final Clock clock;

	private final ConfigVersions versions;

	NotificationPlanner(IncidentService incidents, Routing routing, Silences silences, OnCall onCall,
			NotificationStore store, Deliveries deliveries, EscalationRuns escalations, SlackGateway slack,
			EmailGateway email, Clock clock, ConfigVersions versions) {
		this.versions = versions;
		this.incidents = incidents;
		this.routing = routing;
		this.silences = silences;
		this.onCall = onCall;
		this.store = store;
		this.deliveries = deliveries;
		this.escalations = escalations;
		this.slack = slack;
		this.email = email;
		this.clock = clock;
	}

	@Override
	public String followerName() {
		return "notifications";
	}

	@Override
	public void follow(IncidentChange change) {
		long id = change.incident().value();
		boolean opening = false;
		List<RecordedEvent> alerts = new ArrayList<>();
		// One read for the whole change: its own events do not change the plan, except
		// an opening, after which the change's other events are skipped anyway.
		Optional<NotificationStore.Plan> plan = change.events().stream().anyMatch(NotificationPlanner::concerns)
				? this.store.plan(id) : Optional.empty();
		// The incident's status now, read once if an escalation needs it.
		IncidentStatus statusNow = null;
		boolean refresh = false;
		for (RecordedEvent event : change.events()) {
			TimelineEventType type = event.type();
			if (type.equals(TimelineEventType.INCIDENT_OPENED)) {
				if (change.status() != IncidentStatus.RESOLVED && plan.isEmpty()) {
					open(change.incident(), event);
				}
				// The first message shows the alerts and severity: no replies for them.
				opening = true;
				continue;
			}
			if (!concerns(event)) {
				continue;
			}
			if (type.equals(TimelineEventType.REOPENED) && (plan.isEmpty() || plan.get().suppressed() != null)) {
				// Opened resolved, or quiet when it opened: decide afresh now it fires.
				this.store.deletePlan(id);
				open(change.incident(), event);
				opening = true;
				continue;
			}
			if (opening || plan.isEmpty() || plan.get().suppressed() != null) {
				continue;
			}
			if (isAlertChange(type)) {
				// A batch of alerts makes one reply, not one per alert.
				alerts.add(event);
				continue;
			}
			if (type.equals(Kinds.ESCALATED)) {
				// Followed after someone acknowledged or resolved it: nobody is paged.
				if (statusNow == null) {
					statusNow = this.incidents.status(change.incident());
				}
				if (statusNow == IncidentStatus.TRIGGERED) {
					escalated(plan.get(), event);
				}
			}
			else {
				reply(id, event, event.summary(), List.of());
			}
			if (type.equals(TimelineEventType.RESOLVED)) {
				resolved(id, event);
				this.escalations.stop(change.incident(), "the incident was resolved");
			}
			else if (type.equals(TimelineEventType.ACKNOWLEDGED)) {
				this.escalations.stop(change.incident(), "the incident was acknowledged");
			}
			else if (type.equals(TimelineEventType.REOPENED) && plan.get().escalationPolicy() != null) {
				this.escalations.start(change.incident(), plan.get().escalationPolicy(), event.occurredAt());
			}
			else if (type.equals(RUNBOOK_FAILURE_POLICY) && "escalate".equals(event.details().get("policy"))) {
				this.escalations.hurry(change.incident(), now());
			}
			refresh = true;
		}
		if (!alerts.isEmpty()) {
			String summary = (alerts.size() == 1) ? alerts.getFirst().summary()
					: alerts.size() + " alert changes: "
							+ String.join("; ", alerts.stream().limit(10).map(RecordedEvent::summary).toList())
							+ ((alerts.size() > 10) ? "; ..." : "");
			reply(id, alerts.getFirst(), summary, List.of());
			refresh = true;
		}
		if (refresh) {
			// Last, once: the refresh lock it takes comes after the incident's row lock
			// that recording on the timeline takes, as everywhere else.
			this.deliveries.refreshSoon(id);
		}
	}

	/** Alert changes of one batch make one reply. */
	private static boolean isAlertChange(TimelineEventType type) {
		return type.name().startsWith("alert.");
	}

	/** Whether people hear about the event. */
	private static boolean concerns(RecordedEvent event) {
		return event.type().news();
	}

	/**
	 * Decides who hears about a new incident and owes them its first messages. The
	 * incident has no plan yet.
	 */
	private void open(IncidentId incidentId, RecordedEvent opened) {
		long id = incidentId.value();
		Instant now = now();
		IncidentLabels incident = this.incidents.labels(incidentId);
		Map<String, String> labels = new LinkedHashMap<>(incident.groupLabels());
		labels.putAll(incident.commonLabels());
		Routing.Decisions decided = this.routing.decide(labels, now);
		List<RouteDecision> decisions = decided.routes();
		Long routingVersion = this.versions.versionOf(Routing.CONFIG_KIND, decided.contentHash());

		Severity severity = decisions.stream()
			.filter((decision) -> decision.severity() != null)
			.map((decision) -> Severity.valueOf(decision.severity().name()))
			.findFirst()
			.orElse(null);
		String team = decisions.stream().map(RouteDecision::team).filter((it) -> it != null).findFirst().orElse(null);
		String service = decisions.stream()
			.map(RouteDecision::service)
			.filter((it) -> it != null)
			.findFirst()
			.orElse(null);

		Set<String> slackChannels = new LinkedHashSet<>();
		Set<String> emails = new LinkedHashSet<>();
		Set<String> userNames = new LinkedHashSet<>();
		Set<String> schedules = new LinkedHashSet<>();
		String policy = null;
		for (RouteDecision decision : decisions) {
			slackChannels.addAll(decision.targets().slack());
			emails.addAll(decision.targets().email());
			userNames.addAll(decision.targets().users());
			schedules.addAll(decision.targets().schedules());
			if (policy == null) {
				policy = decision.escalationPolicy();
			}
		}
		String suppressed = suppression(incident, decisions, now);

		People people = people(userNames, schedules, now);
		emails.addAll(people.emails());
		List<String> routes = decisions.stream().map(RouteDecision::path).toList();
		NotificationStore.Plan plan = new NotificationStore.Plan(id, routes, List.copyOf(slackChannels),
				List.copyOf(emails), List.copyOf(userNames), List.copyOf(schedules), people.mentions(), policy,
				suppressed, now);

		this.incidents.route(incidentId, new RoutingOutcome(severity, team, service, routingVersion,
				decided.contentHash(),
				new TimelineEntry(Kinds.ROUTED, ROUTING, routedSummary(plan, people),
						details("routes", routes, "slack", plan.slack(), "email", plan.email(), "users", people.names(),
								"schedules", plan.schedules(), "escalationPolicy", policy, "suppressed", suppressed,
								"routingVersion", routingVersion, "routingHash", decided.contentHash()))));
		this.store.insertPlan(plan);
		if (suppressed != null) {
			this.incidents.record(incidentId, new TimelineEntry(Kinds.SUPPRESSED, ROUTING,
					"Nobody notified: " + suppressed, details("reason", suppressed)));
			return;
		}

		List<String> skipped = new ArrayList<>();
		if (this.slack.enabled()) {
			for (String channel : plan.slack()) {
				owe(id, "incident:%d:slack:%s:message".formatted(id, channel), Channel.SLACK, Kinds.SLACK_MESSAGE,
						channel, opened.id(), details("mentions", people.mentions()));
			}
		}
		else if (!plan.slack().isEmpty()) {
			skipped.add("Slack is not configured (warden.slack.bot-token): " + String.join(", ", plan.slack()));
		}
		oweEmails(id, opened, Kinds.EMAIL_OPENED, plan.email(), people.zones(), null, skipped);
		if (!skipped.isEmpty()) {
			this.incidents.record(incidentId, new TimelineEntry(Kinds.SKIPPED, Actor.SYSTEM,
					"Not notified: " + String.join("; ", skipped), details("reasons", skipped)));
		}
		if (policy != null) {
			// From the opening, not from now: a follower that ran late does not delay
			// pages.
			this.escalations.start(incidentId, policy, opened.occurredAt());
		}
	}

	/** Why nobody is to hear about the incident, or null. */
	private String suppression(IncidentLabels incident, List<RouteDecision> decisions, Instant now) {
		List<Silence> active = this.silences.activeAt(now);
		Silence silencing = null;
		boolean anyFiring = false;
		for (var alert : incident.alerts()) {
			if (alert.status() != AlertStatus.FIRING) {
				continue;
			}
			anyFiring = true;
			Optional<Silence> silence = Silences.silencing(active, alert.labels(), now);
			if (silence.isEmpty()) {
				silencing = null;
				break;
			}
			silencing = silence.get();
		}
		if (anyFiring && silencing != null) {
			return "silenced by silence %s (%s, by %s, until %s)".formatted(silencing.id().value(), silencing.comment(),
					silencing.createdBy(), silencing.endsAt());
		}
		if (decisions.stream().allMatch(RouteDecision::muted)) {
			RouteDecision first = decisions.getFirst();
			return "muted by route %s (mute window %s)".formatted(first.path(), first.muteWindow().describe());
		}
		return null;
	}

	/** An escalation level fired: its people and channels hear about the incident. */
	private void escalated(NotificationStore.Plan plan, RecordedEvent event) {
		long id = plan.incidentId();
		Instant now = now();
		People people = people(strings(event, "users"), List.of(), now);
		List<String> skipped = new ArrayList<>();
		if (this.slack.enabled()) {
			for (String channel : strings(event, "slack")) {
				owe(id, "incident:%d:slack:%s:message".formatted(id, channel), Channel.SLACK, Kinds.SLACK_MESSAGE,
						channel, event.id(), details("mentions", people.mentions()));
			}
		}
		else if (!strings(event, "slack").isEmpty()) {
			skipped.add("Slack is not configured: " + String.join(", ", strings(event, "slack")));
		}
		reply(id, event, event.summary(), people.mentions());
		Set<String> addresses = new LinkedHashSet<>(strings(event, "email"));
		addresses.addAll(people.emails());
		oweEmails(id, event, Kinds.EMAIL_ESCALATED, List.copyOf(addresses), people.zones(), event.summary(), skipped);
		if (!skipped.isEmpty()) {
			this.incidents.record(new IncidentId(id), new TimelineEntry(Kinds.SKIPPED, Actor.SYSTEM,
					"Not notified: " + String.join("; ", skipped), details("reasons", skipped)));
		}
	}

	/** The incident's emails so far get their ending. */
	private void resolved(long id, RecordedEvent event) {
		oweEmails(id, event, Kinds.EMAIL_RESOLVED, this.store.emailRecipients(id), Map.of(), null, new ArrayList<>());
	}

	/** A reply in the thread of every Slack message the incident has. */
	private void reply(long id, RecordedEvent event, String summary, List<String> mentions) {
		if (!this.slack.enabled()) {
			return;
		}
		for (String channel : this.store.messageChannels(id)) {
			owe(id, "incident:%d:event:%d:slack:%s".formatted(id, event.id(), channel), Channel.SLACK,
					Kinds.SLACK_REPLY, channel, event.id(), details("summary", summary, "mentions", mentions));
		}
	}

	private void oweEmails(long id, RecordedEvent event, String kind, List<String> addresses, Map<String, String> zones,
			String detail, List<String> skipped) {
		if (addresses.isEmpty()) {
			return;
		}
		if (!this.email.enabled()) {
			skipped.add("email is not configured (spring.mail.host): " + String.join(", ", addresses));
			return;
		}
		for (String address : addresses) {
			owe(id, "incident:%d:event:%d:email:%s".formatted(id, event.id(), address), Channel.EMAIL, kind, address,
					event.id(), details("detail", detail, "zone", zones.get(address)));
		}
	}

	private void owe(long incidentId, String key, Channel channel, String kind, String target, long eventId,
			Map<String, Object> body) {
		Instant now = now();
		this.store.insert(incidentId, key, channel, kind, target, eventId, body, now)
			.ifPresent((notificationId) -> this.deliveries.schedule(notificationId, kind, now));
	}

	/** The people behind user names and schedules, as they are now. */
	private People people(Iterable<String> userNames, Iterable<String> schedules, Instant now) {
		Map<String, User> users = new LinkedHashMap<>();
		for (String name : userNames) {
			this.onCall.user(name).ifPresent((user) -> users.put(user.name(), user));
		}
		for (String schedule : schedules) {
			this.onCall.onCall(schedule, now).ifPresent((shift) -> users.put(shift.user().name(), shift.user()));
		}
		return new People(List.copyOf(users.values()));
	}

	private static String routedSummary(NotificationStore.Plan plan, People people) {
		List<String> who = new ArrayList<>();
		who.addAll(plan.slack());
		who.addAll(people.names());
		plan.email().stream().filter((address) -> !people.emails().contains(address)).forEach(who::add);
		String notify = who.isEmpty() ? "nobody to notify" : "notifying " + String.join(", ", who);
		String escalation = (plan.escalationPolicy() != null) ? "; escalation policy " + plan.escalationPolicy() : "";
		return "Routed by " + String.join(" + ", plan.routes()) + ": " + notify + escalation;
	}

	@SuppressWarnings("unchecked")
	private static List<String> strings(RecordedEvent event, String key) {
		Object value = event.details().get(key);
		return (value instanceof List<?> list) ? (List<String>) list : List.of();
	}

	private static Map<String, Object> details(Object... keyValues) {
		Map<String, Object> details = new LinkedHashMap<>();
		for (int i = 0; i < keyValues.length; i += 2) {
			if (keyValues[i + 1] != null) {
				details.put((String) keyValues[i], keyValues[i + 1]);
			}
		}
		return details;
	}

	private Instant now() {
		return this.clock.instant();
	}

	/** Users to notify, with what each channel needs of them. */
	private record People(List<User> users) {

		List<String> names() {
			return this.users.stream().map(User::name).toList();
		}

		List<String> emails() {
			return this.users.stream().map(User::email).distinct().toList();
		}

		List<String> mentions() {
			return this.users.stream().map(User::slackUserId).filter((id) -> id != null && !id.isBlank()).toList();
		}

		Map<String, String> zones() {
			Map<String, String> zones = new LinkedHashMap<>();
			this.users.forEach((user) -> zones.putIfAbsent(user.email(), user.timeZone().getId()));
			return zones;
		}

	}

}
