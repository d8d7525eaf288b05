package dev.warden.console;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.warden.access.Audit;
import dev.warden.cluster.ConfigVersions;
import dev.warden.incidents.IncidentId;
import dev.warden.incidents.IncidentNotFound;
import dev.warden.incidents.IncidentService;
import dev.warden.runbooks.LoadReport;
import dev.warden.runbooks.RunbookCatalog;
import dev.warden.runbooks.RunbookDefinition;
import dev.warden.runbooks.RunbookService;
import dev.warden.runbooks.RunbookStats;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The console's runbook pages: the catalog with what each runbook matches, how it starts,
 * its last run and success rate, the last load's problems and, for admins, a reload; and
 * a runbook's page with its steps, its latest runs and a dry-run against an incident.
 */
@Controller
class RunbookPages {

	private static final Logger log = LoggerFactory.getLogger(RunbookPages.class);

	/** How many runs a runbook's page shows. */
	static final int RECENT_RUNS = 20;

	private static final String CATALOG = "console/runbooks";

	private static final String RUNBOOK = "console/runbook";

	private static final String RELOADED_WITH_PROBLEMS = "Reloaded the runbooks: %d loaded, %d problem(s) (below);"
			+ " a file with problems keeps its last good definition.";

	private final RunbookCatalog catalog;

	private final RunbookService runbooks;

	private final RunbookStats stats;

	private final IncidentService incidents;

	private final Clock clock;

	private final Audit audit;

	private final ConfigVersions versions;

	RunbookPages(RunbookCatalog catalog, RunbookService runbooks, RunbookStats stats, IncidentService incidents,
			Clock clock, Audit audit, ConfigVersions versions) {
		this.versions = versions;
		this.audit = audit;
		this.catalog = catalog;
		this.runbooks = runbooks;
		this.stats = stats;
		this.incidents = incidents;
		this.clock = clock;
	}

	@GetMapping("/runbooks")
	String catalog(Model model) {
		return catalogPage(model);
	}

	@GetMapping("/runbooks/{id}")
	String runbook(@PathVariable String id, Model model, HttpServletResponse response) {
		Optional<RunbookDefinition> runbook = this.catalog.find(id);
		if (runbook.isEmpty()) {
			return unknown(id, model, response);
		}
		return runbookPage(runbook.get(), "", model);
	}

	/**
	 * Checks the incident and sends the browser to the dry-run page, which changes
	 * nothing; an unknown incident or runbook is shown on the page instead.
	 */
	@PostMapping("/runbooks/{id}/dry-run")
	String dryRun(@PathVariable String id, @RequestParam(required = false) String incident, Model model,
			HttpServletResponse response) {
		Optional<RunbookDefinition> runbook = this.catalog.find(id);
		if (runbook.isEmpty()) {
			return unknown(id, model, response);
		}
		String entered = (incident != null) ? incident.strip() : "";
		IncidentId incidentId = incidentId(entered);
		if (incidentId == null) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			model.addAttribute("error", entered.isEmpty() ? "Enter an incident number, like 42 for INC-42."
					: "'%s' is not an incident number; enter one like 42 for INC-42.".formatted(entered));
			return runbookPage(runbook.get(), entered, model);
		}
		try {
			this.incidents.alerts(incidentId);
		}
		catch (IncidentNotFound ex) {
			response.setStatus(HttpStatus.NOT_FOUND.value());
			model.addAttribute("error", "There is no incident " + incidentId + "; nothing was dry-run.");
			return runbookPage(runbook.get(), entered, model);
		}
		return "redirect:/incidents/" + incidentId.value() + "/runbooks/" + runbook.get().id() + "/dry-run";
	}

	/**
	 * Reads the runbook directory again; files with problems keep their last good
	 * definition, and the catalog page lists the problems.
	 */
	@PostMapping("/runbooks/reload")
	String reload(Authentication user, RedirectAttributes flash) {
		LoadReport report = this.versions.reload(RunbookCatalog.CONFIG_KIND, user.getName(), this.catalog::reload);
		this.audit.record("runbooks.reload", "runbook catalog", null, report.summary());
		log.info("Runbook catalog reloaded by {}: {} runbook(s), {} problem(s)", user.getName(), report.loaded().size(),
				report.problems().size());
		if (report.problems().isEmpty()) {
			flash.addFlashAttribute("message",
					"Reloaded the runbooks: %d loaded, no problems.".formatted(report.loaded().size()));
		}
		else {
			flash.addFlashAttribute("error",
					RELOADED_WITH_PROBLEMS.formatted(report.loaded().size(), report.problems().size()));
		}
		return "redirect:/runbooks";
	}

	private String catalogPage(Model model) {
		List<RunbookDefinition> all = this.catalog.all();
		model.addAttribute("runbooks", all);
		model.addAttribute("stats", this.stats.summaries(all.stream().map(RunbookDefinition::id).toList()));
		model.addAttribute("problems", this.catalog.problems());
		model.addAttribute("automaticRuns", this.runbooks.automaticRuns());
		return CATALOG;
	}

	private String runbookPage(RunbookDefinition runbook, String incident, Model model) {
		model.addAttribute("runbook", runbook);
		model.addAttribute("file", (runbook.source() != null) ? runbook.source().getFileName().toString() : null);
		model.addAttribute("summary", this.stats.summaries(List.of(runbook.id())).get(runbook.id()));
		model.addAttribute("runs", this.stats.recent(runbook.id(), RECENT_RUNS));
		model.addAttribute("automaticRuns", this.runbooks.automaticRuns());
		model.addAttribute("dryRunIncident", incident);
		return RUNBOOK;
	}

	/** The catalog, answered 404 and saying which runbook is missing. */
	private String unknown(String id, Model model, HttpServletResponse response) {
		response.setStatus(HttpStatus.NOT_FOUND.value());
		model.addAttribute("error", "There is no runbook '%s' in the catalog.".formatted(id));
		return catalogPage(model);
	}

	/** {@code 42} or {@code INC-42}; null for anything else. */
	private static IncidentId incidentId(String entered) {
		String digits = entered.toUpperCase(Locale.ROOT).startsWith("INC-") ? entered.substring(4) : entered;
		try {
			long value = Long.parseLong(digits);
			return (value > 0) ? new IncidentId(value) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
