package dev.warden.notifications;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.warden.access.ConsoleAccounts;
import dev.warden.access.Role;
import dev.warden.escalation.OnCall;
import dev.warden.escalation.User;
import dev.warden.incidents.Actor;
import dev.warden.incidents.Declaration;
import dev.warden.incidents.IncidentId;
import dev.warden.incidents.IncidentService;
import dev.warden.incidents.IncidentView;
import dev.warden.incidents.Severity;
import dev.warden.notifications.slack.SlackMessages;
import dev.warden.notifications.slack.SlackSettings;
import dev.warden.notifications.slack.SlackSignature;
import dev.warden.runbooks.ExecutionId;
import dev.warden.routing.Silence;
import dev.warden.routing.Silences;
import dev.warden.runbooks.RunbookService;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Slack's interactivity endpoint (the Acknowledge, Mitigated, Resolve, Silence 2h and
 * Approve buttons of incident messages) and its slash command endpoint
 * ({@code /warden declare ...}). A request counts only with a valid signature (the app's
 * signing secret, a timestamp within five minutes), seen for the first time, from a Slack
 * member who is a Warden user; anything else is refused and changes nothing.
 * <p>
 * A button press is a person's action: the Slack member maps to the on-call user with
 * that {@code slack-user-id}, and that user to the console account of the same username,
 * which must be enabled and have the role the console would need (responder or admin).
 * Otherwise, or when the service refuses the action (already resolved, approver must be
 * another person...), the member alone sees why (an ephemeral answer) and the incident's
 * timeline records the refusal.
 */
@RestController
class SlackInteractionController {

	static final String PATH = "/slack/interactions";

	/** Where Slack sends the {@code /warden} slash command. */
	static final String COMMANDS_PATH = "/slack/commands";

	static final String USAGE = "Usage: /warden declare <critical|high|warning|info> <title> [service=… team=… "
			+ "name=value …] [| description]. Example: /warden declare high Chat cites the wrong policy documents "
			+ "service=ai-inference-api model=llama-3-70b | Three users reported it since 09:40";

	/** A word of the command that is a label: {@code name=value}. */
	private static final java.util.regex.Pattern LABEL = java.util.regex.Pattern
		.compile("([a-zA-Z_][a-zA-Z0-9_]*)=(\\S*)");

	/** Slack's interaction payloads are small; anything larger is not Slack. */
	static final int MAX_BODY = 256 * 1024;

	/**
	 * The console role the buttons need, as acknowledging and resolving in the console.
	 */
	static final Role ACTING_ROLE = Role.RESPONDER;

	/** How long the Silence 2h button silences. */
	static final Duration SILENCE_FOR = Duration.ofHours(2);

	private static final Logger log = LoggerFactory.getLogger(SlackInteractionController.class);

	private final SlackSettings settings;

	private final NotificationStore store;

	private final IncidentService incidents;

	private final RunbookService runbooks;

	private final OnCall onCall;

	private final ConsoleAccounts accounts;

	private final JsonMapper json;

	private final Clock clock;

	private final NotificationSettings notificationSettings;

	private final Silences silences;

	SlackInteractionController(SlackSettings settings, NotificationStore store, IncidentService incidents,
			RunbookService runbooks, OnCall onCall, ConsoleAccounts accounts, JsonMapper json, Clock clock,
			NotificationSettings notificationSettings, Silences silences) {
		this.settings = settings;
		this.silences = silences;
		this.notificationSettings = notificationSettings;
		this.store = store;
		this.incidents = incidents;
		this.runbooks = runbooks;
		this.onCall = onCall;
		this.accounts = accounts;
		this.json = json;
		this.clock = clock;
	}

	@PostMapping(PATH)
	ResponseEntity<Map<String, String>> interact(HttpServletRequest request) throws IOException {
		Signed signed = signed(request);
		if (signed.refusal() != null) {
			return signed.refusal();
		}
		byte[] body = signed.body();
		JsonNode payload = payload(body);
		if (payload == null || !"block_actions".equals(payload.path("type").asString(""))
				|| !payload.path("actions").isArray() || payload.path("actions").isEmpty()) {
			return refuse(HttpStatus.BAD_REQUEST, "Not a block_actions payload");
		}
		String slackUser = payload.path("user").path("id").asString("");
		Optional<User> user = userOf(slackUser);
		if (user.isEmpty()) {
			log.warn("Refused a Slack interaction by {}, who is no Warden user", slackUser);
			return refuse(HttpStatus.FORBIDDEN, "Slack member " + slackUser + " is not a Warden user");
		}
		JsonNode action = payload.path("actions").get(0);
		return act(action.path("action_id").asString(""), action.path("value").asString(""), slackUser, user.get());
	}

	/**
	 * The {@code /warden} slash command: {@code /warden declare <severity> <title>
	 * [name=value …] [| description]} declares an incident as the Slack member's Warden
	 * user, who needs the role the console's Declare needs. Slack shows the answer to the
	 * member alone.
	 */
	@PostMapping(COMMANDS_PATH)
	ResponseEntity<Map<String, String>> command(HttpServletRequest request) throws IOException {
		Signed signed = signed(request);
		if (signed.refusal() != null) {
			return signed.refusal();
		}
		Map<String, String> form = form(signed.body());
		String text = unescape(form.getOrDefault("text", "")).strip();
		String[] words = text.split("\\s+", 2);
		if (!words[0].equalsIgnoreCase("declare")) {
			return ephemeral(escaped(USAGE));
		}
		String slackUser = form.getOrDefault("user_id", "");
		Optional<User> user = userOf(slackUser);
		if (user.isEmpty()) {
			log.warn("Refused /warden declare by {}, who is no Warden user", slackUser);
			return ephemeral(escaped("Not done: Slack member " + slackUser + " is not a Warden user"));
		}
		String refusal = refusal(slackUser, user.get(), "declare");
		if (refusal != null) {
			log.warn("Refused Slack member {} ({}) to declare: {}", slackUser, user.get().name(), refusal);
			return ephemeral(escaped("Not done: " + refusal));
		}
		try {
			Declaration declaration = declaration((words.length > 1) ? words[1] : "", form.get("trigger_id"));
			IncidentService.Declared declared = this.incidents.declare(declaration, Actor.user(user.get().name()));
			IncidentView incident = declared.incident();
			String link = this.notificationSettings.incidentUrl(incident.id().value());
			String said = "%s %s: %s (%s)".formatted(declared.opened() ? "Declared" : "Already declared", incident.id(),
					incident.title(), incident.severity().name().toLowerCase(java.util.Locale.ROOT));
			// The reply escapes the title; the link is Slack's own markup.
			return ephemeral(
					SlackMessages.reply(said, List.of()) + ((link != null) ? " <" + link + "|open in Warden>" : ""));
		}
		catch (RuntimeException ex) {
			if (!statusOf(ex).is4xxClientError()) {
				throw ex;
			}
			return ephemeral(escaped("Not done: " + ex.getMessage() + "\n" + USAGE));
		}
	}

	/**
	 * The declaration in the command's words: the severity first, then the title, with
	 * {@code service=}, {@code team=} and other {@code name=value} words taken out as
	 * labels, and the description after a {@code |}.
	 */
	static Declaration declaration(String text, String triggerId) {
		int bar = text.indexOf('|');
		String description = (bar >= 0) ? text.substring(bar + 1).strip() : null;
		String[] words = ((bar >= 0) ? text.substring(0, bar) : text).strip().split("\\s+");
		if (words.length == 0 || words[0].isEmpty()) {
			throw new InvalidCommand("Say how bad it is and what is wrong");
		}
		Severity severity;
		try {
			severity = Severity.valueOf(words[0].toUpperCase(java.util.Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidCommand(
					"Start with the severity (critical, high, warning or info), not '" + words[0] + "'");
		}
		Map<String, String> labels = new java.util.LinkedHashMap<>();
		StringBuilder title = new StringBuilder();
		String service = null;
		String team = null;
		for (int i = 1; i < words.length; i++) {
			java.util.regex.Matcher label = LABEL.matcher(words[i]);
			if (!label.matches()) {
				title.append(title.isEmpty() ? "" : " ").append(words[i]);
			}
			else if (label.group(1).equals("service")) {
				service = label.group(2);
			}
			else if (label.group(1).equals("team")) {
				team = label.group(2);
			}
			else if (labels.put(label.group(1), label.group(2)) != null) {
				throw new InvalidCommand("Label " + label.group(1) + " is given twice");
			}
		}
		String key = (triggerId != null && !triggerId.isBlank()) ? "slack:" + triggerId : null;
		return new Declaration(title.toString(), severity, service, team, description, labels, null, key);
	}

	/** A command Warden cannot read. */
	@ResponseStatus(HttpStatus.BAD_REQUEST)
	static class InvalidCommand extends RuntimeException {

		InvalidCommand(String message) {
			super(message);
		}

	}

	/**
	 * Checks what every Slack request needs: Slack configured, a body of Slack's size, a
	 * valid signature, seen for the first time.
	 */
	private Signed signed(HttpServletRequest request) throws IOException {
		if (this.settings.signingSecret() == null || this.settings.signingSecret().isBlank()) {
			return Signed.refused(refuse(HttpStatus.NOT_FOUND,
					"Slack interactivity is not configured (warden.slack.signing-secret)"));
		}
		byte[] body = read(request.getInputStream());
		if (body == null) {
			return Signed.refused(refuse(HttpStatus.PAYLOAD_TOO_LARGE, "The request is larger than Slack's requests"));
		}
		String timestamp = request.getHeader("X-Slack-Request-Timestamp");
		String signature = request.getHeader("X-Slack-Signature");
		SlackSignature.Verdict verdict = new SlackSignature(this.settings.signingSecret()).verify(timestamp, signature,
				body, this.clock.instant());
		if (verdict != SlackSignature.Verdict.VALID) {
			log.warn("Refused a Slack request to {}: signature {}", request.getRequestURI(), verdict);
			return Signed.refused(
					refuse(HttpStatus.UNAUTHORIZED, "Signature " + verdict.name().toLowerCase(java.util.Locale.ROOT)));
		}
		if (!this.store.rememberInteraction(signature.strip(), this.clock.instant())) {
			log.warn("Refused a replayed Slack request to {}", request.getRequestURI());
			return Signed.refused(refuse(HttpStatus.UNAUTHORIZED, "This request was already received"));
		}
		return new Signed(body, null);
	}

	/** A Slack request's body once checked, or why it was refused. */
	private record Signed(byte[] body, ResponseEntity<Map<String, String>> refusal) {

		static Signed refused(ResponseEntity<Map<String, String>> refusal) {
			return new Signed(null, refusal);
		}

	}

	private ResponseEntity<Map<String, String>> act(String actionId, String value, String slackUser, User user) {
		String action = switch (actionId) {
			case SlackMessages.ACKNOWLEDGE -> "acknowledge";
			case SlackMessages.MITIGATE -> "mitigate";
			case SlackMessages.RESOLVE -> "resolve";
			case SlackMessages.SILENCE -> "silence";
			case SlackMessages.APPROVE -> "approve";
			default -> null;
		};
		if (action == null) {
			return refuse(HttpStatus.BAD_REQUEST, "Unknown action " + actionId);
		}
		long id;
		try {
			id = Long.parseLong(value);
		}
		catch (NumberFormatException ex) {
			return refuse(HttpStatus.BAD_REQUEST, "The action's value is not an id");
		}
		if (id <= 0) {
			// Ids are positive; IncidentId would refuse it with an exception, not a 400.
			return refuse(HttpStatus.BAD_REQUEST, "The action's value is not an id");
		}
		Actor actor = Actor.user(user.name());
		IncidentId incident = null;
		try {
			incident = action.equals("approve") ? this.runbooks.execution(new ExecutionId(id)).incidentId()
					: new IncidentId(id);
			String refusal = refusal(slackUser, user, action);
			if (refusal != null) {
				log.warn("Refused Slack member {} ({}) to {} {}: {}", slackUser, user.name(), action, id, refusal);
				return refused(incident, actor, action, refusal);
			}
			String done = switch (action) {
				case "acknowledge" -> {
					this.incidents.acknowledge(incident, actor);
					yield "Incident #" + id + " acknowledged by " + user.name();
				}
				case "mitigate" -> {
					// Now, as a person would say it in the console; after a resolution
					// the
					// incident's own rule makes it the resolution's time.
					this.incidents.mitigateByHand(incident, actor, null, "from Slack");
					yield "Incident #" + id + " marked mitigated by " + user.name();
				}
				case "resolve" -> {
					this.incidents.resolve(incident, actor);
					yield "Incident #" + id + " resolved by " + user.name();
				}
				case "silence" -> {
					List<String> matchers = groupMatchers(this.incidents.get(incident));
					if (matchers.stream().noneMatch((matcher) -> matcher.startsWith("alertname="))) {
						// Without the alert's name, labels such as severity or job would
						// silence far more than this incident's alerts.
						yield null;
					}
					Instant now = this.clock.instant();
					Silence silence = this.silences.create(matchers, now, now.plus(SILENCE_FOR), user.name(),
							"Silence 2h from Slack on incident #" + id);
					yield "Alerts of incident #" + id + " (" + String.join(", ", matchers) + ") silenced for 2 h by "
							+ user.name() + ", until " + silence.endsAt() + " (silence " + silence.id() + ")";
				}
				default -> {
					this.runbooks.approve(new ExecutionId(id), user.name());
					yield "Runbook run " + id + " approved by " + user.name();
				}
			};
			if (done == null) {
				return refused(incident, actor, action, "incident #" + id
						+ " has no alert group to silence by its alert name (no alerts, or they do not share one); "
						+ "silence it in the console with the matchers you mean");
			}
			// What people and alerts wrote (titles, label values) is text, not mrkdwn.
			return ResponseEntity.ok(Map.of("text", escaped(done)));
		}
		catch (RuntimeException ex) {
			// A service's 4xx (already acknowledged, approver must be someone else, no
			// such run...) is a refusal like a missing role: Slack shows the button's
			// user a failure only for non-200 answers, so answer 200 with the reason.
			HttpStatus status = statusOf(ex);
			if (!status.is4xxClientError()) {
				throw ex;
			}
			return refused(incident, actor, action, String.valueOf(ex.getMessage()));
		}
	}

	/**
	 * Matchers for the incident's alert group: its group labels (those Alertmanager
	 * grouped its alerts by), or its alerts' common labels when it was grouped by none,
	 * each only if every alert of the incident carries it, so that the silence matches
	 * the incident's alerts; empty for an incident without alerts (declared by a person),
	 * whose labels would silence unrelated alerts.
	 */
	private static List<String> groupMatchers(IncidentView incident) {
		if (incident.alerts().isEmpty()) {
			return List.of();
		}
		Map<String, String> labels = !incident.groupLabels().isEmpty() ? incident.groupLabels()
				: incident.commonLabels();
		return labels.entrySet()
			.stream()
			.filter((label) -> label.getValue() != null && !label.getValue().isEmpty())
			.filter((label) -> incident.alerts()
				.stream()
				.allMatch((alert) -> label.getValue().equals(alert.labels().get(label.getKey()))))
			.sorted(Map.Entry.comparingByKey())
			.map((label) -> label.getKey() + "=\"" + label.getValue().replace("\\", "\\\\").replace("\"", "\\\"")
					+ "\"")
			.toList();
	}

	/**
	 * Why this Slack member may not do this, or null when they may: the on-call user must
	 * have an enabled console account of the same username whose role may do it in the
	 * console.
	 */
	private String refusal(String slackUser, User user, String action) {
		Optional<ConsoleAccounts.Account> account = this.accounts.find(user.name());
		String who = "Slack member " + slackUser + " is on-call user " + user.name();
		if (account.isEmpty()) {
			return who + ", who has no console account";
		}
		if (!account.get().enabled()) {
			return who + ", whose console account is disabled";
		}
		if (!account.get().may(ACTING_ROLE)) {
			return who + ", whose console role is " + account.get().role().value() + "; to " + action
					+ ", the console role must be " + ACTING_ROLE.value() + " or " + Role.ADMIN.value();
		}
		return null;
	}

	/**
	 * Answers the refusal to the button's user alone and records it on the incident's
	 * timeline, when there is an incident to record it on.
	 */
	private ResponseEntity<Map<String, String>> refused(IncidentId incident, Actor actor, String action,
			String reason) {
		if (incident != null) {
			try {
				this.incidents.recordRefusedAction(incident, actor, action + " (Slack)", reason);
			}
			catch (RuntimeException ex) {
				if (!statusOf(ex).is4xxClientError()) {
					throw ex;
				}
				// No such incident: there is no timeline to record the refusal on.
			}
		}
		return ResponseEntity.ok(Map.of("response_type", "ephemeral", "text", escaped("Not done: " + reason)));
	}

	/** A form-encoded body's fields; a field given twice keeps its first value. */
	private static Map<String, String> form(byte[] body) {
		Map<String, String> fields = new java.util.HashMap<>();
		for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
			int equals = pair.indexOf('=');
			if (equals <= 0) {
				continue;
			}
			try {
				fields.putIfAbsent(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
						URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
			}
			catch (IllegalArgumentException ex) {
				// Not form encoding: the field is left out, as if not sent.
			}
		}
		return fields;
	}

	/** The on-call user with this Slack member id. */
	private Optional<User> userOf(String slackUser) {
		return this.onCall.users()
			.stream()
			.filter((candidate) -> slackUser.equals(candidate.slackUserId()))
			.findFirst();
	}

	/** Slack escapes these three in a command's text. */
	private static String unescape(String text) {
		return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
	}

	/** Text as Slack shows it: {@code <}, {@code >} and {@code &} escaped. */
	private static String escaped(String text) {
		return SlackMessages.reply(text, List.of());
	}

	private static ResponseEntity<Map<String, String>> ephemeral(String text) {
		return ResponseEntity.ok(Map.of("response_type", "ephemeral", "text", text));
	}

	private JsonNode payload(byte[] body) {
		String form = new String(body, StandardCharsets.UTF_8);
		for (String pair : form.split("&")) {
			int equals = pair.indexOf('=');
			if (equals > 0 && pair.substring(0, equals).equals("payload")) {
				try {
					return this.json.readTree(URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
				}
				catch (JacksonException | IllegalArgumentException ex) {
					return null;
				}
			}
		}
		return null;
	}

	/**
	 * The status a feature module declares for its exception with {@link ResponseStatus}
	 * (as the API's exception handler reads it), so that refusals this controller does
	 * not know by name are answered as refusals.
	 */
	private static HttpStatus statusOf(RuntimeException ex) {
		ResponseStatus declared = AnnotatedElementUtils.findMergedAnnotation(ex.getClass(), ResponseStatus.class);
		return (declared != null) ? declared.code() : HttpStatus.INTERNAL_SERVER_ERROR;
	}

	private static byte[] read(InputStream in) throws IOException {
		byte[] body = in.readNBytes(MAX_BODY + 1);
		return (body.length > MAX_BODY) ? null : body;
	}

	private static ResponseEntity<Map<String, String>> refuse(HttpStatus status, String reason) {
		return ResponseEntity.status(status).body(Map.of("error", reason));
	}

}
