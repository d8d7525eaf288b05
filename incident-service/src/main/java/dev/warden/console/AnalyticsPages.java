package dev.warden.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletResponse;

import dev.warden.incidents.Severity;
import dev.warden.reports.Analytics;
import dev.warden.reports.AnalyticsQuery;
import dev.warden.reports.AnalyticsReport;
import dev.warden.reports.AnalyticsReport.Group;
import dev.warden.reports.InvalidAnalyticsQuery;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The console's analytics page: MTTA and MTTR (p50, p90, mean) overall, by service and by
 * severity, incidents per day, the noisiest alerts and what runbooks achieved, over a
 * window of whole days or dates, with charts drawn as SVG by {@link SvgCharts} and every
 * figure also in a table. A window Warden refuses shows the form again with the reason
 * and status 400. Calendar days are the viewer's (the {@code tz} cookie), else UTC.
 */
@Controller
class AnalyticsPages {

	/** The windows offered with one click: this many days, today included. */
	static final List<Integer> PRESETS = List.of(7, 30, 90);

	/** The window when the page is opened without one, as the API's default. */
	static final int DEFAULT_DAYS = (int) AnalyticsQuery.DEFAULT_WINDOW.toDays();

	private final Analytics analytics;

	AnalyticsPages(Analytics analytics) {
		this.analytics = analytics;
	}

	@GetMapping("/analytics")
	String analytics(Window window, @ModelAttribute(name = "times", binding = false) Times times, Model model,
			HttpServletResponse response) {
		ZoneId zone = times.zone();
		Instant now = times.now();
		model.addAttribute("window", window);
		model.addAttribute("presets", PRESETS);
		model.addAttribute("severities", Severity.values());
		model.addAttribute("zone", zone.getId());
		try {
			AnalyticsQuery query = window.toQuery(zone, now);
			AnalyticsReport report = this.analytics.report(query);
			List<Group> byService = report.responseTimes().byService();
			model.addAttribute("report", report);
			model.addAttribute("api", apiQuery(query));
			model.addAttribute("fromValue", LocalDate.ofInstant(query.from(), zone).toString());
			model.addAttribute("toValue", LocalDate.ofInstant(query.to(), zone).toString());
			model.addAttribute("perDay", SvgCharts.incidentsPerDay(report.incidentsPerDay()));
			model.addAttribute("mttaChart",
					SvgCharts.byService("Time to acknowledge (MTTA)", byService, Group::mtta, "none acknowledged"));
			model.addAttribute("mttrChart",
					SvgCharts.byService("Time to resolve (MTTR)", byService, Group::mttr, "none resolved"));
		}
		catch (InvalidAnalyticsQuery | InvalidWindow ex) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			model.addAttribute("error", ex.getMessage());
			model.addAttribute("fromValue", window.from());
			model.addAttribute("toValue", window.to());
		}
		return "console/analytics";
	}

	/**
	 * The query string that asks the API for the same figures: the window as the exact
	 * instants the page used, so that it does not move with the API's clock or zone.
	 */
	static String apiQuery(AnalyticsQuery query) {
		StringBuilder parameters = new StringBuilder("?from=" + query.from() + "&to=" + query.to());
		append(parameters, "zone", query.zone().getId());
		append(parameters, "service", query.service());
		append(parameters, "severity",
				(query.severity() != null) ? query.severity().name().toLowerCase(Locale.ROOT) : null);
		append(parameters, "team", query.team());
		return parameters.toString();
	}

	private static void append(StringBuilder query, String name, String value) {
		if (value != null && !value.isBlank()) {
			query.append('&').append(name).append('=').append(URLEncoder.encode(value.strip(), StandardCharsets.UTF_8));
		}
	}

	/**
	 * The window and filters, from the query string: either {@code days} (that many
	 * calendar days, today included) or {@code from} and {@code to} as
	 * {@link AnalyticsQuery#parse} reads them; neither means the last 30 days.
	 *
	 * @param days a number of days up to today
	 * @param from start of the window (inclusive): a date or an ISO-8601 instant
	 * @param to end of the window (exclusive): a date or an ISO-8601 instant
	 * @param service only this service
	 * @param severity only this severity
	 * @param team only this team
	 */
	record Window(String days, String from, String to, String service, String severity, String team) {

		AnalyticsQuery toQuery(ZoneId zone, Instant now) {
			boolean dates = !blank(this.from) || !blank(this.to);
			if (dates && !blank(this.days)) {
				throw new InvalidWindow("Choose either a number of days or dates (from, to), not both");
			}
			if (dates) {
				return AnalyticsQuery.parse(this.from, this.to, zone.getId(), this.service, this.severity, this.team,
						null, now);
			}
			int count = blank(this.days) ? DEFAULT_DAYS : count(this.days);
			LocalDate today = LocalDate.ofInstant(now, zone);
			return AnalyticsQuery.parse(today.minusDays(count - 1L).toString(), today.plusDays(1).toString(),
					zone.getId(), this.service, this.severity, this.team, null, now);
		}

		/** Whether this window is the preset of that many days. */
		public boolean isPreset(int count) {
			String wanted = Integer.toString(count);
			return blank(this.from) && blank(this.to)
					&& (blank(this.days) ? count == DEFAULT_DAYS : wanted.equals(this.days.strip()));
		}

		/** The query string of a preset window with these filters. */
		public String preset(int count) {
			StringBuilder query = new StringBuilder("?days=" + count);
			append(query, "service", this.service);
			append(query, "severity", this.severity);
			append(query, "team", this.team);
			return query.toString();
		}

		/** Whether the filter asks for that severity. */
		public boolean has(Severity wanted) {
			return !blank(this.severity) && wanted.name().equalsIgnoreCase(this.severity.strip());
		}

		private static int count(String days) {
			long longest = AnalyticsQuery.LONGEST_WINDOW.toDays();
			try {
				int count = Integer.parseInt(days.strip());
				if (count >= 1 && count <= longest) {
					return count;
				}
			}
			catch (NumberFormatException ex) {
				// Refused below with the same words as a number out of range.
			}
			throw new InvalidWindow("days: '%s' is not a number of days between 1 and %d".formatted(days, longest));
		}

		private static boolean blank(String value) {
			return value == null || value.isBlank();
		}

	}

	/** A window the page refuses before the analytics see it. */
	static final class InvalidWindow extends RuntimeException {

		InvalidWindow(String message) {
			super(message);
		}

	}

}
