package dev.warden.access;

import java.util.concurrent.Semaphore;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Lets only a few password hashes be computed at once. Argon2 takes 16 MiB per hash by
 * design, and requests run on virtual threads without a pool to bound them: without this
 * limit a burst of sign-in attempts could exhaust the heap. Extra attempts wait their
 * turn instead.
 */
final class BoundedPasswordEncoder implements PasswordEncoder {

	private final PasswordEncoder delegate;

	private final Semaphore permits;

	BoundedPasswordEncoder(PasswordEncoder delegate, int concurrentHashes) {
		this.delegate = delegate;
		this.permits = new Semaphore(concurrentHashes, true);
	}

	@Override
	public String encode(CharSequence rawPassword) {
		acquire();
		try {
			return this.delegate.encode(rawPassword);
		}
		finally {
			this.permits.release();
		}
	}

	@Override
	public boolean matches(CharSequence rawPassword, String encodedPassword) {
		acquire();
		try {
			return this.delegate.matches(rawPassword, encodedPassword);
		}
		finally {
			this.permits.release();
		}
	}

	@Override
	public boolean upgradeEncoding(String encodedPassword) {
		return this.delegate.upgradeEncoding(encodedPassword);
	}

	private void acquire() {
		try {
			this.permits.acquire();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting to hash a password", ex);
		}
	}

}
