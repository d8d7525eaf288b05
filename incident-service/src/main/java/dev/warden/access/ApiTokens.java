package dev.warden.access;

import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

/** All API tokens. */
interface ApiTokens extends JpaRepository<ApiToken, Long> {

	Optional<ApiToken> findByTokenHash(byte[] tokenHash);

	Optional<ApiToken> findByName(String name);

}
