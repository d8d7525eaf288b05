package dev.warden.access;

import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.data.domain.Page;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit log through the JSON API, newest first, filtered and paged. */
@RestController
@RequestMapping("/api/v1/audit")
@Validated
@Tag(name = "Audit")
@SecurityRequirement(name = "apiToken")
class AuditController {

	private final Audit audit;

	AuditController(Audit audit) {
		this.audit = audit;
	}

	@RequiresScope(Scope.ADMIN)
	@GetMapping
	@Operation(summary = "Changes made by people and tokens, newest first: filter by actor, action or action "
			+ "prefix (incident), target, channel (console, api, slack) and time range [from, to)")
	AuditPage list(@RequestParam(required = false) String actor, @RequestParam(required = false) String action,
			@RequestParam(required = false) String target, @RequestParam(required = false) String channel,
			@RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
			@RequestParam(defaultValue = "0") @Min(0) @Max(100_000) int page,
			@RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
		var query = new AuditQuery(actor, action, target,
				(channel != null && !channel.isBlank()) ? Audit.Channel.of(channel) : null, from, to);
		Page<AuditEntry> found = this.audit.find(query, page, size);
		return new AuditPage(found.getContent(), found.getNumber(), found.getSize(), found.getTotalElements(),
				found.getTotalPages());
	}

	record AuditPage(List<AuditEntry> items, int page, int size, long totalItems, int totalPages) {
	}

}
