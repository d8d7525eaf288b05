package dev.warden.console;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.warden.incidents.IncidentId;
import dev.warden.incidents.IncidentNotFound;
import dev.warden.reports.PostmortemNotAvailable;
import dev.warden.reports.PostmortemReport;
import dev.warden.reports.PostmortemRevisionNotFound;
import dev.warden.reports.PostmortemSections;
import dev.warden.reports.Postmortems;
import dev.warden.reports.StalePostmortemRevision;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The console's postmortem pages: a resolved incident's report prefilled from its data,
 * with a form for the sections people write (saved as the revision after the one the form
 * was opened at, refused when someone saved in between), and the revision history.
 * Responders write (the console's security lets only them post), viewers read. Before the
 * incident is resolved the pages say so, with 409.
 */
@Controller
@RequestMapping("/incidents/{id}/postmortem")
class PostmortemPages {

	/**
	 * Empty action-item rows under the filled ones: room to add some without a script.
	 */
	static final int EMPTY_ROWS = 3;

	private final Postmortems postmortems;

	PostmortemPages(Postmortems postmortems) {
		this.postmortems = postmortems;
	}

	@GetMapping
	String page(@PathVariable long id, Model model, HttpServletResponse response) {
		try {
			PostmortemReport report = this.postmortems.report(new IncidentId(id), null);
			return page(report, Draft.of(report), Map.of(), model);
		}
		catch (PostmortemNotAvailable ex) {
			return notAvailable(id, ex, model, response);
		}
	}

	@PostMapping
	String save(@PathVariable long id, SectionsForm form, Model model, Authentication user,
			HttpServletResponse response, RedirectAttributes flash) {
		IncidentId incident = new IncidentId(id);
		Draft draft = form.draft();
		try {
			Map<String, String> problems = draft.problems();
			if (!problems.isEmpty()) {
				response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
				return page(this.postmortems.report(incident, null), draft, problems, model);
			}
			PostmortemReport saved = this.postmortems.save(incident, draft.baseRevision(), draft.sections(),
					user.getName());
			flash.addFlashAttribute("message", "Saved revision " + saved.revision());
			return "redirect:/incidents/" + id + "/postmortem";
		}
		catch (StalePostmortemRevision ex) {
			PostmortemReport newest = this.postmortems.report(incident, null);
			response.setStatus(HttpServletResponse.SC_CONFLICT);
			model.addAttribute("conflict", new Conflict(draft.baseRevision(), newest.revision(), newest.savedBy(),
					newest.savedAt(), ex.getMessage()));
			// The form now builds on the newest revision: saving again, after a look at
			// it,
			// is a deliberate choice.
			return page(newest, draft.basedOn(newest.revision()), Map.of(), model);
		}
		catch (PostmortemNotAvailable ex) {
			return notAvailable(id, ex, model, response);
		}
	}

	@GetMapping("/revisions")
	String revisions(@PathVariable long id, Model model, HttpServletResponse response) {
		IncidentId incident = new IncidentId(id);
		try {
			model.addAttribute("report", this.postmortems.report(incident, null));
		}
		catch (PostmortemNotAvailable ex) {
			return notAvailable(id, ex, model, response);
		}
		model.addAttribute("revisions", this.postmortems.revisions(incident));
		return "console/postmortem-revisions";
	}

	@GetMapping("/revisions/{revision}")
	String revision(@PathVariable long id, @PathVariable int revision, Model model, HttpServletResponse response) {
		IncidentId incident = new IncidentId(id);
		try {
			model.addAttribute("report", this.postmortems.report(incident, revision));
			model.addAttribute("newest", this.postmortems.report(incident, null).revision());
		}
		catch (PostmortemNotAvailable ex) {
			return notAvailable(id, ex, model, response);
		}
		return "console/postmortem-revision";
	}

	private String page(PostmortemReport report, Draft draft, Map<String, String> problems, Model model) {
		model.addAttribute("report", report);
		model.addAttribute("draft", draft);
		model.addAttribute("problems", problems);
		return "console/postmortem";
	}

	/**
	 * An unknown incident or revision: the same page as an unresolved incident, with 404
	 * (the API's JSON problem would mean nothing in a browser).
	 */
	@ExceptionHandler({ IncidentNotFound.class, PostmortemRevisionNotFound.class })
	String missing(RuntimeException ex, HttpServletRequest request, HttpServletResponse response, Model model) {
		@SuppressWarnings("unchecked")
		Map<String, String> path = (Map<String, String>) request
			.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
		long id = Long.parseLong(path.get("id"));
		String view = notAvailable(id, ex, model, response);
		response.setStatus(HttpServletResponse.SC_NOT_FOUND);
		return view;
	}

	private static String notAvailable(long id, RuntimeException ex, Model model, HttpServletResponse response) {
		response.setStatus(HttpServletResponse.SC_CONFLICT);
		model.addAttribute("incident", id);
		model.addAttribute("ref", new IncidentId(id).toString());
		model.addAttribute("reason", ex.getMessage());
		return "console/postmortem-unavailable";
	}

	/**
	 * The form as posted: every field as typed, so that a refused save shows it again.
	 *
	 * @param baseRevision the revision the form was opened at (a hidden field)
	 * @param rootCause why it happened
	 * @param contributingFactors what made it worse or likelier
	 * @param wentWell what worked
	 * @param actionItems the action-item rows, empty ones included
	 */
	record SectionsForm(Integer baseRevision, String rootCause, String contributingFactors, String wentWell,
			List<Row> actionItems) {

		Draft draft() {
			List<Row> filled = (this.actionItems != null)
					? this.actionItems.stream().filter((row) -> row != null && !row.isEmpty()).toList() : List.of();
			return new Draft((this.baseRevision != null) ? this.baseRevision : -1, lines(this.rootCause),
					lines(this.contributingFactors), lines(this.wentWell), Row.withEmpty(filled));
		}

		/** Browsers send line breaks as CRLF; they count them as one character. */
		private static String lines(String text) {
			return (text != null) ? text.replace("\r\n", "\n") : "";
		}

	}

	/**
	 * One action-item row of the form.
	 *
	 * @param text what will be done
	 * @param owner who does it
	 * @param due by when, as typed ({@code yyyy-mm-dd})
	 * @param done present when ticked
	 */
	record Row(String text, String owner, String due, String done) {

		static final Row EMPTY = new Row("", "", "", null);

		static Row of(PostmortemSections.ActionItem item) {
			return new Row(item.text(), item.owner(), (item.due() != null) ? item.due().toString() : "",
					item.done() ? "true" : null);
		}

		/** The rows and {@link #EMPTY_ROWS} empty ones after them. */
		static List<Row> withEmpty(List<Row> rows) {
			List<Row> all = new ArrayList<>(rows);
			all.addAll(Collections.nCopies(EMPTY_ROWS, EMPTY));
			return List.copyOf(all);
		}

		/** Whether the row is ticked done; for the template. */
		public boolean ticked() {
			return this.done != null && !this.done.isBlank() && !"false".equalsIgnoreCase(this.done);
		}

		boolean isEmpty() {
			return blank(this.text) && blank(this.owner) && blank(this.due) && !ticked();
		}

		private static boolean blank(String text) {
			return text == null || text.isBlank();
		}

	}

	/**
	 * What the form shows: the written sections as saved or as typed, filled action-item
	 * rows first, then empty ones.
	 *
	 * @param baseRevision the revision the edits start from; negative when the form did
	 * not say
	 * @param rootCause why it happened
	 * @param contributingFactors what made it worse or likelier
	 * @param wentWell what worked
	 * @param rows the action-item rows
	 */
	record Draft(int baseRevision, String rootCause, String contributingFactors, String wentWell, List<Row> rows) {

		static Draft of(PostmortemReport report) {
			PostmortemSections sections = report.sections();
			return new Draft(report.revision(), sections.rootCause(), sections.contributingFactors(),
					sections.wentWell(), Row.withEmpty(sections.actionItems().stream().map(Row::of).toList()));
		}

		Draft basedOn(int revision) {
			return new Draft(revision, this.rootCause, this.contributingFactors, this.wentWell, this.rows);
		}

		/** The revision a save makes. */
		public int nextRevision() {
			return this.baseRevision + 1;
		}

		/** The filled rows, in order: action item {@code i} is row {@code i}. */
		private List<Row> filled() {
			return this.rows.stream().filter((row) -> !row.isEmpty()).toList();
		}

		PostmortemSections sections() {
			return new PostmortemSections(this.rootCause, this.contributingFactors, this.wentWell, filled().stream()
				.map((row) -> new PostmortemSections.ActionItem(row.text(), row.owner(), date(row.due()), row.ticked()))
				.toList());
		}

		/**
		 * What stops a save, by field ({@code rootCause}, {@code actionItems[2].owner},
		 * ...); empty when it can be saved.
		 */
		Map<String, String> problems() {
			Map<String, String> problems = new LinkedHashMap<>();
			if (this.baseRevision < 0) {
				problems.put("baseRevision", "the form does not say which revision it was opened at: reload the page");
			}
			List<Row> filled = filled();
			for (int i = 0; i < filled.size(); i++) {
				String due = filled.get(i).due();
				if (due != null && !due.isBlank() && date(due) == null) {
					problems.put("actionItems[" + i + "].due", "a date like 2026-12-31");
				}
			}
			for (String problem : sections().problems()) {
				int colon = problem.indexOf(": ");
				problems.merge(problem.substring(0, colon), problem.substring(colon + 2), (a, b) -> a + "; " + b);
			}
			return problems;
		}

		private static LocalDate date(String text) {
			if (text == null || text.isBlank()) {
				return null;
			}
			try {
				return LocalDate.parse(text.strip());
			}
			catch (DateTimeException ex) {
				return null;
			}
		}

	}

	/**
	 * A save refused because someone saved another revision since the form was opened.
	 *
	 * @param base the revision the form was opened at
	 * @param newest the newest revision
	 * @param savedBy who saved it, or null when there is none
	 * @param savedAt when, or null
	 * @param reason the refusal in words
	 */
	record Conflict(int base, int newest, String savedBy, Instant savedAt, String reason) {
	}

}
