package dev.warden.console;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.servlet.http.HttpServletResponse;

import dev.warden.escalation.InvalidOverride;
import dev.warden.escalation.OnCall;
import dev.warden.escalation.OnCallShift;
import dev.warden.escalation.OverrideNotFound;
import dev.warden.escalation.ScheduleNotFound;
import dev.warden.escalation.ScheduleOverride;
import dev.warden.escalation.User;

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
 * The console's on-call page: for every schedule who is on call now and next, the
 * overrides in force or to come, and the escalation policies. Responders add and remove
 * overrides through {@link OnCall}, as the API does; a refused override shows the page
 * again with the reason, and nothing is stored.
 */
@Controller
class OnCallPages {

	private static final String PAGE = "console/oncall";

	/** As long as the API allows. */
	static final int MAX_REASON = 500;

	private final OnCall onCall;

	OnCallPages(OnCall onCall) {
		this.onCall = onCall;
	}

	@GetMapping("/oncall")
	String page(@ModelAttribute(name = "times", binding = false) Times times, Model model) {
		return page(model, times, null, null);
	}

	@PostMapping("/oncall/{schedule}/overrides")
	String addOverride(@PathVariable String schedule, OverrideForm form,
			@ModelAttribute(name = "times", binding = false) Times times, Authentication user, Model model,
			HttpServletResponse response, RedirectAttributes flash) {
		if (!this.onCall.schedules().contains(schedule)) {
			response.setStatus(HttpStatus.NOT_FOUND.value());
			return page(model, times, "There is no on-call schedule '" + schedule + "'.", null);
		}
		try {
			NewOverride wanted = form.read(times).checked(times);
			ScheduleOverride created = this.onCall.addOverride(schedule, wanted.user(), wanted.from(), wanted.to(),
					user.getName(), wanted.reason());
			flash.addFlashAttribute("message",
					"%s is on call for %s from %s until %s.".formatted(fullName(created.user(), this.onCall.users()),
							created.schedule(), times.local(created.startsAt()), times.local(created.endsAt())));
			return "redirect:/oncall";
		}
		catch (InvalidOverride | InvalidOverrideForm ex) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			return page(model, times, ex.getMessage(), new Refused(schedule, form));
		}
		catch (ScheduleNotFound ex) {
			// Gone with a reload of the on-call file since the check above.
			response.setStatus(HttpStatus.NOT_FOUND.value());
			return page(model, times, ex.getMessage(), null);
		}
	}

	@PostMapping("/oncall/{schedule}/overrides/{id}/delete")
	String removeOverride(@PathVariable String schedule, @PathVariable long id,
			@ModelAttribute(name = "times", binding = false) Times times, Model model, HttpServletResponse response,
			RedirectAttributes flash) {
		try {
			this.onCall.removeOverride(schedule, id);
			flash.addFlashAttribute("message", "Removed override " + id + " of " + schedule + ".");
			return "redirect:/oncall";
		}
		catch (ScheduleNotFound | OverrideNotFound ex) {
			response.setStatus(HttpStatus.NOT_FOUND.value());
			return page(model, times, ex.getMessage(), null);
		}
	}

	/**
	 * The page, with the refused form (and why) shown again under its schedule when there
	 * is one.
	 */
	private String page(Model model, Times times, String error, Refused refused) {
		List<User> users = this.onCall.users();
		model.addAttribute("error", error);
		model.addAttribute("refused", refused);
		model.addAttribute("users", users);
		model.addAttribute("schedules",
				this.onCall.schedules().stream().map((name) -> schedule(name, times, users)).toList());
		model.addAttribute("policies", this.onCall.policies());
		return PAGE;
	}

	private ScheduleView schedule(String name, Times times, List<User> users) {
		Instant now = times.now();
		OnCallShift current = this.onCall.onCall(name, now).orElse(null);
		OnCallShift next = this.onCall.next(name, now).orElse(null);
		List<OverrideView> overrides = this.onCall.overrides(name)
			.stream()
			.map((override) -> new OverrideView(override, fullName(override.user(), users),
					!override.startsAt().isAfter(now)))
			.toList();
		// A new override most often covers the rest of the current shift.
		Instant until = (current != null) ? current.end() : now.plus(Duration.ofHours(1));
		OverrideForm blank = new OverrideForm(null, times.input(now), times.input(until), null);
		return new ScheduleView(name, current, next, overrides, blank);
	}

	private static String fullName(String user, List<User> users) {
		return users.stream().filter((each) -> each.name().equals(user)).map(User::fullName).findFirst().orElse(user);
	}

	/**
	 * A schedule as the page shows it.
	 *
	 * @param name the schedule's name
	 * @param current who is on call now, or null
	 * @param next who takes over next, or null
	 * @param overrides the overrides in force now or to come, by start
	 * @param form the new-override form, filled in with now until the current shift ends
	 */
	record ScheduleView(String name, OnCallShift current, OnCallShift next, List<OverrideView> overrides,
			OverrideForm form) {
	}

	/**
	 * An override as the page shows it.
	 *
	 * @param override the override
	 * @param fullName the name of the user on call, for people
	 * @param inForce whether it has started
	 */
	record OverrideView(ScheduleOverride override, String fullName, boolean inForce) {
	}

	/**
	 * A form the page shows again because the override was refused.
	 *
	 * @param schedule the schedule it was for
	 * @param form what was posted
	 */
	record Refused(String schedule, OverrideForm form) {
	}

	/**
	 * The new-override form as posted: {@code from} and {@code to} are local date-times
	 * in the viewer's time zone, as {@code <input type="datetime-local">} sends them.
	 *
	 * @param user the name of the user to put on call
	 * @param from when the override starts
	 * @param to when it ends
	 * @param reason why, for people; optional
	 */
	record OverrideForm(String user, String from, String to, String reason) {

		/**
		 * The override the form asks for, its times read in the viewer's zone.
		 * @throws InvalidOverrideForm when a field is missing or cannot be read
		 */
		NewOverride read(Times times) {
			if (this.user == null || this.user.isBlank()) {
				throw new InvalidOverrideForm("Choose who is on call instead.");
			}
			if (this.reason != null && this.reason.length() > MAX_REASON) {
				throw new InvalidOverrideForm("The reason must be at most " + MAX_REASON + " characters.");
			}
			return new NewOverride(this.user.strip(), instant("start", this.from, times),
					instant("end", this.to, times),
					(this.reason != null && !this.reason.isBlank()) ? this.reason.strip() : null);
		}

		private static Instant instant(String what, String text, Times times) {
			if (text == null || text.isBlank()) {
				throw new InvalidOverrideForm("Give the " + what + " of the override.");
			}
			try {
				return times.parse(what, text);
			}
			catch (InvalidFilter ex) {
				throw new InvalidOverrideForm(ex.getMessage());
			}
		}

	}

	/** An override as the form asks for it, for {@link OnCall#addOverride}. */
	record NewOverride(String user, Instant from, Instant to, String reason) {

		/**
		 * This override, after the checks {@link OnCall} makes too, worded for people in
		 * their own time zone rather than in the API's terms.
		 * @throws InvalidOverrideForm when it ends before it starts or has ended
		 */
		NewOverride checked(Times times) {
			Instant now = times.now();
			if (!this.to.isAfter(this.from)) {
				throw new InvalidOverrideForm("The end (%s) must be after the start (%s)."
					.formatted(times.local(this.to), times.local(this.from)));
			}
			if (!this.to.isAfter(now)) {
				throw new InvalidOverrideForm("The end (%s) is in the past; an override that has ended changes nothing."
					.formatted(times.local(this.to)));
			}
			return this;
		}

	}

	/** A new-override form that cannot be read: nothing to ask {@link OnCall} about. */
	static class InvalidOverrideForm extends RuntimeException {

		InvalidOverrideForm(String message) {
			super(message);
		}

	}

}
