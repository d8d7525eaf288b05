package dev.warden.access;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.warden.web.ProblemResponses;
import dev.warden.web.TransientFailures;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Security for the JSON API (API tokens, stateless, no CSRF: no cookies are involved) and
 * for the operational endpoints: health, metrics and the API docs are open, the other
 * actuator endpoints closed. Everything no chain claims belongs to the console, whose
 * chain signs people in with a session and is ordered last.
 */
@Configuration(proxyBeanMethods = false)
class ApiSecurityConfiguration {

	@Bean
	@Order(10)
	SecurityFilterChain apiSecurity(HttpSecurity http, ApiTokenAuthentication tokens, ProblemResponses problems)
			throws Exception {
		http.securityMatcher("/api/**")
			.csrf((csrf) -> csrf.disable())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache((cache) -> cache.disable())
			.httpBasic((basic) -> basic.disable())
			.formLogin((form) -> form.disable())
			.logout((logout) -> logout.disable())
			.anonymous((anonymous) -> anonymous.disable())
			.authorizeHttpRequests((requests) -> requests.anyRequest().hasRole("API"))
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint((request, response, ex) -> {
				response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"warden\"");
				problems.write(request, response, HttpStatus.UNAUTHORIZED,
						"Missing or unknown API token: send 'Authorization: Bearer <token>'");
			}))
			.addFilterBefore(new TokenFilter(tokens, problems), AuthorizationFilter.class);
		return http.build();
	}

	/**
	 * Operational endpoints and the error page, without sessions: before the console's
	 * chain, which takes every request left. {@code /error} stays open so that errors of
	 * every chain (such as an API 401) render.
	 */
	@Bean
	@Order(40)
	SecurityFilterChain operationsSecurity(HttpSecurity http) throws Exception {
		http.securityMatcher("/actuator", "/actuator/**", "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html",
				"/swagger-ui/**", "/error")
			.authorizeHttpRequests((requests) -> requests
				.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus")
				.permitAll()
				.requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
				.permitAll()
				.requestMatchers("/error")
				.permitAll()
				.anyRequest()
				.denyAll())
			.csrf((csrf) -> csrf.disable())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache((cache) -> cache.disable())
			.httpBasic((basic) -> basic.disable())
			.formLogin((form) -> form.disable())
			.logout((logout) -> logout.disable());
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
						.ifPresent((name) -> SecurityContextHolder.getContext()
							.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(name, null,
									AuthorityUtils.createAuthorityList("ROLE_API"))));
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

	}

}
