package dev.warden.reports;

import java.security.Principal;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.warden.access.RequiresScope;
import dev.warden.access.Scope;
import dev.warden.incidents.IncidentId;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Postmortems through the JSON API: read the prefilled report, save sections as a new
 * revision, list revisions, export Markdown, printable HTML and PDF. The author is the
 * API token's name.
 */
@RestController
@RequestMapping("/api/v1/incidents/{id}")
@Tag(name = "Postmortems")
@SecurityRequirement(name = "apiToken")
class PostmortemController {

	private final Postmortems postmortems;

	PostmortemController(Postmortems postmortems) {
		this.postmortems = postmortems;
	}

	@RequiresScope(Scope.READ)
	@GetMapping("/postmortem")
	@Operation(summary = "The postmortem of a resolved incident (409 before): prefilled data and the written "
			+ "sections, at the newest or a given revision")
	PostmortemReport get(@PathVariable long id, @RequestParam(required = false) Integer revision) {
		return this.postmortems.report(new IncidentId(id), revision);
	}

	@RequiresScope(Scope.RESPOND)
	@PutMapping("/postmortem")
	@Operation(summary = "Save the written sections as the revision after baseRevision (0 for the first); "
			+ "409 when someone saved in between")
	PostmortemReport save(@PathVariable long id, @RequestBody SaveRequest request, Principal principal) {
		return this.postmortems.save(new IncidentId(id), request.baseRevision(), request.sections(),
				principal.getName());
	}

	@RequiresScope(Scope.READ)
	@GetMapping("/postmortem/revisions")
	@Operation(summary = "The postmortem's saved revisions, newest first")
	List<Postmortems.RevisionInfo> revisions(@PathVariable long id) {
		return this.postmortems.revisions(new IncidentId(id));
	}

	@RequiresScope(Scope.READ)
	@GetMapping(value = "/postmortem.md", produces = "text/markdown;charset=UTF-8")
	@Operation(summary = "The postmortem as Markdown")
	ResponseEntity<String> markdown(@PathVariable long id, @RequestParam(required = false) Integer revision) {
		PostmortemReport report = this.postmortems.report(new IncidentId(id), revision);
		return PostmortemDownloads.download(this.postmortems.markdown(report), "text/markdown;charset=UTF-8", report,
				"md");
	}

	@RequiresScope(Scope.READ)
	@GetMapping(value = "/postmortem.html", produces = MediaType.TEXT_HTML_VALUE)
	@Operation(summary = "The postmortem as a printable HTML page")
	String html(@PathVariable long id, @RequestParam(required = false) Integer revision) {
		return this.postmortems.html(this.postmortems.report(new IncidentId(id), revision));
	}

	@RequiresScope(Scope.READ)
	@GetMapping(value = "/postmortem.pdf", produces = MediaType.APPLICATION_PDF_VALUE)
	@Operation(summary = "The postmortem as PDF")
	ResponseEntity<byte[]> pdf(@PathVariable long id, @RequestParam(required = false) Integer revision) {
		PostmortemReport report = this.postmortems.report(new IncidentId(id), revision);
		return PostmortemDownloads.download(this.postmortems.pdf(report), MediaType.APPLICATION_PDF_VALUE, report,
				"pdf");
	}

	/**
	 * A save.
	 *
	 * @param baseRevision the revision the edits start from; 0 for the first save
	 * @param rootCause why it happened
	 * @param contributingFactors what made it worse or likelier
	 * @param wentWell what worked
	 * @param actionItems what will be done, by whom
	 */
	record SaveRequest(int baseRevision, String rootCause, String contributingFactors, String wentWell,
			List<PostmortemSections.ActionItem> actionItems) {

		PostmortemSections sections() {
			return new PostmortemSections(this.rootCause, this.contributingFactors, this.wentWell, this.actionItems);
		}

	}

}
