package dev.warden.console;

import java.time.Clock;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletResponse;

import dev.warden.incidents.Actor;
import dev.warden.incidents.Declaration;
import dev.warden.incidents.IncidentView;
import dev.warden.incidents.IncidentId;
import dev.warden.incidents.IncidentQuery;
import dev.warden.incidents.IncidentService;
import dev.warden.incidents.IncidentStatus;
import dev.warden.incidents.Severity;
import dev.warden.notifications.Notification;
import dev.warden.notifications.NotificationId;
import dev.warden.notifications.Notifications;
import dev.warden.reports.TimelineAxis;
import dev.warden.runbooks.ExecutionId;
import dev.warden.runbooks.ExecutionView;
import dev.warden.runbooks.RunbookCatalog;
import dev.warden.runbooks.RunbookService;
import dev.warden.webhooks.Webhooks;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The console's incident pages: the list (open first, then recent; filters, search,
 * paging, counts; refreshed by htmx) and an incident's page with its actions, alerts,
 * timeline on a time axis, milestones, runbooks, notifications and timeline table.
 */
@Controller
class IncidentPages {

	static final int PAGE_SIZE = 25;

	private final IncidentService incidents;

	private final RunbookService runbooks;

	private final RunbookCatalog catalog;

	private final Notifications notifications;

	private final Webhooks webhooks;

	private final Clock clock;

	IncidentPages(IncidentService incidents, RunbookService runbooks, RunbookCatalog catalog,
			Notifications notifications, Webhooks webhooks, Clock clock) {
		this.incidents = incidents;
		this.runbooks = runbooks;
		this.catalog = catalog;
		this.notifications = notifications;
		this.webhooks = webhooks;
		this.clock = clock;
	}

	@GetMapping("/incidents")
	String list(ListFilter filter, Model model) {
		fillList(filter, model);
		return "console/incidents";
	}

	/** The list's table alone, for htmx to swap in every few seconds. */
	@GetMapping("/incidents/rows")
	String rows(ListFilter filter, Model model) {
		fillList(filter, model);
		return "console/incidents :: results";
	}

	/** The form to declare an incident no alert opened; responders only. */
	@GetMapping("/incidents/declare")
	String declareForm(Model model) {
		model.addAttribute("form", DeclareForm.empty());
		model.addAttribute("severities", Severity.values());
		return "console/declare";
	}

	/**
	 * Declares the incident and shows it. The form's key, drawn when the form was shown,
	 * makes a second submission of the same form show the same incident, not open
	 * another. Bad input shows the form again with what was typed and why (400).
	 */
	@PostMapping("/incidents/declare")
	String declare(DeclareForm form, @ModelAttribute(name = "times", binding = false) Times times, Authentication user,
			Model model, RedirectAttributes flash, HttpServletResponse response) {
		try {
			IncidentService.Declared declared = this.incidents.declare(new Declaration(form.title(),
					form.parsedSeverity(), form.service(), form.team(), form.description(), form.parsedLabels(),
					times.parse("impact start", form.impactStartedAt()), blankToNull(form.key())), actor(user));
			flash.addFlashAttribute("message", declared.opened() ? "Declared: routing decides who hears about it"
					: "Already declared with this form");
			return "redirect:/incidents/" + declared.incident().id().value();
		}
		catch (RuntimeException ex) {
			if (!isRefusal(ex)) {
				throw ex;
			}
			response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
			model.addAttribute("error", ex.getMessage());
			model.addAttribute("form", form);
			model.addAttribute("severities", Severity.values());
			return "console/declare";
		}
	}

	/** A responder merges this incident into another: this one resolves as merged. */
	@PostMapping("/incidents/{id}/merge")
	String merge(@PathVariable long id, @RequestParam(required = false) String into, Authentication user,
			RedirectAttributes flash) {
		return act(id, user, flash,
				() -> this.incidents.merge(incidentId(id), new IncidentId(incidentNumber(into)), actor(user)),
				"Merged: its alerts and its group's later alerts are in the incident it was merged into");
	}

	/**
	 * A responder undoes a merge: this incident opens again with the alerts it brought.
	 */
	@PostMapping("/incidents/{id}/unmerge")
	String unmerge(@PathVariable long id, Authentication user, RedirectAttributes flash) {
		return act(id, user, flash, () -> this.incidents.unmerge(incidentId(id), actor(user)),
				"Unmerged: the alerts it brought are back here");
	}

	/** A responder splits an alert out into an incident of its own, and sees that one. */
	@PostMapping("/incidents/{id}/split")
	String split(@PathVariable long id, @RequestParam(required = false) String fingerprint, Authentication user,
			RedirectAttributes flash) {
		try {
			IncidentView split = this.incidents.split(incidentId(id),
					(fingerprint != null) ? List.of(fingerprint) : List.of(), null, actor(user));
			flash.addFlashAttribute("message", "Split out of " + incidentId(id) + ": routing decides who hears");
			return "redirect:/incidents/" + split.id().value();
		}
		catch (RuntimeException ex) {
			if (!isRefusal(ex)) {
				throw ex;
			}
			flash.addFlashAttribute("error", ex.getMessage());
			return "redirect:/incidents/" + id;
		}
	}

	/** The incident of a path: numbers start at 1, anything else is a bad request. */
	private static IncidentId incidentId(long id) {
		if (id <= 0) {
			throw new InvalidFilter("There is no incident " + id + ": incident numbers start at 1");
		}
		return new IncidentId(id);
	}

	/** An incident number as typed: {@code 12} or {@code INC-12}. */
	private static long incidentNumber(String text) {
		String number = (text != null) ? text.strip().replaceFirst("(?i)^INC-", "") : "";
		try {
			long value = Long.parseLong(number);
			if (value > 0) {
				return value;
			}
		}
		catch (NumberFormatException ex) {
			// Said below.
		}
		throw new InvalidFilter("'" + ((text != null) ? text.strip() : "") + "' is not an incident number");
	}

	/** A responder attaches an Alertmanager group to a declared incident. */
	@PostMapping("/incidents/{id}/alert-group")
	String attachGroup(@PathVariable long id, @RequestParam(required = false) String groupKey, Authentication user,
			RedirectAttributes flash) {
		return act(id, user, flash,
				() -> this.incidents.attachGroup(incidentId(id), actor(user), blankToNull(groupKey)),
				"Alert group attached: its alerts come to this incident");
	}

	@GetMapping("/incidents/{id}")
	String detail(@PathVariable long id, @RequestParam(required = false) String kind,
			@ModelAttribute(name = "times", binding = false) Times times, Model model) {
		IncidentId incidentId = incidentId(id);
		IncidentView incident = this.incidents.get(incidentId);
		model.addAttribute("incident", incident);
		model.addAttribute("axis", MilestoneTable.of(incident.milestones()));
		String wanted = (kind != null && !kind.isBlank()) ? kind.strip() : null;
		model.addAttribute("kind", wanted);
		model.addAttribute("kinds",
				incident.timeline()
					.stream()
					.map((event) -> event.type().name().substring(0, event.type().name().indexOf('.')))
					.distinct()
					.sorted()
					.toList());
		model.addAttribute("events",
				incident.timeline()
					.stream()
					.filter((event) -> wanted == null || event.type().name().startsWith(wanted + "."))
					.toList());
		List<ExecutionView> executions = this.runbooks.executions(incidentId);
		model.addAttribute("executions", executions);
		model.addAttribute("runbooksLive",
				executions.stream().anyMatch((execution) -> !execution.status().isFinished()));
		List<Notification> owed = this.notifications.of(incidentId);
		model.addAttribute("notifications", owed);
		model.addAttribute("failedNotifications", owed.stream().filter(Notification::failed).count());
		// Drawn from what the page read anyway: no query per entry.
		model.addAttribute("timeline", TimelineAxis.of(incident, executions, owed, this.clock.instant(), times.zone()));
		model.addAttribute("webhookDeliveries", this.webhooks.of(incidentId));
		model.addAttribute("runbooks", this.catalog.all());
		model.addAttribute("severities", Severity.values());
		return "console/incident";
	}

	@PostMapping("/incidents/{id}/acknowledge")
	String acknowledge(@PathVariable long id, Authentication user, RedirectAttributes flash) {
		return act(id, user, flash, () -> this.incidents.acknowledge(incidentId(id), actor(user)), "Acknowledged");
	}

	@PostMapping("/incidents/{id}/resolve")
	String resolve(@PathVariable long id, Authentication user, RedirectAttributes flash) {
		return act(id, user, flash, () -> this.incidents.resolve(incidentId(id), actor(user)), "Resolved");
	}

	@PostMapping("/incidents/{id}/reopen")
	String reopen(@PathVariable long id, Authentication user, RedirectAttributes flash) {
		return act(id, user, flash, () -> this.incidents.reopen(incidentId(id), actor(user)), "Reopened");
	}

	/**
	 * A responder marks the incident mitigated, at a time typed in their zone or now.
	 */
	@PostMapping("/incidents/{id}/mitigate")
	String mitigate(@PathVariable long id, @RequestParam(required = false) String at,
			@RequestParam(required = false) String note, @ModelAttribute(name = "times", binding = false) Times times,
			Authentication user, RedirectAttributes flash) {
		return act(id, user, flash, () -> this.incidents.mitigateByHand(incidentId(id), actor(user),
				times.parse("mitigation time", at), blankToNull(note)), "Marked mitigated");
	}

	/** A responder corrects when the impact started, with a reason. */
	@PostMapping("/incidents/{id}/impact-start")
	String impactStart(@PathVariable long id, @RequestParam(required = false) String at,
			@RequestParam(required = false) String reason, @ModelAttribute(name = "times", binding = false) Times times,
			Authentication user, RedirectAttributes flash) {
		return act(id, user, flash, () -> this.incidents.correctImpactStart(incidentId(id), actor(user),
				times.parse("impact start", at), reason), "Impact start corrected");
	}

	@PostMapping("/incidents/{id}/notes")
	String note(@PathVariable long id, @RequestParam String text, Authentication user, RedirectAttributes flash) {
		return act(id, user, flash, () -> this.incidents.addNote(incidentId(id), actor(user), text), "Note added");
	}

	@PostMapping("/incidents/{id}/severity")
	String severity(@PathVariable long id, @RequestParam String severity, Authentication user,
			RedirectAttributes flash) {
		return act(id, user, flash, () -> this.incidents.changeSeverity(incidentId(id), actor(user),
				Severity.valueOf(severity.strip().toUpperCase(Locale.ROOT))), "Severity changed");
	}

	@PostMapping("/incidents/{id}/notifications/{notification}/resend")
	String resend(@PathVariable long id, @PathVariable NotificationId notification, Authentication user,
			RedirectAttributes flash) {
		return act(id, user, flash, () -> this.notifications.resend(incidentId(id), notification, user.getName()),
				"Notification owed again: Warden is delivering it");
	}

	@PostMapping("/incidents/{id}/runbooks")
	String run(@PathVariable long id, @RequestParam String runbook, Authentication user, RedirectAttributes flash) {
		return act(id, user, flash, () -> this.runbooks.run(runbook, incidentId(id), user.getName()),
				"Runbook " + runbook + " requested");
	}

	@GetMapping("/incidents/{id}/runbooks/{runbook}/dry-run")
	String dryRun(@PathVariable long id, @PathVariable String runbook, Model model) {
		model.addAttribute("incident", this.incidents.get(incidentId(id)));
		model.addAttribute("dryRun", this.runbooks.dryRun(runbook, incidentId(id)));
		return "console/dry-run";
	}

	@PostMapping("/incidents/{id}/executions/{execution}/approve")
	String approve(@PathVariable long id, @PathVariable ExecutionId execution, Authentication user,
			RedirectAttributes flash) {
		return act(id, user, flash, () -> this.runbooks.approve(execution, user.getName()), "Runbook run approved");
	}

	@PostMapping("/incidents/{id}/executions/{execution}/cancel")
	String cancel(@PathVariable long id, @PathVariable ExecutionId execution, Authentication user,
			RedirectAttributes flash) {
		return act(id, user, flash, () -> this.runbooks.cancel(execution, user.getName()),
				"Runbook run cancellation requested");
	}

	private String act(long id, Authentication user, RedirectAttributes flash, Runnable action, String done) {
		try {
			action.run();
			flash.addFlashAttribute("message", done);
		}
		catch (RuntimeException ex) {
			if (!isRefusal(ex) && !(ex instanceof IllegalArgumentException)) {
				throw ex;
			}
			flash.addFlashAttribute("error", ex.getMessage());
		}
		return "redirect:/incidents/" + id;
	}

	/**
	 * A module's refusal of what the person asked (its exception declares a 4xx status),
	 * shown to them on the page; anything else is a bug and goes to the error page.
	 */
	private static boolean isRefusal(RuntimeException ex) {
		return ex.getClass().getAnnotation(org.springframework.web.bind.annotation.ResponseStatus.class) != null;
	}

	private void fillList(ListFilter filter, Model model) {
		IncidentQuery query = filter.toQuery((Times) model.getAttribute("times"));
		IncidentService.CountedPage found = this.incidents.listCounted(query, PageRequest.of(filter.page(), PAGE_SIZE,
				Sort.by(Sort.Order.desc("open"), Sort.Order.desc("milestones.detectedAt"), Sort.Order.desc("id"))));
		model.addAttribute("page", found.page());
		model.addAttribute("counts", found.counts());
		model.addAttribute("filter", filter);
		model.addAttribute("statuses", IncidentStatus.values());
		model.addAttribute("severities", Severity.values());
	}

	private static String blankToNull(String text) {
		return (text == null || text.isBlank()) ? null : text;
	}

	private static Actor actor(Authentication user) {
		return Actor.user(user.getName());
	}

	/**
	 * The declare form as typed.
	 *
	 * @param key drawn when the form was shown: one declaration per form
	 * @param labels one {@code name=value} a line
	 * @param impactStartedAt a local date and time in the viewer's zone, or blank
	 */
	record DeclareForm(String key, String title, String severity, String service, String team, String description,
			String labels, String impactStartedAt) {

		static DeclareForm empty() {
			return new DeclareForm(UUID.randomUUID().toString(), "", "", "", "", "", "", "");
		}

		Severity parsedSeverity() {
			if (this.severity == null || this.severity.isBlank()) {
				return null;
			}
			try {
				return Severity.valueOf(this.severity.strip().toUpperCase(Locale.ROOT));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidFilter("Choose a severity: critical, high, warning or info");
			}
		}

		Map<String, String> parsedLabels() {
			Map<String, String> parsed = new LinkedHashMap<>();
			if (this.labels == null) {
				return parsed;
			}
			for (String line : this.labels.split("\\R")) {
				if (line.isBlank()) {
					continue;
				}
				int equals = line.indexOf('=');
				if (equals <= 0) {
					throw new InvalidFilter("Label line '%s' is not name=value".formatted(line.strip()));
				}
				String name = line.substring(0, equals).strip();
				if (parsed.put(name, line.substring(equals + 1).strip()) != null) {
					throw new InvalidFilter("Label " + name + " is given twice");
				}
			}
			return parsed;
		}

	}

	/**
	 * The list's filters, from the query string.
	 *
	 * @param status statuses, or empty for all
	 * @param severity severities, or empty for all
	 * @param service exactly this service
	 * @param team exactly this team
	 * @param q words in the title
	 * @param from detected at or after: an ISO instant, or a local date and time in the
	 * viewer's zone
	 * @param to detected before, likewise
	 * @param page the page, from 0
	 */
	record ListFilter(List<String> status, List<String> severity, String service, String team, String q, String from,
			String to, Integer page) {

		ListFilter {
			page = (page != null && page > 0) ? page : 0;
		}

		IncidentQuery toQuery(Times times) {
			return new IncidentQuery(parse(this.status, IncidentStatus.class), parse(this.severity, Severity.class),
					blankToNull(this.service), blankToNull(this.team), times.parse("detected-from time", this.from),
					times.parse("detected-to time", this.to), this.q);
		}

		/** The query string of these filters at another page. */
		public String at(int other) {
			StringBuilder query = new StringBuilder("?page=" + other);
			append(query, "status", this.status);
			append(query, "severity", this.severity);
			append(query, "service", this.service);
			append(query, "team", this.team);
			append(query, "q", this.q);
			append(query, "from", this.from);
			append(query, "to", this.to);
			return query.toString();
		}

		public boolean has(String name, Object value) {
			List<String> values = name.equals("status") ? this.status : this.severity;
			return values != null && values.stream().anyMatch((each) -> each.equalsIgnoreCase(value.toString()));
		}

		private static void append(StringBuilder query, String name, Object value) {
			if (value instanceof List<?> list) {
				list.forEach((each) -> append(query, name, each));
			}
			else if (value != null && !value.toString().isBlank()) {
				query.append('&')
					.append(name)
					.append('=')
					.append(java.net.URLEncoder.encode(value.toString(), java.nio.charset.StandardCharsets.UTF_8));
			}
		}

		private static <E extends Enum<E>> Set<E> parse(List<String> values, Class<E> type) {
			if (values == null) {
				return Set.of();
			}
			Set<E> parsed = EnumSet.noneOf(type);
			for (String value : values) {
				if (value == null || value.isBlank()) {
					continue;
				}
				try {
					parsed.add(Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT)));
				}
				catch (IllegalArgumentException ex) {
					throw new InvalidFilter("'%s' is not one of %s".formatted(value,
							Arrays.stream(type.getEnumConstants())
								.map((each) -> each.name().toLowerCase(Locale.ROOT))
								.collect(Collectors.joining(", "))));
				}
			}
			return parsed;
		}

		private static String blankToNull(String text) {
			return (text != null && !text.isBlank()) ? text.strip() : null;
		}

	}

}
