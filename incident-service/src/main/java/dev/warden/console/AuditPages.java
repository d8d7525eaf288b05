package dev.warden.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import dev.warden.access.Audit;
import dev.warden.access.AuditQuery;
import dev.warden.access.InvalidAuditQuery;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The audit log page for admins (the security chain keeps {@code /admin/**} theirs):
 * every change people and tokens made, newest first, paged, filtered by actor, action or
 * action prefix, target, channel and a time range in the viewer's zone.
 */
@Controller
@RequestMapping("/admin/audit")
class AuditPages {

	static final int PAGE_SIZE = 50;

	private final Audit audit;

	AuditPages(Audit audit) {
		this.audit = audit;
	}

	@GetMapping
	String list(AuditFilter filter, @ModelAttribute(name = "times", binding = false) Times times, Model model,
			HttpServletResponse response) {
		model.addAttribute("filter", filter);
		model.addAttribute("channels", Arrays.stream(Audit.Channel.values()).map(Audit.Channel::value).toList());
		try {
			model.addAttribute("page", this.audit.find(filter.toQuery(times), filter.page(), PAGE_SIZE));
		}
		catch (InvalidFilter | InvalidAuditQuery ex) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			model.addAttribute("error", ex.getMessage());
			model.addAttribute("page", this.audit.find(AuditQuery.ALL, 0, PAGE_SIZE));
		}
		return "console/admin/audit";
	}

	/**
	 * The page's filters, from the query string.
	 *
	 * @param actor exactly this user or token
	 * @param action an action, or a prefix like {@code incident}
	 * @param target a target like {@code INC-12}
	 * @param channel console, api or slack; blank for all
	 * @param from made at or after: a local date and time in the viewer's zone, or an ISO
	 * instant
	 * @param to made before, likewise
	 * @param page the page, from 0
	 */
	record AuditFilter(String actor, String action, String target, String channel, String from, String to,
			Integer page) {

		AuditFilter {
			page = (page != null && page > 0) ? page : 0;
		}

		AuditQuery toQuery(Times times) {
			return new AuditQuery(this.actor, this.action, this.target,
					(this.channel != null && !this.channel.isBlank()) ? Audit.Channel.of(this.channel) : null,
					times.parse("start", this.from), times.parse("end", this.to));
		}

		/** The query string of these filters at another page. */
		public String at(int other) {
			Map<String, String> filters = new LinkedHashMap<>();
			filters.put("actor", this.actor);
			filters.put("action", this.action);
			filters.put("target", this.target);
			filters.put("channel", this.channel);
			filters.put("from", this.from);
			filters.put("to", this.to);
			StringBuilder query = new StringBuilder("?page=" + other);
			filters.forEach((name, value) -> {
				if (value != null && !value.isBlank()) {
					query.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
				}
			});
			return query.toString();
		}

	}

}
