package dev.warden.access;

import java.util.Map;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/**
 * The console's security: every request that the webhook, Slack, API and operations
 * chains leave (they come first) needs a signed-in console user. People sign in with a
 * form; the session cookie is the only credential (API tokens count for nothing here),
 * every form carries a CSRF token, and the pages may not be framed or load anything from
 * elsewhere.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleSecurityConfiguration {

	/**
	 * Where the sign-in form is shown (the console's page) and posted to (this chain).
	 */
	public static final String LOGIN = "/login";

	/**
	 * Nothing from other origins, no inline scripts or styles, no framing, forms post
	 * only here.
	 */
	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; frame-ancestors 'none'; form-action 'self'; "
			+ "base-uri 'self'; object-src 'none'";

	/** The id new hashes carry ({@code {argon2@SpringSecurity_v5_8}...}). */
	static final String PASSWORD_ENCODING = "argon2@SpringSecurity_v5_8";

	@Bean
	@Order(SecurityChains.CONSOLE)
	SecurityFilterChain consoleSecurity(HttpSecurity http, ConsoleUsers users, LoginThrottle throttle,
			PasswordEncoder passwordEncoder) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.requestMatchers(LOGIN, "/assets/**", "/favicon.ico")
			.permitAll()
			.requestMatchers("/admin", "/admin/**")
			.hasRole("ADMIN")
			// Reloading the runbook catalog changes what runs by itself: admins only.
			.requestMatchers(org.springframework.http.HttpMethod.POST, "/runbooks/reload")
			.hasRole("ADMIN")
			// Acting on incidents, runbooks, schedules and silences is for responders;
			// viewers only look.
			.requestMatchers(org.springframework.http.HttpMethod.POST, "/incidents/**", "/runbooks/**", "/oncall/**",
					"/silences/**")
			.hasRole("RESPONDER")
			// The form to declare an incident is of no use to a viewer.
			.requestMatchers("/incidents/declare")
			.hasRole("RESPONDER")
			.anyRequest()
			.hasRole("VIEWER"))
			.authenticationManager(new ProviderManager(new ThrottledAuthentication(users, throttle, passwordEncoder)))
			.formLogin((form) -> form.loginPage(LOGIN).failureHandler(loginFailure()))
			.logout((logout) -> logout.logoutUrl("/logout").logoutSuccessUrl(LOGIN + "?signedOut"))
			.httpBasic((basic) -> basic.disable())
			.csrf((csrf) -> csrf.csrfTokenRepository(new HttpSessionCsrfTokenRepository()))
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED)
				.sessionFixation((fixation) -> fixation.changeSessionId()))
			.headers((headers) -> headers.frameOptions((frames) -> frames.deny())
				.contentSecurityPolicy((csp) -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
				.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicy.SAME_ORIGIN)))
			.addFilterBefore(new SignedInUserCheck(users), AnonymousAuthenticationFilter.class);
		return http.build();
	}

	/**
	 * Back to the sign-in form with what went wrong: the same words for an unknown user,
	 * a wrong password and a disabled account.
	 */
	private static AuthenticationFailureHandler loginFailure() {
		return (request, response, exception) -> {
			String reason = switch (exception) {
				case LoginThrottled throttled -> "throttled";
				case InternalAuthenticationServiceException unavailable -> "unavailable";
				default -> "error";
			};
			response.sendRedirect(request.getContextPath() + LOGIN + "?" + reason);
		};
	}

	/** Admins may do what responders may, responders what viewers may. */
	@Bean
	static RoleHierarchy roleHierarchy() {
		return RoleHierarchyImpl.withDefaultRolePrefix()
			.role(Role.ADMIN.name())
			.implies(Role.RESPONDER.name())
			.role(Role.RESPONDER.name())
			.implies(Role.VIEWER.name())
			.build();
	}

	/**
	 * Argon2id, memory-hard (16 MiB, 2 iterations: Spring Security's 5.8 defaults), so
	 * that a stolen hash is costly to attack on GPUs, unlike bcrypt's 4 KiB; the hashes
	 * carry their algorithm's id, so the parameters can change later without invalidating
	 * any. {@code {bcrypt}} hashes (as {@code htpasswd -B -C 12} makes) are accepted too,
	 * so that an operator can set a password with SQL; they are replaced by Argon2 on the
	 * next sign-in. At most as many hashes as processors run at once, which bounds the
	 * memory a burst of sign-ins takes.
	 */
	@Bean
	PasswordEncoder passwordEncoder() {
		PasswordEncoder argon2 = Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8();
		PasswordEncoder delegating = new DelegatingPasswordEncoder(PASSWORD_ENCODING,
				Map.of(PASSWORD_ENCODING, argon2, "bcrypt", new BCryptPasswordEncoder(12)));
		return new BoundedPasswordEncoder(delegating, Math.max(2, Runtime.getRuntime().availableProcessors()));
	}

}
