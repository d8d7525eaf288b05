package dev.warden.console;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletResponse;

import dev.warden.routing.InvalidSilence;
import dev.warden.routing.Silence;
import dev.warden.routing.SilenceAlreadyExpired;
import dev.warden.routing.SilenceId;
import dev.warden.routing.SilenceNotFound;
import dev.warden.routing.SilenceState;
import dev.warden.routing.Silences;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The console's silences page: active and upcoming silences (each with where its copy in
 * Alertmanager is), the last few that ended, Alertmanager's own silences read-only, and a
 * form to create one. Responders create silences through {@link Silences}, as the API
 * does, in the name of the signed-in user, and expire them; a refused silence shows the
 * page again with the reasons, the form as it was, and nothing is stored.
 */
@Controller
class SilencePages {

	private static final String PAGE = "console/silences";

	/** How many ended silences the page lists. */
	static final int RECENTLY_EXPIRED = 10;

	/** What the form starts with. */
	static final String DEFAULT_DURATION = "2h";

	/** The index the domain's reasons name a matcher by, like {@code matchers[2]: }. */
	private static final Pattern MATCHER_INDEX = Pattern.compile("^matchers\\[(\\d+)]: ");

	private final Silences silences;

	SilencePages(Silences silences) {
		this.silences = silences;
	}

	@GetMapping("/silences")
	String page(@ModelAttribute(name = "times", binding = false) Times times, Model model) {
		return page(model, null, List.of(), SilenceForm.EMPTY);
	}

	@PostMapping("/silences")
	String create(SilenceForm form, @ModelAttribute(name = "times", binding = false) Times times, Authentication user,
			Model model, HttpServletResponse response, RedirectAttributes flash) {
		Instant now = times.now();
		List<String> reasons = new ArrayList<>();
		Instant startsAt = form.startsAt(times, reasons);
		Instant endsAt = form.endsAt(times, (startsAt != null) ? startsAt : now, reasons);
		// The checks Silences makes too, worded for people in their own time zone.
		if (startsAt != null && endsAt != null && !endsAt.isAfter(startsAt)) {
			reasons.add(
					"The end (%s) must be after the start (%s).".formatted(times.local(endsAt), times.local(startsAt)));
		}
		else if (endsAt != null && !endsAt.isAfter(now)) {
			reasons.add("The end (" + times.local(endsAt) + ") is in the past.");
		}
		if (!reasons.isEmpty()) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			return page(model, null, reasons, form);
		}
		try {
			Silence silence = this.silences.create(form.matcherLines(), startsAt, endsAt, user.getName(),
					form.comment());
			flash.addFlashAttribute("message", "Created silence %s, from %s until %s.".formatted(silence.id(),
					times.local(silence.startsAt()), times.local(silence.endsAt())));
			return "redirect:/silences";
		}
		catch (InvalidSilence ex) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			return page(model, null, ex.reasons().stream().map(form::onLines).toList(), form);
		}
	}

	@PostMapping("/silences/{id}/expire")
	String expire(@PathVariable UUID id, @ModelAttribute(name = "times", binding = false) Times times,
			Authentication user, Model model, HttpServletResponse response, RedirectAttributes flash) {
		SilenceId silenceId = new SilenceId(id);
		try {
			Silence silence = this.silences.expire(silenceId, user.getName());
			flash.addFlashAttribute("message", "Expired silence " + silence.id() + ".");
			return "redirect:/silences";
		}
		catch (SilenceAlreadyExpired ex) {
			response.setStatus(HttpStatus.CONFLICT.value());
			String why = this.silences.find(silenceId)
				.map((silence) -> (silence.expiredAt() != null)
						? "was already expired by %s at %s".formatted(silence.expiredBy(),
								times.local(silence.expiredAt()))
						: "already ended at " + times.local(silence.endsAt()))
				.orElse("has already ended");
			return page(model, "Silence " + silenceId + " " + why + ".", List.of(), SilenceForm.EMPTY);
		}
		catch (SilenceNotFound ex) {
			response.setStatus(HttpStatus.NOT_FOUND.value());
			return page(model, ex.getMessage() + ".", List.of(), SilenceForm.EMPTY);
		}
	}

	/**
	 * The page, with what went wrong: {@code error} for the page, {@code formErrors} for
	 * the form, shown again as it was posted.
	 */
	private String page(Model model, String error, List<String> formErrors, SilenceForm form) {
		model.addAttribute("error", error);
		model.addAttribute("formErrors", formErrors);
		model.addAttribute("form", form);
		model.addAttribute("active", this.silences.list(SilenceState.ACTIVE));
		model.addAttribute("pending",
				this.silences.list(SilenceState.PENDING)
					.stream()
					.sorted(Comparator.comparing(Silence::startsAt))
					.toList());
		model.addAttribute("expired", this.silences.recentlyEnded(RECENTLY_EXPIRED));
		// Never fails the page: an unreachable Alertmanager is said on it.
		model.addAttribute("alertmanager", this.silences.alertmanagerSilences());
		return PAGE;
	}

	/**
	 * The new-silence form as posted. The end is {@code endsAt} when given, otherwise
	 * {@code duration} after the start; times are local date-times in the viewer's time
	 * zone, as {@code <input type="datetime-local">} sends them.
	 *
	 * @param matchers one matcher per line, like {@code alertname="DiskFull"},
	 * {@code instance=~"db-.*"} or {@code env!=staging}
	 * @param startsAt when the silence starts; blank for now
	 * @param duration how long it lasts, like {@code 30m}, {@code 2h} or {@code 3d}
	 * @param endsAt when it ends instead; optional
	 * @param comment why
	 */
	record SilenceForm(String matchers, String startsAt, String duration, String endsAt, String comment) {

		static final SilenceForm EMPTY = new SilenceForm("", "", DEFAULT_DURATION, "", "");

		/** The matchers, one per line that is not blank. */
		List<String> matcherLines() {
			return lines().stream().map(Line::text).toList();
		}

		/**
		 * A reason of {@link Silences} as people filling in the form count: by line
		 * rather than by index among the matchers.
		 */
		String onLines(String reason) {
			Matcher index = MATCHER_INDEX.matcher(reason);
			if (!index.find()) {
				return reason;
			}
			int number = Integer.parseInt(index.group(1));
			List<Line> lines = lines();
			return (number < lines.size()) ? "Line " + lines.get(number).number() + ": " + reason.substring(index.end())
					: reason;
		}

		Instant startsAt(Times times, List<String> reasons) {
			return instant("start", this.startsAt, times, reasons);
		}

		/** The end, from {@code endsAt} or the duration after {@code start}. */
		Instant endsAt(Times times, Instant start, List<String> reasons) {
			if (this.endsAt != null && !this.endsAt.isBlank()) {
				return instant("end", this.endsAt, times, reasons);
			}
			if (this.duration == null || this.duration.isBlank()) {
				reasons.add("Give a duration, like 2h, or an end time.");
				return null;
			}
			Duration length;
			try {
				// A bare number would be milliseconds to Spring; a silence wants a unit.
				if (!this.duration.strip().matches("\\d+\\s*[a-zA-Z]+")) {
					throw new IllegalArgumentException("no unit");
				}
				length = DurationStyle.SIMPLE.parse(this.duration.strip().replace(" ", ""));
			}
			catch (IllegalArgumentException ex) {
				reasons.add("The duration '" + this.duration + "' is not one like 30m, 2h or 3d.");
				return null;
			}
			if (length.isNegative() || length.isZero()) {
				reasons.add("The duration must be longer than zero.");
				return null;
			}
			return start.plus(length);
		}

		private List<Line> lines() {
			List<Line> lines = new ArrayList<>();
			if (this.matchers == null) {
				return lines;
			}
			String[] texts = this.matchers.split("\\R");
			for (int i = 0; i < texts.length; i++) {
				if (!texts[i].isBlank()) {
					lines.add(new Line(i + 1, texts[i].strip()));
				}
			}
			return lines;
		}

		private static Instant instant(String what, String text, Times times, List<String> reasons) {
			try {
				return times.parse(what, text);
			}
			catch (InvalidFilter ex) {
				reasons.add(ex.getMessage());
				return null;
			}
		}

		/** A matcher and the line of the form it is on, from 1. */
		private record Line(int number, String text) {
		}

	}

}
