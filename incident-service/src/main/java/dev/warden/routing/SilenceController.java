package dev.warden.routing;

import java.net.URI;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.warden.access.RequiresScope;
import dev.warden.access.Scope;
import dev.warden.matching.LabelMatcher;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** The silences JSON API. The actor is the API token's name. */
@RestController
@RequestMapping("/api/v1/silences")
@Tag(name = "Silences")
@SecurityRequirement(name = "apiToken")
class SilenceController {

	private final Silences silences;

	private final Clock clock;

	SilenceController(Silences silences, Clock clock) {
		this.silences = silences;
		this.clock = clock;
	}

	@RequiresScope(Scope.RESPOND)
	@PostMapping
	@Operation(summary = "Create a silence: matchers, a time range and a comment")
	ResponseEntity<SilenceView> create(@RequestBody NewSilence request, Principal principal) {
		Silence silence = this.silences.create(request.matchers(), request.startsAt(), request.endsAt(),
				principal.getName(), request.comment());
		return ResponseEntity.created(URI.create("/api/v1/silences/" + silence.id()))
			.body(SilenceView.of(silence, this.clock.instant()));
	}

	@RequiresScope(Scope.READ)
	@GetMapping
	@Operation(summary = "Silences, newest first: active, pending, expired or all")
	List<SilenceView> list(@RequestParam(defaultValue = "all") String state) {
		SilenceState wanted = switch (state.strip().toLowerCase(Locale.ROOT)) {
			case "all" -> null;
			case "active" -> SilenceState.ACTIVE;
			case "pending" -> SilenceState.PENDING;
			case "expired" -> SilenceState.EXPIRED;
			default -> throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"state: '" + state + "' is not one of active, pending, expired, all");
		};
		Instant now = this.clock.instant();
		return this.silences.list(wanted).stream().map((silence) -> SilenceView.of(silence, now)).toList();
	}

	@RequiresScope(Scope.READ)
	@GetMapping("/{id}")
	@Operation(summary = "One silence")
	SilenceView get(@PathVariable UUID id) {
		SilenceId silenceId = new SilenceId(id);
		return SilenceView.of(this.silences.find(silenceId).orElseThrow(() -> new SilenceNotFound(silenceId)),
				this.clock.instant());
	}

	@RequiresScope(Scope.RESPOND)
	@DeleteMapping("/{id}")
	@Operation(summary = "Expire a pending or active silence now; 409 when it has already ended")
	SilenceView expire(@PathVariable UUID id, Principal principal) {
		return SilenceView.of(this.silences.expire(new SilenceId(id), principal.getName()), this.clock.instant());
	}

	@RequiresScope(Scope.READ)
	@GetMapping("/alertmanager")
	@Operation(summary = "Alertmanager's own silences (active and pending, not copies of Warden's), read-only;"
			+ " says when no Alertmanager is configured or it is unreachable")
	AlertmanagerView alertmanager() {
		return AlertmanagerView.of(this.silences.alertmanagerSilences());
	}

	/**
	 * Alertmanager's own silences as the API shows them.
	 *
	 * @param configured whether an Alertmanager API is configured
	 * @param reachable whether it answered
	 * @param address its address, or null
	 * @param error why it could not be read, or null
	 * @param silences its active and pending silences that are not copies of Warden's
	 */
	record AlertmanagerView(boolean configured, boolean reachable, String address, String error,
			List<AlertmanagerSilence> silences) {

		static AlertmanagerView of(AlertmanagerSilences listing) {
			return new AlertmanagerView(listing.configured(), listing.reachable(), listing.address(), listing.error(),
					listing.silences());
		}

	}

	record NewSilence(List<String> matchers, Instant startsAt, Instant endsAt, String comment) {
	}

	/**
	 * A silence as the API shows it.
	 *
	 * @param alertmanager its copy in Alertmanager; null when it is not copied
	 */
	record SilenceView(String id, String state, List<String> matchers, Instant startsAt, Instant endsAt,
			String createdBy, Instant createdAt, String comment, String expiredBy, Instant expiredAt,
			CopyView alertmanager) {

		static SilenceView of(Silence silence, Instant now) {
			return new SilenceView(silence.id().toString(), silence.stateAt(now).name().toLowerCase(Locale.ROOT),
					silence.matchers().stream().map(LabelMatcher::toString).toList(), silence.startsAt(),
					silence.endsAt(), silence.createdBy(), silence.createdAt(), silence.comment(), silence.expiredBy(),
					silence.expiredAt(), CopyView.of(silence.alertmanager()));
		}

	}

	/**
	 * Where a silence's copy in Alertmanager is.
	 *
	 * @param state pending (not yet in Alertmanager), created, failed, expiring or
	 * expired
	 * @param silenceId Alertmanager's id of the copy, once known
	 * @param lastError why the last attempt failed, or why Alertmanager refused it
	 * @param attempts failed attempts in a row
	 * @param syncedAt when Alertmanager last took a change
	 */
	record CopyView(String state, String silenceId, String lastError, int attempts, Instant syncedAt) {

		static CopyView of(AlertmanagerCopy copy) {
			return (copy != null) ? new CopyView(copy.state().value(), copy.silenceId(), copy.lastError(),
					copy.attempts(), copy.syncedAt()) : null;
		}

	}

}
