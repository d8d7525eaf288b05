package dev.warden.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.ConstraintViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Maps every error of the JSON APIs (and of requests no controller takes) to an RFC 9457
 * problem; the console's pages have their own error page, whose handler comes first: what
 * is wrong and where. Bad input is 4xx and never retried by Alertmanager; transient
 * trouble is 503 with {@code Retry-After}; only bugs are 500.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		PayloadTooLarge tooLarge = cause(ex, PayloadTooLarge.class);
		if (tooLarge != null) {
			return problem(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage(), null);
		}
		JacksonException json = cause(ex, JacksonException.class);
		if (json == null) {
			String detail = (ex.getMessage() != null && ex.getMessage().startsWith("Required request body is missing"))
					? "The request body is empty; a JSON document is required" : "The request body cannot be read";
			return problem(HttpStatus.BAD_REQUEST, detail, null);
		}
		if (json.getPath().isEmpty()) {
			var location = json.getLocation();
			String where = (location != null && location.getLineNr() > 0)
					? " at line %d, column %d".formatted(location.getLineNr(), location.getColumnNr()) : "";
			return problem(HttpStatus.BAD_REQUEST, "Malformed JSON" + where + ": " + json.getOriginalMessage(), null);
		}
		String field = path(json.getPath());
		String reason = firstLine(json.getOriginalMessage());
		return problem(HttpStatus.BAD_REQUEST, "Invalid value at " + field + ": " + reason,
				List.of(Map.of("field", field, "pointer", pointer(json.getPath()), "detail", reason)));
	}

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Map<String, String>> errors = new ArrayList<>();
		for (FieldError error : ex.getBindingResult().getFieldErrors()) {
			String field = error.getField().replaceAll("<[^>]*>", "");
			errors.add(Map.of("field", field, "pointer", "/" + field.replaceAll("\\[(\\d+)]", ".$1").replace('.', '/'),
					"detail", field + " " + error.getDefaultMessage()));
		}
		ex.getBindingResult()
			.getGlobalErrors()
			.forEach((error) -> errors.add(Map.of("field", "", "pointer", "", "detail", error.getDefaultMessage())));
		errors.sort(Comparator.comparing((Map<String, String> error) -> error.get("field")));
		String detail = "Invalid request: "
				+ String.join("; ", errors.stream().map((error) -> error.get("detail")).limit(5).toList())
				+ ((errors.size() > 5) ? "; and %d more".formatted(errors.size() - 5) : "");
		return problem(HttpStatus.BAD_REQUEST, detail, errors);
	}

	@Override
	protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<String> messages = ex.getParameterValidationResults()
			.stream()
			.flatMap((result) -> result.getResolvableErrors()
				.stream()
				.map((error) -> result.getMethodParameter().getParameterName() + " " + error.getDefaultMessage()))
			.toList();
		return problem(HttpStatus.BAD_REQUEST, "Invalid request: " + String.join("; ", messages), null);
	}

	@ExceptionHandler(ConstraintViolationException.class)
	ResponseEntity<Object> badRequest(ConstraintViolationException ex) {
		return problem(HttpStatus.BAD_REQUEST, ex.getMessage(), null);
	}

	/**
	 * Feature modules declare their exceptions' status with {@link ResponseStatus} (not
	 * found, conflict, bad input); this module knows none of them. Everything else is
	 * transient trouble (503) or a bug (500).
	 */
	@ExceptionHandler(Exception.class)
	ResponseEntity<Object> unexpected(Exception ex) {
		ResponseStatus declared = AnnotatedElementUtils.findMergedAnnotation(ex.getClass(), ResponseStatus.class);
		if (declared != null) {
			return problem(declared.code(), ex.getMessage(), null);
		}
		if (TransientFailures.isTransient(ex)) {
			log.warn("Answering 503, transient trouble: {}", ex.toString());
			ResponseEntity<Object> response = problem(HttpStatus.SERVICE_UNAVAILABLE,
					"Warden cannot store this right now (database unavailable or busy); retry shortly", null);
			return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
				.header(HttpHeaders.RETRY_AFTER, "5")
				.body(response.getBody());
		}
		String reference = UUID.randomUUID().toString();
		log.error("Unexpected error, reference {}", reference, ex);
		return problem(HttpStatus.INTERNAL_SERVER_ERROR,
				"Unexpected error in Warden; its log has the details under reference " + reference, null);
	}

	private static ResponseEntity<Object> problem(HttpStatus status, String detail, List<?> errors) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		if (errors != null) {
			problem.setProperty("errors", errors);
		}
		return ResponseEntity.status(status).body(problem);
	}

	private static String path(List<JacksonException.Reference> references) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : references) {
			if (reference.getPropertyName() != null) {
				path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.toString();
	}

	private static String pointer(List<JacksonException.Reference> references) {
		StringBuilder pointer = new StringBuilder();
		for (JacksonException.Reference reference : references) {
			pointer.append('/')
				.append((reference.getPropertyName() != null)
						? reference.getPropertyName().replace("~", "~0").replace("/", "~1")
						: String.valueOf(reference.getIndex()));
		}
		return pointer.toString();
	}

	private static String firstLine(String message) {
		if (message == null) {
			return "invalid value";
		}
		int newline = message.indexOf('\n');
		return (newline >= 0) ? message.substring(0, newline) : message;
	}

	private static <T extends Throwable> T cause(Throwable ex, Class<T> type) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

}
