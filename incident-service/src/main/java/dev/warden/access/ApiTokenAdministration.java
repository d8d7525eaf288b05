package dev.warden.access;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * API tokens as people manage them: list, issue and revoke. A new token's value is
 * returned once, when it is issued; only its digest is stored.
 */
@Service
public class ApiTokenAdministration {

	/** Longest token name. */
	public static final int MAX_NAME = 64;

	/** Marks Warden's tokens, so secret scanners and people recognise a leaked one. */
	static final String PREFIX = "warden_";

	private static final SecureRandom random = new SecureRandom();

	private final ApiTokens tokens;

	private final Clock clock;

	private final Audit audit;

	ApiTokenAdministration(ApiTokens tokens, Clock clock, Audit audit) {
		this.tokens = tokens;
		this.clock = clock;
		this.audit = audit;
	}

	/** Every token, revoked ones included, oldest first. */
	@Transactional(readOnly = true)
	public List<Token> list() {
		return this.tokens.findAll(Sort.by("id")).stream().map(ApiTokenAdministration::token).toList();
	}

	/**
	 * Issues a new token.
	 * @param name what the token is for; unique among all tokens, revoked ones included
	 * @return the token with its value, which cannot be read again later
	 * @throws InvalidApiTokenName when the name is blank, too long, has control
	 * characters or is taken
	 */
	@Transactional
	public Issued issue(String name) {
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
		if (this.tokens.findByName(stripped).isPresent()) {
			throw taken(stripped);
		}
		String value = newValue();
		try {
			ApiToken token = this.tokens
				.saveAndFlush(new ApiToken(stripped, ApiTokenAuthentication.digest(value), this.clock.instant()));
			this.audit.record("token.issue", token.name(), null, "active", Map.of("id", token.id()));
			return new Issued(token(token), value);
		}
		catch (DataIntegrityViolationException ex) {
			// Someone issued a token with this name at the same moment.
			throw taken(stripped);
		}
	}

	/**
	 * Revokes a token: it stops authenticating at once. A revoked bootstrap token comes
	 * back on the next start (it is kept in place from configuration).
	 * @return false when there is no such token
	 */
	@Transactional
	public boolean revoke(long id) {
		return this.tokens.findById(id).map((token) -> {
			if (token.isActive()) {
				this.audit.record("token.revoke", token.name(), "active", "revoked", Map.of("id", id));
			}
			token.revoke(this.clock.instant());
			return true;
		}).orElse(false);
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
		return new Token(token.id(), token.name(), token.createdAt(), token.revokedAt(),
				ApiTokenAuthentication.BOOTSTRAP.equals(token.name()));
	}

	/**
	 * An API token as listed; never its value.
	 *
	 * @param id the token's id
	 * @param name what it is for
	 * @param createdAt when it was issued
	 * @param revokedAt when it was revoked; null while active
	 * @param bootstrap whether it is the bootstrap token, which configuration keeps in
	 * place
	 */
	public record Token(long id, String name, Instant createdAt, Instant revokedAt, boolean bootstrap) {

		public boolean active() {
			return this.revokedAt == null;
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
