package dev.warden.reports;

import jakarta.servlet.http.HttpServletRequest;

import dev.warden.incidents.IncidentId;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.stereotype.Controller;

/**
 * The postmortem exports for signed-in console users (the same documents the API serves
 * to API tokens): the printable page, Markdown and PDF. The printable page links its
 * stylesheet: the console's Content-Security-Policy allows no inline styles.
 */
@Controller
class PostmortemDownloads {

	private final Postmortems postmortems;

	PostmortemDownloads(Postmortems postmortems) {
		this.postmortems = postmortems;
	}

	@GetMapping(value = "/incidents/{id}/postmortem/print", produces = MediaType.TEXT_HTML_VALUE)
	@ResponseBody
	String print(@PathVariable long id, @RequestParam(required = false) Integer revision, HttpServletRequest request) {
		return this.postmortems.html(this.postmortems.report(new IncidentId(id), revision),
				request.getContextPath() + Postmortems.STYLESHEET);
	}

	@GetMapping("/incidents/{id}/postmortem.md")
	ResponseEntity<String> markdown(@PathVariable long id, @RequestParam(required = false) Integer revision) {
		PostmortemReport report = this.postmortems.report(new IncidentId(id), revision);
		return download(this.postmortems.markdown(report), "text/markdown;charset=UTF-8", report, "md");
	}

	@GetMapping("/incidents/{id}/postmortem.pdf")
	ResponseEntity<byte[]> pdf(@PathVariable long id, @RequestParam(required = false) Integer revision) {
		PostmortemReport report = this.postmortems.report(new IncidentId(id), revision);
		return download(this.postmortems.pdf(report), MediaType.APPLICATION_PDF_VALUE, report, "pdf");
	}

	static <T> ResponseEntity<T> download(T body, String type, PostmortemReport report, String extension) {
		return ResponseEntity.ok()
			.header(HttpHeaders.CONTENT_TYPE, type)
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment()
						.filename("postmortem-" + report.ref() + "-r" + report.revision() + "." + extension)
						.build()
						.toString())
			.body(body);
	}

}
