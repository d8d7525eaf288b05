package dev.warden.access;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;

/**
 * Warden's security chains in the order Spring Security asks them, and the setup the
 * stateless ones share. The first chain whose paths match a request handles it alone: the
 * machines' narrow endpoints come first (the webhook before the API, whose
 * {@code /api/**} would claim it), the console, which takes every request left, last.
 * Each chain is declared in the module that owns its endpoint, with
 * {@code @Order(SecurityChains.X)}.
 */
public final class SecurityChains {

	/**
	 * Grafana's webhook ({@code /api/v1/alerts/grafana}): its own token or basic auth;
	 * before the Alertmanager webhook, whose {@code /api/v1/alerts/**} would claim it.
	 */
	public static final int GRAFANA_WEBHOOK = 0;

	/** The Alertmanager webhook: its own bearer token or basic auth. */
	public static final int WEBHOOK = 1;

	/** Slack's interactivity endpoint: Slack signs each request. */
	public static final int SLACK = 2;

	/** The JSON API ({@code /api/**}): API tokens and their scopes. */
	public static final int API = 10;

	/**
	 * Health, metrics, the API docs and the error page; the other actuator endpoints
	 * closed.
	 */
	public static final int OPERATIONS = 40;

	/** The console: every request no chain before it takes, for signed-in people. */
	public static final int CONSOLE = 50;

	private SecurityChains() {
	}

	/**
	 * Starts a chain for machines on these paths: no session is read or made, no CSRF
	 * token is asked for (no cookies are involved), no request is saved for after a
	 * sign-in, and there is no sign-in form, HTTP basic or sign-out. The caller adds how
	 * requests authenticate, what they may do and how refusals are answered.
	 * @param http the chain being built
	 * @param paths the request paths (Ant-style patterns) the chain handles
	 * @return {@code http}, to go on with
	 */
	public static HttpSecurity stateless(HttpSecurity http, String... paths) {
		return http.securityMatcher(paths)
			.csrf((csrf) -> csrf.disable())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache((cache) -> cache.disable())
			.httpBasic((basic) -> basic.disable())
			.formLogin((form) -> form.disable())
			.logout((logout) -> logout.disable());
	}

}
