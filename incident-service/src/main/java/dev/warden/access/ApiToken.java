package dev.warden.access;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An API token; only its SHA-256 digest is stored. */
@Entity
@Table(name = "api_token")
class ApiToken {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	private String name;

	private byte[] tokenHash;

	private Instant createdAt;

	private Instant revokedAt;

	@JdbcTypeCode(SqlTypes.ARRAY)
	private String[] scopes;

	private Instant expiresAt;

	private String createdBy;

	private Instant lastUsedAt;

	private boolean givenAdminByUpgrade;

	protected ApiToken() {
	}

	ApiToken(String name, byte[] tokenHash, Set<Scope> scopes, Instant expiresAt, String createdBy, Instant createdAt) {
		this.name = name;
		this.tokenHash = tokenHash.clone();
		this.scopes = scopes.stream().sorted().map(Scope::value).toArray(String[]::new);
		this.expiresAt = expiresAt;
		this.createdBy = createdBy;
		this.createdAt = createdAt;
	}

	Long id() {
		return this.id;
	}

	String name() {
		return this.name;
	}

	Instant createdAt() {
		return this.createdAt;
	}

	Instant revokedAt() {
		return this.revokedAt;
	}

	/** The scopes as given; a check constraint keeps unknown names out of the table. */
	Set<Scope> scopes() {
		Set<Scope> scopes = EnumSet.noneOf(Scope.class);
		Arrays.stream(this.scopes).map(Scope::of).forEach((scope) -> scope.ifPresent(scopes::add));
		return scopes;
	}

	Instant expiresAt() {
		return this.expiresAt;
	}

	String createdBy() {
		return this.createdBy;
	}

	Instant lastUsedAt() {
		return this.lastUsedAt;
	}

	/** Whether it existed before tokens had scopes, and was made admin then. */
	boolean givenAdminByUpgrade() {
		return this.givenAdminByUpgrade;
	}

	/** Whether it authenticates at this instant: not revoked and not expired. */
	boolean isActiveAt(Instant now) {
		return this.revokedAt == null && (this.expiresAt == null || now.isBefore(this.expiresAt));
	}

	/** Stops the token from authenticating; revoking a revoked token changes nothing. */
	void revoke(Instant at) {
		if (this.revokedAt == null) {
			this.revokedAt = at;
		}
	}

}
