package dev.warden.alerting;

import java.io.IOException;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.warden.access.SecurityChains;
import dev.warden.web.BodyLimitFilter;
import dev.warden.web.ProblemResponses;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The webhook's own security: Alertmanager's bearer token or basic auth, nothing else;
 * stateless, no CSRF (no browser, no cookies). Also measures every webhook request,
 * rejected ones included.
 */
@Configuration(proxyBeanMethods = false)
class WebhookSecurityConfiguration {

	@Bean
	@Order(SecurityChains.WEBHOOK)
	SecurityFilterChain alertmanagerWebhookSecurity(HttpSecurity http, WebhookCredentials credentials,
			AlertmanagerSettings settings, ProblemResponses problems) throws Exception {
		SecurityChains.stateless(http, "/api/v1/alerts/**")
			.anonymous((anonymous) -> anonymous.disable())
			.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint((request, response, ex) -> {
				response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"warden\", Basic realm=\"warden\"");
				problems.write(request, response, HttpStatus.UNAUTHORIZED,
						"Missing or wrong credentials: send Alertmanager's configured bearer token or basic auth");
			}))
			.addFilterBefore(new CredentialsFilter(credentials), AuthorizationFilter.class)
			.addFilterAfter(new BodyLimitFilter(settings.maxBody(), problems), AuthorizationFilter.class);
		return http.build();
	}

	@Bean
	FilterRegistrationBean<WebhookMetricsFilter> webhookMetricsFilter(MeterRegistry meters) {
		var registration = new FilterRegistrationBean<>(new WebhookMetricsFilter(meters));
		registration.setUrlPatterns(List.of(AlertmanagerWebhookController.PATH));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	/**
	 * Authenticates requests whose {@code Authorization} header carries the webhook
	 * credentials.
	 */
	static class CredentialsFilter extends OncePerRequestFilter {

		private final WebhookCredentials credentials;

		CredentialsFilter(WebhookCredentials credentials) {
			this.credentials = credentials;
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			if (this.credentials.accepts(request.getHeader(HttpHeaders.AUTHORIZATION))) {
				var authentication = UsernamePasswordAuthenticationToken.authenticated("alertmanager", null,
						AuthorityUtils.createAuthorityList("ROLE_ALERTMANAGER"));
				SecurityContextHolder.getContext().setAuthentication(authentication);
			}
			chain.doFilter(request, response);
		}

	}

	/**
	 * Times every webhook request and counts rejections by reason, so a misconfigured
	 * Alertmanager (wrong token, bad payloads) shows on a dashboard.
	 */
	static class WebhookMetricsFilter extends OncePerRequestFilter {

		private final MeterRegistry meters;

		WebhookMetricsFilter(MeterRegistry meters) {
			this.meters = meters;
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			Timer.Sample sample = Timer.start(this.meters);
			try {
				chain.doFilter(request, response);
			}
			finally {
				int status = response.getStatus();
				String outcome = (status < 300) ? "stored" : reason(status);
				sample.stop(Timer.builder("warden.webhook.latency")
					.description("Time to answer an Alertmanager webhook")
					.tag("outcome", outcome)
					.publishPercentileHistogram()
					.register(this.meters));
				if (status >= 300) {
					this.meters.counter("warden.alerts.rejected", "reason", outcome).increment();
				}
			}
		}

		private static String reason(int status) {
			return switch (status) {
				case 400 -> "invalid";
				case 401 -> "unauthorized";
				case 405 -> "method_not_allowed";
				case 413 -> "too_large";
				case 415 -> "unsupported_media_type";
				case 503 -> "unavailable";
				default -> (status >= 500) ? "error" : "other";
			};
		}

	}

}
