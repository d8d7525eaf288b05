package dev.warden.reports;

import java.time.Clock;

import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The analytics tables as CSV for signed-in console users (the same files the API serves
 * to API tokens), so that the analytics page's links work from a console session.
 */
@Controller
class AnalyticsDownloads {

	private final Analytics analytics;

	private final Clock clock;

	AnalyticsDownloads(Analytics analytics, Clock clock) {
		this.analytics = analytics;
		this.clock = clock;
	}

	@GetMapping("/analytics/{table}.csv")
	ResponseEntity<String> csv(@PathVariable String table, AnalyticsController.AnalyticsParameters parameters) {
		return AnalyticsController.csv(this.analytics, table, parameters.toQuery(this.clock.instant()));
	}

}
