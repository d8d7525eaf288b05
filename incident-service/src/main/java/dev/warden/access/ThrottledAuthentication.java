package dev.warden.access;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.authentication.AccountStatusException;
import org.springframework.security.authentication.AccountStatusUserDetailsChecker;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Checks a console sign-in: takes an attempt from the sign-in budgets of the username
 * from this client address and of the address (refusing outright when either is spent),
 * then checks the password against the stored hash; a success gives the attempt back.
 * Unknown users, wrong passwords and disabled users fail alike, and the password is
 * checked before the account's status, so neither the answer nor its timing tells whether
 * a user exists.
 */
class ThrottledAuthentication implements AuthenticationProvider {

	private static final Logger log = LoggerFactory.getLogger(ThrottledAuthentication.class);

	private final ConsoleUsers users;

	private final LoginThrottle throttle;

	private final DaoAuthenticationProvider passwords;

	ThrottledAuthentication(ConsoleUsers users, LoginThrottle throttle, PasswordEncoder passwordEncoder) {
		this.users = users;
		this.throttle = throttle;
		this.passwords = new DaoAuthenticationProvider(this::userDetails);
		this.passwords.setPasswordEncoder(passwordEncoder);
		// Hashes in an older format (such as {bcrypt}) are replaced by the current one.
		this.passwords.setUserDetailsPasswordService((user, newHash) -> {
			users.rehash(new Username(user.getUsername()), newHash);
			return User.withUserDetails(user).password(newHash).build();
		});
		this.passwords.setPreAuthenticationChecks((user) -> {
		});
		this.passwords.setPostAuthenticationChecks(new AccountStatusUserDetailsChecker());
	}

	@Override
	public Authentication authenticate(Authentication attempt) throws AuthenticationException {
		try {
			return check(attempt);
		}
		catch (AuthenticationException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			log.warn("Cannot check a console sign-in: {}", ex.toString());
			throw new InternalAuthenticationServiceException("Cannot check sign-ins right now", ex);
		}
	}

	private Authentication check(Authentication attempt) {
		String username = Username.normalise(attempt.getName());
		String address = (attempt.getDetails() instanceof WebAuthenticationDetails details
				&& details.getRemoteAddress() != null) ? details.getRemoteAddress() : "unknown";
		// Taken before the password is checked, so that parallel posts cannot all reach
		// the check while the count still looks low.
		LoginThrottle.Attempt taken = this.throttle.take(username, address);
		Authentication checked;
		try {
			checked = this.passwords.authenticate(attempt);
		}
		catch (BadCredentialsException | AccountStatusException ex) {
			this.throttle.failed(taken);
			throw new BadCredentialsException("Wrong username or password");
		}
		this.throttle.succeeded(taken);
		ConsoleUser user = this.users.find(new Username(checked.getName()))
			.orElseThrow(() -> new BadCredentialsException("Wrong username or password"));
		log.info("Console sign-in of '{}' ({}) from {}", user.username(), user.role().value(), address);
		return SignedInUser.authentication(user, checked);
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}

	private UserDetails userDetails(String typed) {
		Username username;
		try {
			username = Username.of(typed);
		}
		catch (IllegalArgumentException ex) {
			throw new UsernameNotFoundException("Not a username");
		}
		ConsoleUsers.Credentials credentials = this.users.credentials(username)
			.orElseThrow(() -> new UsernameNotFoundException("No such user"));
		ConsoleUser user = credentials.user();
		return User.withUsername(username.value())
			.password(credentials.passwordHash())
			.disabled(!user.enabled())
			.authorities(user.role().authority())
			.build();
	}

}
