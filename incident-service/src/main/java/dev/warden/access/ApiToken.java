package dev.warden.access;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

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

	protected ApiToken() {
	}

	ApiToken(String name, byte[] tokenHash, Instant createdAt) {
		this.name = name;
		this.tokenHash = tokenHash.clone();
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

	boolean isActive() {
		return this.revokedAt == null;
	}

	/** Stops the token from authenticating; revoking a revoked token changes nothing. */
	void revoke(Instant at) {
		if (this.revokedAt == null) {
			this.revokedAt = at;
		}
	}

}
