package dev.warden.access;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * API tokens as people and admin tokens manage them: list, issue and revoke. A new
 * token's value is returned once, when it is issued; only its digest is stored.
 */
@Service
public class ApiTokenAdministration {

	/** Longest token name. */
	public static final int MAX_NAME = 64;

	/** Marks Warden's tokens, so secret scanners and people recognise a leaked one. */
	static final String PREFIX = "warden_";

	/** The latest expiry a token may have. */
	static final Instant LATEST_EXPIRY = Instant.parse("9999-12-31T23:59:59Z");

	private static final SecureRandom random = new SecureRandom();

	private final ApiTokens tokens;

	private final Clock clock;

	private final Audit audit;

	ApiTokenAdministration(ApiTokens tokens, Clock clock, Audit audit) {
		this.tokens = tokens;
		this.clock = clock;
		this.audit = audit;
	}

	/** Every token, revoked and expired ones included, oldest first. */
	@Transactional(readOnly = true)
	public List<Token> list() {
		return this.tokens.findAll(Sort.by("id")).stream().map(ApiTokenAdministration::token).toList();
	}

	/**
	 * Issues a new token. Every argument is checked before anything is written.
	 * @param name what the token is for; unique among all tokens, revoked ones included
	 * @param scopes the scope names ({@code read}, {@code respond}, {@code automate},
	 * {@code admin}), at least one
	 * @param expiresAt when it stops working; null for never; must be in the future
	 * @param createdBy who issues it: a console username or an admin token's name
	 * @return the token with its value, which cannot be read again later
	 * @throws InvalidApiTokenName when the name is blank, too long, has control
	 * characters or is taken
	 * @throws InvalidApiTokenRequest when the scopes or the expiry are wrong
	 */
	@Transactional
	public Issued issue(String name, Collection<String> scopes, Instant expiresAt, String createdBy) {
		String stripped = (name != null) ? name.strip() : "";
		if (stripped.isEmpty()) {
			throw new InvalidApiTokenName("Give the token a name that says who or what uses it.");
		}
		if (stripped.length() > MAX_NAME) {
			throw new InvalidApiTokenName("A token name has at most " + MAX_NAME + " characters.");
		}
		if (stripped.chars().anyMatch(Character::isISOControl)) {
			throw new InvalidApiTokenName("A token name cannot contain control characters.");
		}
		Set<Scope> granted = scopes(scopes);
		Instant now = this.clock.instant();
		if (expiresAt != null && !expiresAt.isAfter(now)) {
			throw new InvalidApiTokenRequest(
					"The expiry " + expiresAt + " is not in the future (now is " + now + "); leave it out for none.");
		}
		if (expiresAt != null && expiresAt.isAfter(LATEST_EXPIRY)) {
			// PostgreSQL cannot hold every Instant; a far-off expiry means none.
			throw new InvalidApiTokenRequest(
					"The expiry " + expiresAt + " is too far away (after year 9999); leave it out for none.");
		}
		if (this.tokens.findByName(stripped).isPresent()) {
			throw taken(stripped);
		}
		String value = newValue();
		try {
			ApiToken token = this.tokens.saveAndFlush(
					new ApiToken(stripped, ApiTokenAuthentication.digest(value), granted, expiresAt, createdBy, now));
			this.audit.record("token.issue", token.name(), null, "active", issueDetails(token));
			return new Issued(token(token), value);
		}
		catch (DataIntegrityViolationException ex) {
			// Someone issued a token with this name at the same moment.
			throw taken(stripped);
		}
	}

	/**
	 * Revokes a token: it stops authenticating at once, for good; the bootstrap token too
	 * stays revoked across restarts.
	 * @return false when there is no such token; true when it is revoked now or was
	 * already
	 */
	@Transactional
	public boolean revoke(long id) {
		return this.tokens.findById(id).map((token) -> {
			if (token.revokedAt() == null) {
				this.audit.record("token.revoke", token.name(), "active", "revoked", Map.of("id", id));
			}
			token.revoke(this.clock.instant());
			return true;
		}).orElse(false);
	}

	private static Map<String, Object> issueDetails(ApiToken token) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("id", token.id());
		details.put("scopes", token.scopes().stream().sorted().map(Scope::value).toList());
		if (token.expiresAt() != null) {
			details.put("expiresAt", token.expiresAt().toString());
		}
		return details;
	}

	private static Set<Scope> scopes(Collection<String> names) {
		if (names == null || names.stream().allMatch((name) -> name == null || name.isBlank())) {
			throw new InvalidApiTokenRequest("Give the token at least one scope: " + Scope.names() + ".");
		}
		Set<Scope> scopes = EnumSet.noneOf(Scope.class);
		for (String name : names) {
			if (name == null || name.isBlank()) {
				continue;
			}
			scopes.add(Scope.of(name)
				.orElseThrow(() -> new InvalidApiTokenRequest(
						"'" + name + "' is not a scope; the scopes are " + Scope.names() + ".")));
		}
		return scopes;
	}

	private static InvalidApiTokenName taken(String name) {
		return new InvalidApiTokenName(
				"A token named '" + name + "' exists already (revoked tokens keep their names); choose another name.");
	}

	private static String newValue() {
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private static Token token(ApiToken token) {
		return new Token(token.id(), token.name(), token.scopes().stream().sorted().toList(), token.expiresAt(),
				token.createdBy(), token.createdAt(), token.lastUsedAt(), token.revokedAt(),
				ApiTokenAuthentication.BOOTSTRAP.equals(token.name()), token.givenAdminByUpgrade());
	}

	/**
	 * An API token as listed; never its value.
	 *
	 * @param id the token's id
	 * @param name what it is for
	 * @param scopes what it may do, in the order read, respond, automate, admin,
	 * heartbeat
	 * @param expiresAt when it stops working; null for never
	 * @param createdBy the console user or admin token that issued it; null for tokens
	 * older than this record
	 * @param createdAt when it was issued
	 * @param lastUsedAt when it last authenticated a request, to the minute; null for
	 * never
	 * @param revokedAt when it was revoked; null while not revoked
	 * @param bootstrap whether it is the bootstrap token, which configuration puts in
	 * place until it is revoked
	 * @param givenAdminByUpgrade whether it was issued before tokens had scopes and made
	 * admin then
	 */
	public record Token(long id, String name, List<Scope> scopes, Instant expiresAt, String createdBy,
			Instant createdAt, Instant lastUsedAt, Instant revokedAt, boolean bootstrap, boolean givenAdminByUpgrade) {

		/** Whether it is revoked. */
		public boolean revoked() {
			return this.revokedAt != null;
		}

		/** Whether it has expired by {@code now}. */
		public boolean expiredAt(Instant now) {
			return this.expiresAt != null && !now.isBefore(this.expiresAt);
		}

		/** Whether it authenticates at {@code now}: neither revoked nor expired. */
		public boolean activeAt(Instant now) {
			return !revoked() && !expiredAt(now);
		}

		/** {@code active}, {@code expired} or {@code revoked} (revoked wins). */
		public String statusAt(Instant now) {
			return revoked() ? "revoked" : expiredAt(now) ? "expired" : "active";
		}

		/** The scope names, like {@code read, respond}. */
		public String scopeNames() {
			return String.join(", ", this.scopes.stream().map(Scope::value).toList());
		}

	}

	/**
	 * A token just issued, with the value its user sends as
	 * {@code Authorization: Bearer <value>}.
	 *
	 * @param token the token
	 * @param value its value; shown once, never stored
	 */
	public record Issued(Token token, String value) {

		@Override
		public String toString() {
			return "Issued[token=" + this.token + "]";
		}

	}

}
