package dev.warden.console;

import java.util.UUID;

import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.warden.access.SignedInUser;
import dev.warden.web.TransientFailures;

import org.springframework.beans.TypeMismatchException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.ui.Model;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * Errors on console pages as a page in the console's layout, not as the API's JSON
 * problem: the status, the reason in words for errors that declare their status (not
 * found, conflict, bad input), and a reference to the log for anything else. It serves
 * the console module's controllers (none of them REST) ahead of the API's handler, which
 * keeps everything else; the postmortem pages handle their refusals themselves.
 */
@ControllerAdvice(basePackageClasses = ConsoleErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleErrors {

	private static final Logger log = LoggerFactory.getLogger(ConsoleErrors.class);

	@ExceptionHandler(Exception.class)
	String page(Exception ex, Model model, HttpServletResponse response) throws Exception {
		HttpStatus status;
		String reason;
		ResponseStatus declared = AnnotatedElementUtils.findMergedAnnotation(ex.getClass(), ResponseStatus.class);
		if (declared != null && declared.code().is4xxClientError()) {
			status = declared.code();
			reason = ex.getMessage();
		}
		else if (TransientFailures.isTransient(ex)) {
			status = HttpStatus.SERVICE_UNAVAILABLE;
			log.warn("Console page unavailable, transient trouble: {}", ex.toString());
			reason = "Warden cannot reach its database right now; try again in a few seconds";
		}
		else if (ex instanceof ErrorResponse answer) {
			status = HttpStatus.valueOf(answer.getStatusCode().value());
			reason = (answer.getBody().getDetail() != null) ? answer.getBody().getDetail() : status.getReasonPhrase();
		}
		else if (ex instanceof TypeMismatchException mismatch) {
			status = HttpStatus.BAD_REQUEST;
			reason = "'%s' is not a valid %s".formatted(mismatch.getValue(),
					(mismatch.getPropertyName() != null) ? mismatch.getPropertyName() : "value");
		}
		else if (ex instanceof org.springframework.security.access.AccessDeniedException) {
			throw ex;
		}
		else {
			status = HttpStatus.INTERNAL_SERVER_ERROR;
			String reference = UUID.randomUUID().toString();
			log.error("Unexpected error on a console page, reference {}", reference, ex);
			reason = "Unexpected error in Warden; its log has the details under reference " + reference;
		}
		response.setStatus(status.value());
		var signedIn = SecurityContextHolder.getContext().getAuthentication();
		model.addAttribute("currentUser",
				(signedIn != null && signedIn.getPrincipal() instanceof SignedInUser user) ? user : null);
		model.addAttribute("errorStatus", status.value());
		model.addAttribute("errorTitle", status.getReasonPhrase());
		model.addAttribute("reason", reason);
		return "console/error";
	}

}
