package dev.warden.alerting;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

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
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The webhooks' own security: Alertmanager's bearer token or basic auth on its webhook,
 * Grafana's token or basic auth on Grafana's, nothing else (neither's credentials open
 * the other's endpoint); stateless, no CSRF (no browser, no cookies). Also measures every
 * webhook request, rejected ones included.
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
			.addFilterBefore(new CredentialsFilter(credentials::accepts, "alertmanager"), AuthorizationFilter.class)
			.addFilterAfter(new BodyLimitFilter(settings.maxBody(), problems), AuthorizationFilter.class);
		return http.build();
	}

	@Bean
	@Order(SecurityChains.GRAFANA_WEBHOOK)
	SecurityFilterChain grafanaWebhookSecurity(HttpSecurity http, GrafanaCredentials credentials,
			GrafanaSettings settings, ProblemResponses problems) throws Exception {
		String scheme = settings.tokenScheme();
		SecurityChains.stateless(http, GrafanaWebhookController.PATH)
			.anonymous((anonymous) -> anonymous.disable())
			.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint((request, response, ex) -> {
				response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
						scheme + " realm=\"warden-grafana\", Basic realm=\"warden-grafana\"");
				problems.write(request, response, HttpStatus.UNAUTHORIZED,
						"Missing or wrong credentials: send the Grafana webhook's own token (warden.grafana.token, as \""
								+ scheme + " <token>\") or basic auth (warden.grafana.basic-username); "
								+ "the Alertmanager webhook's credentials do not open this endpoint");
			}))
			.addFilterBefore(new CredentialsFilter(credentials::accepts, "grafana"), AuthorizationFilter.class)
			.addFilterAfter(new BodyLimitFilter(settings.maxBody(), problems), AuthorizationFilter.class);
		return http.build();
	}

	@Bean
	FilterRegistrationBean<WebhookMetricsFilter> webhookMetricsFilter(MeterRegistry meters) {
		var registration = new FilterRegistrationBean<>(new WebhookMetricsFilter(meters, "warden.webhook.latency",
				"warden.alerts.rejected", "an Alertmanager"));
		registration.setUrlPatterns(List.of(AlertmanagerWebhookController.PATH));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	@Bean
	FilterRegistrationBean<WebhookMetricsFilter> grafanaWebhookMetricsFilter(MeterRegistry meters) {
		var registration = new FilterRegistrationBean<>(new WebhookMetricsFilter(meters,
				"warden.grafana.webhook.latency", "warden.grafana.alerts.rejected", "a Grafana"));
		registration.setUrlPatterns(List.of(GrafanaWebhookController.PATH));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	/**
	 * Authenticates requests whose {@code Authorization} header carries one webhook's
	 * credentials, as that webhook's sender.
	 */
	static class CredentialsFilter extends OncePerRequestFilter {

		private final Predicate<String> credentials;

		private final String sender;

		private final List<GrantedAuthority> authorities;

		CredentialsFilter(Predicate<String> credentials, String sender) {
			this.credentials = credentials;
			this.sender = sender;
			this.authorities = AuthorityUtils.createAuthorityList("ROLE_" + sender.toUpperCase(Locale.ROOT));
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			if (this.credentials.test(request.getHeader(HttpHeaders.AUTHORIZATION))) {
				var authentication = UsernamePasswordAuthenticationToken.authenticated(this.sender, null,
						this.authorities);
				SecurityContextHolder.getContext().setAuthentication(authentication);
			}
			chain.doFilter(request, response);
		}

	}

	/**
	 * Times every request to one webhook and counts rejections by reason, so a
	 * misconfigured sender (wrong token, bad payloads) shows on a dashboard.
	 */
	static class WebhookMetricsFilter extends OncePerRequestFilter {

		private final MeterRegistry meters;

		private final String latency;

		private final String rejected;

		private final String sender;

		/**
		 * @param meters where to measure
		 * @param latency the timer's name
		 * @param rejected the name of the counter of rejections
		 * @param sender who sends the webhook, for the timer's description
		 */
		WebhookMetricsFilter(MeterRegistry meters, String latency, String rejected, String sender) {
			this.meters = meters;
			this.latency = latency;
			this.rejected = rejected;
			this.sender = sender;
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
				sample.stop(Timer.builder(this.latency)
					.description("Time to answer " + this.sender + " webhook")
					.tag("outcome", outcome)
					.publishPercentileHistogram()
					.register(this.meters));
				if (status >= 300) {
					this.meters.counter(this.rejected, "reason", outcome).increment();
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
