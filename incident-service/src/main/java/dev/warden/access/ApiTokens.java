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
	 * Puts the bootstrap token in place with this digest and the admin scope, in one
	 * statement, so that instances starting together do not fail on each other's insert.
	 * A revoked token is left alone: revoking it is for good.
	 * @return 1 when the token is active with this digest, 0 when it is revoked
	 */
	@Modifying
	@Query(nativeQuery = true, value = """
			insert into api_token (name, token_hash, created_at, scopes, created_by)
			values (:name, :tokenHash, :at, array['admin'], 'configuration')
			on conflict (name) do update set token_hash = excluded.token_hash, scopes = excluded.scopes
			where api_token.revoked_at is null""")
	int putBootstrap(String name, byte[] tokenHash, Instant at);

	/**
	 * Records a use, unless one was recorded since {@code unlessSince}: a write a minute
	 * per token rather than one per request.
	 */
	@Modifying
	@Query(nativeQuery = true, value = """
			update api_token set last_used_at = :at
			where id = :id and (last_used_at is null or last_used_at < :unlessSince)""")
	int used(long id, Instant at, Instant unlessSince);

}
