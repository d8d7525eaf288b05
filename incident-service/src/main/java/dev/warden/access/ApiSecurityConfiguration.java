package dev.warden.access;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.warden.access.ScopeAuthorization.ScopeDecision;
import dev.warden.web.ProblemResponses;
import dev.warden.web.TransientFailures;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.handler.HandlerMappingIntrospector;

/**
 * Security for the JSON API (API tokens, stateless, no CSRF: no cookies are involved;
 * each handler's {@link RequiresScope} says which scope a token needs) and for the
 * operational endpoints: health, metrics and the API docs are open, the other actuator
 * endpoints closed. Everything no chain claims belongs to the console, whose chain signs
 * people in with a session and is ordered last (see {@link SecurityChains}).
 */
@Configuration(proxyBeanMethods = false)
class ApiSecurityConfiguration {

	@Bean
	@Order(SecurityChains.API)
	SecurityFilterChain apiSecurity(HttpSecurity http, ApiTokenAuthentication tokens, ProblemResponses problems,
			ObjectProvider<HandlerMappingIntrospector> handlerMappings) throws Exception {
		SecurityChains.stateless(http, "/api/**")
			.anonymous((anonymous) -> anonymous.disable())
			.authorizeHttpRequests((requests) -> requests.anyRequest().access(new ScopeAuthorization(handlerMappings)))
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint((request, response, ex) -> {
				response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"warden\"");
				problems.write(request, response, HttpStatus.UNAUTHORIZED,
						"Missing, unknown, expired or revoked API token: send 'Authorization: Bearer <token>'");
			}).accessDeniedHandler((request, response, ex) -> forbidden(problems, request, response, ex)))
			.addFilterBefore(new TokenFilter(tokens, problems), AuthorizationFilter.class);
		return http.build();
	}

	/**
	 * 403 as a problem that says which scope was needed ({@code requiredScope}), so that
	 * whoever holds the token knows what to ask an admin for.
	 */
	private static void forbidden(ProblemResponses problems, HttpServletRequest request, HttpServletResponse response,
			AccessDeniedException denied) throws IOException {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN,
				"This API token may not do this.");
		problem.setInstance(URI.create(request.getRequestURI()));
		if (denied instanceof AuthorizationDeniedException authorization
				&& authorization.getAuthorizationResult() instanceof ScopeDecision decision) {
			problem.setDetail(decision.reason());
			if (decision.needed() != null) {
				problem.setProperty("requiredScope", decision.needed().value());
			}
		}
		problems.write(response, problem);
	}

	/**
	 * Operational endpoints and the error page, without sessions: before the console's
	 * chain, which takes every request left. {@code /error} stays open so that errors of
	 * every chain (such as an API 401) render.
	 */
	@Bean
	@Order(SecurityChains.OPERATIONS)
	SecurityFilterChain operationsSecurity(HttpSecurity http) throws Exception {
		SecurityChains
			.stateless(http, "/actuator", "/actuator/**", "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html",
					"/swagger-ui/**", "/error")
			.authorizeHttpRequests((requests) -> requests
				.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus")
				.permitAll()
				.requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
				.permitAll()
				.requestMatchers("/error")
				.permitAll()
				.anyRequest()
				.denyAll());
		return http.build();
	}

	/** Authenticates {@code Authorization: Bearer <api token>}. */
	static class TokenFilter extends OncePerRequestFilter {

		private static final Logger log = LoggerFactory.getLogger(TokenFilter.class);

		private final ApiTokenAuthentication tokens;

		private final ProblemResponses problems;

		TokenFilter(ApiTokenAuthentication tokens, ProblemResponses problems) {
			this.tokens = tokens;
			this.problems = problems;
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
			if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
				try {
					this.tokens.authenticate(authorization.substring(7).strip())
						.ifPresent((caller) -> SecurityContextHolder.getContext()
							.setAuthentication(authenticated(caller)));
				}
				catch (RuntimeException ex) {
					if (!TransientFailures.isTransient(ex)) {
						throw ex;
					}
					log.warn("Cannot check an API token, answering 503: {}", ex.toString());
					response.setHeader(HttpHeaders.RETRY_AFTER, "5");
					this.problems.write(request, response, HttpStatus.SERVICE_UNAVAILABLE,
							"Warden cannot check credentials right now (database unavailable); retry shortly");
					return;
				}
			}
			chain.doFilter(request, response);
		}

		/**
		 * The caller as Spring Security sees it: named after the token (actions are
		 * attributed to that name), with {@code ROLE_API} and one {@code SCOPE_*}
		 * authority per scope the token's scopes include.
		 */
		static Authentication authenticated(ApiCaller caller) {
			List<GrantedAuthority> authorities = new ArrayList<>();
			authorities.add(new SimpleGrantedAuthority("ROLE_API"));
			Scope.effective(caller.scopes())
				.forEach((scope) -> authorities
					.add(new SimpleGrantedAuthority(ScopeAuthorization.AUTHORITY_PREFIX + scope.value())));
			return UsernamePasswordAuthenticationToken.authenticated(caller.name(), null, authorities);
		}

	}

}
