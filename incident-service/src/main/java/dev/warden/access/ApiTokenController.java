package dev.warden.access;

import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.warden.access.ApiTokenAdministration.Issued;
import dev.warden.access.ApiTokenAdministration.Token;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * API tokens through the API, for admin tokens: issue one (its value answered once), list
 * them (never their values), revoke one. The issuer recorded is the calling token's name.
 */
@RestController
@RequestMapping("/api/v1/tokens")
@RequiresScope(Scope.ADMIN)
@Tag(name = "API tokens")
@SecurityRequirement(name = "apiToken")
class ApiTokenController {

	private static final Logger log = LoggerFactory.getLogger(ApiTokenController.class);

	private final ApiTokenAdministration tokens;

	private final Clock clock;

	ApiTokenController(ApiTokenAdministration tokens, Clock clock) {
		this.tokens = tokens;
		this.clock = clock;
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(
			summary = "Issue a token with scopes (read, respond, automate, admin, heartbeat) and an optional expiry; "
					+ "the answer holds its value, which cannot be read again")
	IssuedView issue(@RequestBody NewToken request, Principal principal) {
		Issued issued = this.tokens.issue(request.name(), request.scopes(), expiry(request.expiresAt()),
				principal.getName());
		log.info("API token '{}' issued API token '{}' with scopes {}", principal.getName(), issued.token().name(),
				issued.token().scopeNames());
		return IssuedView.of(issued);
	}

	@GetMapping
	@Operation(summary = "Every token, revoked and expired ones included, oldest first; never their values")
	List<TokenView> list() {
		Instant now = this.clock.instant();
		return this.tokens.list().stream().map((token) -> TokenView.of(token, now)).toList();
	}

	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(summary = "Revoke a token: it stops working at once, for good (revoking again changes nothing)")
	void revoke(@PathVariable long id, Principal principal) {
		if (!this.tokens.revoke(id)) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no API token " + id);
		}
		log.info("API token '{}' revoked API token {}", principal.getName(), id);
	}

	private static Instant expiry(String text) {
		if (text == null || text.isBlank()) {
			return null;
		}
		try {
			return Instant.parse(text.strip());
		}
		catch (DateTimeParseException ex) {
			throw new InvalidApiTokenRequest("expiresAt: '" + text
					+ "' is not an ISO-8601 instant such as 2027-01-31T00:00:00Z; leave it out for none.");
		}
	}

	/**
	 * A token to issue.
	 *
	 * @param name who or what uses it; unique
	 * @param scopes one or more of read, respond, automate, admin, heartbeat
	 * @param expiresAt when it stops working (ISO-8601 instant); absent for never
	 */
	record NewToken(String name, List<String> scopes, String expiresAt) {
	}

	/**
	 * A token just issued.
	 *
	 * @param token its value, to send as {@code Authorization: Bearer <token>}; shown
	 * this once
	 */
	record IssuedView(long id, String name, List<String> scopes, Instant expiresAt, String createdBy, Instant createdAt,
			String token) {

		static IssuedView of(Issued issued) {
			Token token = issued.token();
			return new IssuedView(token.id(), token.name(), names(token), token.expiresAt(), token.createdBy(),
					token.createdAt(), issued.value());
		}

	}

	/**
	 * A token as listed.
	 *
	 * @param status {@code active}, {@code expired} or {@code revoked}
	 * @param bootstrap whether it is the bootstrap token from configuration
	 * @param givenAdminByUpgrade whether it predates scopes and was made admin then
	 */
	record TokenView(long id, String name, List<String> scopes, String status, Instant expiresAt, String createdBy,
			Instant createdAt, Instant lastUsedAt, Instant revokedAt, boolean bootstrap, boolean givenAdminByUpgrade) {

		static TokenView of(Token token, Instant now) {
			return new TokenView(token.id(), token.name(), names(token), token.statusAt(now), token.expiresAt(),
					token.createdBy(), token.createdAt(), token.lastUsedAt(), token.revokedAt(), token.bootstrap(),
					token.givenAdminByUpgrade());
		}

	}

	private static List<String> names(Token token) {
		return token.scopes().stream().map(Scope::value).toList();
	}

}
