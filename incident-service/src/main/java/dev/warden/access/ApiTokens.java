package dev.warden.access;

import java.time.Instant;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

/** All API tokens. */
interface ApiTokens extends JpaRepository<ApiToken, Long> {

	Optional<ApiToken> findByTokenHash(byte[] tokenHash);

	Optional<ApiToken> findByName(String name);

	/**
	 * Puts an active token with this name and digest in place, in one statement, so that
	 * instances starting together do not fail on each other's insert.
	 */
	@Modifying
	@Query(nativeQuery = true, value = """
			insert into api_token (name, token_hash, created_at) values (:name, :tokenHash, :at)
			on conflict (name) do update set token_hash = excluded.token_hash, revoked_at = null""")
	void putActive(String name, byte[] tokenHash, Instant at);

}
