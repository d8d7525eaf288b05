package dev.warden.notifications;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.warden.escalation.OnCall;
import dev.warden.escalation.User;
import dev.warden.incidents.Actor;
import dev.warden.incidents.IncidentId;
import dev.warden.incidents.IncidentService;
import dev.warden.notifications.slack.SlackSettings;
import dev.warden.notifications.slack.SlackSignature;
import dev.warden.runbooks.RunbookService;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Slack's interactivity endpoint: the Acknowledge, Resolve and Approve buttons of
 * incident messages. A request counts only with a valid signature (the app's signing
 * secret, a timestamp within five minutes), seen for the first time, from a Slack member
 * who is a Warden user; anything else is refused and changes nothing.
 */
@RestController
class SlackInteractionController {

	static final String PATH = "/slack/interactions";

	/** Slack's interaction payloads are small; anything larger is not Slack. */
	static final int MAX_BODY = 256 * 1024;

	private static final Logger log = LoggerFactory.getLogger(SlackInteractionController.class);

	private final SlackSettings settings;

	private final NotificationStore store;

	private final IncidentService incidents;

	private final RunbookService runbooks;

	private final OnCall onCall;

	private final JsonMapper json;

	private final Clock clock;

	SlackInteractionController(SlackSettings settings, NotificationStore store, IncidentService incidents,
			RunbookService runbooks, OnCall onCall, JsonMapper json, Clock clock) {
		this.settings = settings;
		this.store = store;
		this.incidents = incidents;
		this.runbooks = runbooks;
		this.onCall = onCall;
		this.json = json;
		this.clock = clock;
	}

	@PostMapping(PATH)
	ResponseEntity<Map<String, String>> interact(HttpServletRequest request) throws IOException {
		if (this.settings.signingSecret() == null || this.settings.signingSecret().isBlank()) {
			return refuse(HttpStatus.NOT_FOUND, "Slack interactivity is not configured (warden.slack.signing-secret)");
		}
		byte[] body = read(request.getInputStream());
		if (body == null) {
			return refuse(HttpStatus.PAYLOAD_TOO_LARGE, "The request is larger than Slack's interactions");
		}
		String timestamp = request.getHeader("X-Slack-Request-Timestamp");
		String signature = request.getHeader("X-Slack-Signature");
		SlackSignature.Verdict verdict = new SlackSignature(this.settings.signingSecret()).verify(timestamp, signature,
				body, this.clock.instant());
		if (verdict != SlackSignature.Verdict.VALID) {
			log.warn("Refused a Slack interaction: signature {}", verdict);
			return refuse(HttpStatus.UNAUTHORIZED, "Signature " + verdict.name().toLowerCase(java.util.Locale.ROOT));
		}
		if (!this.store.rememberInteraction(signature.strip(), this.clock.instant())) {
			log.warn("Refused a replayed Slack interaction");
			return refuse(HttpStatus.UNAUTHORIZED, "This request was already received");
		}
		JsonNode payload = payload(body);
		if (payload == null || !"block_actions".equals(payload.path("type").asString(""))
				|| payload.path("actions").isEmpty()) {
			return refuse(HttpStatus.BAD_REQUEST, "Not a block_actions payload");
		}
		String slackUser = payload.path("user").path("id").asString("");
		Optional<User> user = this.onCall.users()
			.stream()
			.filter((candidate) -> slackUser.equals(candidate.slackUserId()))
			.findFirst();
		if (user.isEmpty()) {
			log.warn("Refused a Slack interaction by {}, who is no Warden user", slackUser);
			return refuse(HttpStatus.FORBIDDEN, "Slack member " + slackUser + " is not a Warden user");
		}
		JsonNode action = payload.path("actions").get(0);
		return act(action.path("action_id").asString(""), action.path("value").asString(""), user.get());
	}

	private ResponseEntity<Map<String, String>> act(String actionId, String value, User user) {
		Actor actor = Actor.user(user.name());
		long id;
		try {
			id = Long.parseLong(value);
		}
		catch (NumberFormatException ex) {
			return refuse(HttpStatus.BAD_REQUEST, "The action's value is not an id");
		}
		try {
			String done = switch (actionId) {
				case "warden_acknowledge" -> {
					this.incidents.acknowledge(new IncidentId(id), actor);
					yield "Incident #" + id + " acknowledged by " + user.name();
				}
				case "warden_resolve" -> {
					this.incidents.resolve(new IncidentId(id), actor);
					yield "Incident #" + id + " resolved by " + user.name();
				}
				case "warden_approve" -> {
					this.runbooks.approve(id, user.name());
					yield "Runbook run " + id + " approved by " + user.name();
				}
				default -> null;
			};
			if (done == null) {
				return refuse(HttpStatus.BAD_REQUEST, "Unknown action " + actionId);
			}
			return ResponseEntity.ok(Map.of("text", done));
		}
		catch (RuntimeException ex) {
			// Slack shows the button's user a failure only for non-200 answers, and the
			// message itself shows the incident's state: answer 200 with the reason.
			HttpStatus status = statusOf(ex);
			if (status.is5xxServerError()) {
				throw ex;
			}
			return ResponseEntity.ok(Map.of("text", String.valueOf(ex.getMessage())));
		}
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

	private static HttpStatus statusOf(RuntimeException ex) {
		var annotation = ex.getClass().getAnnotation(org.springframework.web.bind.annotation.ResponseStatus.class);
		return (annotation != null) ? annotation.value() : HttpStatus.INTERNAL_SERVER_ERROR;
	}

	private static byte[] read(InputStream in) throws IOException {
		byte[] body = in.readNBytes(MAX_BODY + 1);
		return (body.length > MAX_BODY) ? null : body;
	}

	private static ResponseEntity<Map<String, String>> refuse(HttpStatus status, String reason) {
		return ResponseEntity.status(status).body(Map.of("error", reason));
	}

}
