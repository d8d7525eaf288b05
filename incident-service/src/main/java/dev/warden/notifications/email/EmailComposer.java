package dev.warden.notifications.email;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

import dev.warden.incidents.Durations;

import org.springframework.stereotype.Component;

/**
 * Writes the emails of an incident's thread: subject, Message-IDs that let mail clients
 * thread them, and an HTML and a plain-text body from the templates in
 * {@code templates/mail/}.
 * <p>
 * The HTML bodies come from Spring Boot's Thymeleaf engine ({@code mail/*.html}, HTML
 * mode, escaped); the plain-text bodies from an engine of this class's own that reads
 * {@code mail/*.txt} in TEXT mode, so the application's engine keeps resolving HTML views
 * only.
 */
@Component
public class EmailComposer {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

	/** Longest text of an alert's Grafana values an email shows. */
	private static final int VALUES_LIMIT = 500;

	private static final Map<String, String> SEVERITY_COLOURS = Map.of("CRITICAL", "#b42318", "HIGH", "#c4320a",
			"WARNING", "#a15c07", "INFO", "#175cd3");

	private final ITemplateEngine html;

	private final ITemplateEngine text;

	private final String messageIdDomain;

	EmailComposer(ITemplateEngine templateEngine, EmailSettings settings) {
		this.html = templateEngine;
		this.text = textTemplateEngine();
		this.messageIdDomain = settings.messageIdDomain();
	}

	/**
	 * The email of one kind about an incident.
	 * @param kind which email of the thread
	 * @param incident what the email says about the incident
	 * @param to the recipients' addresses
	 * @param eventId the event this email is about (for ESCALATED and RESOLVED): it makes
	 * the Message-ID unique within the thread; not used for OPENED
	 * @param detail what the kind has to add, such as the escalation level and who it
	 * notifies; null for nothing
	 */
	public Email compose(EmailKind kind, IncidentMail incident, List<String> to, long eventId, String detail) {
		Objects.requireNonNull(kind, "kind");
		Objects.requireNonNull(incident, "incident");
		String subject = subject(kind, incident);
		String threadRoot = "<incident-" + incident.id() + "@" + this.messageIdDomain + ">";
		Context context = new Context(Locale.ROOT, variables(kind, incident, subject, detail));
		String template = "mail/incident-" + kind.name().toLowerCase(Locale.ROOT);
		String htmlBody = this.html.process(template, context);
		// Included templates each end in a line break; the body ends in exactly one.
		String textBody = this.text.process(template, context).stripTrailing() + "\n";
		if (kind == EmailKind.OPENED) {
			return new Email(to, subject, textBody, htmlBody, threadRoot, null, List.of());
		}
		String messageId = "<incident-" + incident.id() + "." + eventId + "@" + this.messageIdDomain + ">";
		return new Email(to, subject, textBody, htmlBody, messageId, threadRoot, List.of(threadRoot));
	}

	/**
	 * The engine for the plain-text bodies: {@code classpath:templates/<name>.txt} in
	 * Thymeleaf's TEXT mode, with Spring's expression language like the HTML engine.
	 */
	private static ITemplateEngine textTemplateEngine() {
		ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver(EmailComposer.class.getClassLoader());
		resolver.setPrefix("templates/");
		resolver.setSuffix(".txt");
		resolver.setTemplateMode(TemplateMode.TEXT);
		resolver.setCharacterEncoding("UTF-8");
		resolver.setCheckExistence(true);
		SpringTemplateEngine engine = new SpringTemplateEngine();
		engine.setTemplateResolver(resolver);
		return engine;
	}

	private static String subject(EmailKind kind, IncidentMail incident) {
		String prefix = switch (kind) {
			case OPENED -> "";
			case ESCALATED -> "Escalated: ";
			case RESOLVED -> "Resolved: ";
		};
		String service = present(incident.service()) ? oneLine(incident.service()) + ": " : "";
		return prefix + "[" + severity(incident) + "] " + service + oneLine(incident.title()) + " (#" + incident.id()
				+ ")";
	}

	/** A duration for people, as everywhere in Warden ({@link Durations#words}). */
	static String duration(Duration duration) {
		return Durations.words(duration);
	}

	private Map<String, Object> variables(EmailKind kind, IncidentMail incident, String subject, String detail) {
		ZoneId zone = incident.zone();
		String severity = severity(incident);
		// Thymeleaf's context takes null values; Map.of does not.
		Map<String, Object> variables = new HashMap<>();
		variables.put("kind", kind.name());
		variables.put("subject", subject);
		variables.put("incident", incident);
		variables.put("severity", severity);
		variables.put("severityColour", SEVERITY_COLOURS.getOrDefault(severity, "#475467"));
		variables.put("zone", zone.getId());
		variables.put("consoleUrl", link(incident.consoleUrl()));
		variables.put("detail", present(detail) ? detail.strip() : null);
		variables.put("detectedAt", time(incident.detectedAt(), zone));
		variables.put("acknowledgedAt", time(incident.acknowledgedAt(), zone));
		variables.put("resolvedAt", time(incident.resolvedAt(), zone));
		variables.put("timeToAcknowledge", between(incident.detectedAt(), incident.acknowledgedAt()));
		variables.put("timeToResolve", between(incident.detectedAt(), incident.resolvedAt()));
		variables.put("alerts", incident.alerts().stream().map(EmailComposer::line).toList());
		variables.put("timeline",
				incident.timeline()
					.stream()
					.map((event) -> new EventLine(TIME.format(event.at().atZone(zone)), event.type(), event.actor(),
							event.summary()))
					.toList());
		return variables;
	}

	private static AlertLine line(MailAlert alert) {
		MailAlert.Grafana grafana = alert.grafana();
		if (grafana == null) {
			return new AlertLine(alert.name(), alert.status(), alert.summary(), link(alert.generatorUrl()),
					"Prometheus", null, List.of());
		}
		List<Link> links = new ArrayList<>();
		addLink(links, "Dashboard", grafana.dashboardUrl());
		addLink(links, "Panel", grafana.panelUrl());
		addLink(links, "Silence", grafana.silenceUrl());
		addLink(links, "Image", grafana.imageUrl());
		String values = present(grafana.values()) ? cut(oneLine(grafana.values()), VALUES_LIMIT) : null;
		return new AlertLine(alert.name(), alert.status(), alert.summary(), link(alert.generatorUrl()), "Grafana rule",
				values, links);
	}

	private static void addLink(List<Link> links, String label, String url) {
		String link = link(url);
		if (link != null) {
			links.add(new Link(label, link));
		}
	}

	/**
	 * The text, cut to at most {@code limit} characters with an ellipsis, never inside a
	 * character.
	 */
	private static String cut(String text, int limit) {
		if (text.length() <= limit) {
			return text;
		}
		int end = limit - 1;
		if (Character.isHighSurrogate(text.charAt(end - 1))) {
			end--;
		}
		return text.substring(0, end) + "…";
	}

	private static String severity(IncidentMail incident) {
		return oneLine(incident.severity()).toUpperCase(Locale.ROOT);
	}

	private static String time(Instant at, ZoneId zone) {
		return (at != null) ? TIME.format(at.atZone(zone)) : null;
	}

	private static String between(Instant from, Instant to) {
		return (to != null) ? duration(Duration.between(from, to)) : null;
	}

	/**
	 * The URL when it is an absolute http(s) URL, else null: a link in an email must not
	 * run script ({@code javascript:}) or point at local files.
	 */
	private static String link(String url) {
		if (!present(url)) {
			return null;
		}
		try {
			URI uri = new URI(url.strip());
			String scheme = uri.getScheme();
			boolean web = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
			return (web && uri.getHost() != null) ? uri.toString() : null;
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}

	/** Line breaks and other control characters become single spaces. */
	private static String oneLine(String value) {
		return value.replaceAll("[\\p{Cntrl}\\u2028\\u2029]+", " ").strip();
	}

	private static boolean present(String value) {
		return value != null && !value.isBlank();
	}

	/**
	 * An alert as the templates show it.
	 *
	 * @param name the alert's name
	 * @param status its status
	 * @param summary what it says, or null
	 * @param link its source's link (its expression in Prometheus, its rule in Grafana)
	 * when that is an http(s) URL, else null
	 * @param linkLabel what the link opens: {@code Prometheus} or {@code Grafana rule}
	 * @param values the values of its Grafana rule's queries, or null
	 * @param grafanaLinks its Grafana dashboard, panel, silence and image links that are
	 * http(s) URLs
	 */
	record AlertLine(String name, String status, String summary, String link, String linkLabel, String values,
			List<Link> grafanaLinks) {

		/** The text of the link's anchor in the HTML body. */
		public String linkText() {
			return "Prometheus".equals(this.linkLabel) ? "Open in Prometheus" : "Open the rule in Grafana";
		}

	}

	/**
	 * A link as the templates show it.
	 *
	 * @param label what it opens
	 * @param url an http(s) URL
	 */
	record Link(String label, String url) {

	}

	/**
	 * A timeline entry as the templates show it.
	 *
	 * @param at when, in the incident's zone
	 * @param type what happened
	 * @param actor who did it, or null
	 * @param summary the entry for people, or null
	 */
	record EventLine(String at, String type, String actor, String summary) {

	}

}
